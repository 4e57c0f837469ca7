"""Forms for a site itself, its organisations and its schools."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from infra.forms import NamedBlankChoice

from ..models import Actor, Organisation, OrganisationKind, Phase, PilotSite, School


class SiteForm(forms.ModelForm):
    """The site's name and the organisation that stands for each of the three actors."""

    class Meta:
        model = PilotSite
        fields = ["name", "school_actor", "social_actor", "health_actor"]

    def __init__(self, *args, site: PilotSite, **kwargs):
        super().__init__(*args, **kwargs)
        units = site.units().select_related("parent").order_by("name")
        for actor in Actor:
            field = self.fields[f"{actor}_actor"]
            field.queryset = units.filter(actor=actor)
            field.empty_label = _("— not chosen yet —")
            field.help_text = _(
                "Among the units of %(municipality)s and %(region)s for this actor. "
                "Add a missing unit under Organisations."
            ) % {"municipality": site.municipality.name, "region": site.region.name}


class PhaseForm(forms.Form):
    """Move a site to another phase of the programme, with a note on why."""

    phase = forms.ChoiceField(label=_("New phase"), choices=Phase.choices)
    note = forms.CharField(
        label=pgettext_lazy("written note", "Note"),
        max_length=300,
        required=False,
        help_text=_("Why now, e.g. the decision it follows. Kept in the phase history."),
    )

    def __init__(self, *args, site: PilotSite, **kwargs):
        self.site = site
        super().__init__(*args, **kwargs)
        self.fields["phase"].initial = site.phase

    def clean_phase(self):
        phase = self.cleaned_data["phase"]
        if phase == self.site.phase:
            raise forms.ValidationError(_("The site is already in this phase."))
        return phase


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.kind == OrganisationKind.UNIT:
            return str(obj)
        return f"{obj.name} ({obj.get_kind_display().lower()})"


def _without_descendants(queryset, organisation):
    """`queryset` minus `organisation` and everything within it (a unit cannot sit under
    itself)."""
    if organisation is None or organisation.pk is None:
        return queryset
    excluded, frontier = {organisation.pk}, {organisation.pk}
    while frontier:
        frontier = (
            set(Organisation.objects.filter(parent__in=frontier).values_list("pk", flat=True))
            - excluded
        )
        excluded |= frontier
    return queryset.exclude(pk__in=excluded)


class SiteUnitForm(NamedBlankChoice, forms.ModelForm):
    """A unit within the site's municipality or region, as a project lead adds or edits it."""

    parent = OrganisationChoiceField(label=_("Part of"), queryset=Organisation.objects.none())

    class Meta:
        model = Organisation
        fields = ["name", "actor", "parent"]
        help_texts = {
            "name": _("E.g. Individual and family care, or the child and youth health clinic."),
        }

    def __init__(self, *args, site: PilotSite, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.kind = OrganisationKind.UNIT
        self.fields["actor"].required = True
        self.fields["actor"].choices = Actor.choices
        self.fields["parent"].queryset = _without_descendants(
            site.organisations().select_related("parent").order_by("kind", "name"),
            self.instance,
        )
        if not self.instance.pk:
            self.fields["parent"].initial = site.municipality_id

    def clean(self):
        cleaned = super().clean()
        name, parent = cleaned.get("name"), cleaned.get("parent")
        if name and parent:
            clash = Organisation.objects.filter(
                name__iexact=name, kind=OrganisationKind.UNIT, parent=parent
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "name",
                    _("%(parent)s already has a unit with this name.") % {"parent": parent.name},
                )
        return cleaned


class ProgrammeOrganisationForm(NamedBlankChoice, forms.ModelForm):
    """Any organisation of the programme, as a coordinator adds or edits it."""

    parent = OrganisationChoiceField(
        label=_("Part of"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("For a unit: the municipality, region or unit it belongs to."),
    )

    class Meta:
        model = Organisation
        fields = ["name", "kind", "actor", "parent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _without_descendants(
            Organisation.objects.select_related("parent").order_by("kind", "name"), self.instance
        )

    def clean(self):
        cleaned = super().clean()
        name, kind, parent = cleaned.get("name"), cleaned.get("kind"), cleaned.get("parent")
        if name and kind:
            clash = Organisation.objects.filter(
                name__iexact=name, kind=kind, parent=parent
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("name", _("An organisation with this name already exists there."))
        return cleaned


class SchoolForm(NamedBlankChoice, forms.ModelForm):
    """A school chosen for the work at the site."""

    class Meta:
        model = School
        fields = ["name", "school_type", "pupils", "is_active"]

    def __init__(self, *args, site: PilotSite, **kwargs):
        self.site = site
        super().__init__(*args, **kwargs)
        self.instance.site = site
        if not self.instance.pk:
            # A new school takes part; leaving is a later, deliberate step.
            del self.fields["is_active"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if self.site.schools.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The site already has a school with this name."))
        return name
