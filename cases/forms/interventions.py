"""The forms of general interventions (PALS, YAM): an intervention at a school, its sessions,
the fidelity checklist, and a programme with its checklist items."""

from django import forms
from django.db.models import Q
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from infra.forms import NamedBlankChoice
from infra.pnr import validate_no_personal_number

from ..models import (
    Fidelity,
    FidelityItem,
    Intervention,
    InterventionProgramme,
    InterventionSession,
)
from .fields import CheckedInlineFormSet, DateInput, SiteFormMixin, site_schools


class InterventionForm(NamedBlankChoice, SiteFormMixin, forms.ModelForm):
    class Meta:
        model = Intervention
        fields = [
            "programme",
            "school",
            "status",
            "groups_reached",
            "groups_description",
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


class SessionForm(forms.ModelForm):
    class Meta:
        model = InterventionSession
        fields = ["held_on", "instructors", "pupils_reached", "note"]
        widgets = {"held_on": DateInput, "note": forms.Textarea(attrs={"rows": 2})}


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
