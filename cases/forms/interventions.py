"""The forms of general interventions (PALS, YAM): an intervention at a school with its groups,
its sessions, the fidelity checklist, and a programme with its checklist items."""

from django import forms
from django.db.models import Q
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from infra.forms import ModelMultipleChoiceField, NamedBlankChoice
from infra.pnr import validate_no_personal_number

from ..models import (
    Fidelity,
    FidelityItem,
    Intervention,
    InterventionGroup,
    InterventionProgramme,
    InterventionSession,
    StartingPoint,
)
from .fields import CheckedInlineFormSet, DateInput, SiteFormMixin, site_schools


class InterventionForm(NamedBlankChoice, SiteFormMixin, forms.ModelForm):
    class Meta:
        model = Intervention
        fields = [
            "programme",
            "school",
            "status",
            "groups_description",
            "starting_points",
            "starts_on",
            "ends_on",
            "notes",
        ]
        widgets = {
            "starts_on": DateInput,
            "ends_on": DateInput,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.school if self.instance.school_id else None
        self.fields["school"].queryset = site_schools(self.site, [current])
        programme = self.instance.programme_id
        self.fields["programme"].queryset = InterventionProgramme.objects.filter(
            Q(is_active=True) | Q(pk=programme)
        )
        if self.instance.pk is None and not self.instance.starting_points:
            # A programme for everyone at a school is promotive and preventive work first.
            self.initial["starting_points"] = [StartingPoint.PROMOTIVE]

    def clean(self):
        data = super().clean()
        school, programme = data.get("school"), data.get("programme")
        if school is not None and school.site_id != self.site.pk:
            self.add_error("school", _("Choose a school of this site."))
        elif school and programme:
            taken = Intervention.objects.filter(site=self.site, school=school, programme=programme)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(
                    "programme", _("This school already has this programme; open it instead.")
                )
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("It cannot end before it starts."))
        return data


class GroupFormSetBase(CheckedInlineFormSet):
    """The intervention's groups. A group that has taken part in a session stays: its pupils
    are counted as reached."""

    def clean(self):
        super().clean()
        kept = [
            form.instance.name
            for form in self.deleted_forms
            if form.instance.pk and form.instance.sessions.exists()
        ]
        if kept:
            raise forms.ValidationError(
                _("%(groups)s took part in sessions and cannot be removed.")
                % {"groups": ", ".join(kept)}
            )


InterventionGroupFormSet = inlineformset_factory(
    Intervention,
    InterventionGroup,
    formset=GroupFormSetBase,
    fields=["name", "size"],
    extra=2,
    can_delete=True,
)


class SessionForm(forms.ModelForm):
    """A session: when, who led it, which of the intervention's groups took part and how many
    pupils were there."""

    class Meta:
        model = InterventionSession
        fields = ["held_on", "instructors", "groups", "attendance", "note"]
        field_classes = {"groups": ModelMultipleChoiceField}
        widgets = {
            "held_on": DateInput,
            "groups": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, intervention, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.intervention = intervention
        groups = list(intervention.groups.all())
        field = self.fields["groups"]
        field.queryset = intervention.groups.all()
        if not groups:
            field.help_text = _(
                "The intervention has no groups yet: add them when you edit the intervention."
            )
        elif len(groups) == 1 and self.instance.pk is None:
            self.initial.setdefault("groups", groups)

    def clean(self):
        data = super().clean()
        groups, attendance = data.get("groups"), data.get("attendance")
        if groups and attendance is not None:
            size = sum(g.size for g in groups)
            if attendance > size:
                self.add_error(
                    "attendance",
                    _("At most the size of the groups chosen (%(size)s).") % {"size": size},
                )
        return data


class FidelityForm(forms.Form):
    """The programme's checklist: how well each point is met, with an optional comment."""

    def __init__(self, *args, items, existing, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            check = existing.get(item.pk)
            self.fields[f"item-{item.pk}"] = forms.ChoiceField(
                label=item.text,
                choices=[("", _("Not assessed"))] + list(Fidelity.choices),
                required=False,
                initial=check.status if check else "",
            )
            self.fields[f"note-{item.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=300,
                validators=[validate_no_personal_number],
                initial=check.note if check else "",
            )

    def rows(self):
        return [(item, self[f"item-{item.pk}"], self[f"note-{item.pk}"]) for item in self.items]


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = InterventionProgramme
        fields = ["short_name", "name", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


FidelityItemFormSet = inlineformset_factory(
    InterventionProgramme,
    FidelityItem,
    formset=CheckedInlineFormSet,
    fields=["text"],
    extra=3,
    can_delete=True,
)
