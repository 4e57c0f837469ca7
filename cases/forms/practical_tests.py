"""The forms of a practical test's steps: plan, do, study and act (PDSA), by stage."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from infra.forms import ModelMultipleChoiceField
from pilots.models import Membership, Role, User

from ..models import (
    STEP_FIELDS,
    Comparator,
    Decision,
    PracticalTest,
    PredictedMeasure,
    Stage,
)
from .fields import DateInput, SiteFormMixin, site_schools


class PlanForm(SiteFormMixin, forms.ModelForm):
    class Meta:
        model = PracticalTest
        fields = STEP_FIELDS[Stage.PLAN]
        field_classes = {"schools": ModelMultipleChoiceField, "people": ModelMultipleChoiceField}
        widgets = {
            "schools": forms.CheckboxSelectMultiple,
            "people": forms.CheckboxSelectMultiple,
            "starts_on": DateInput,
            "ends_on": DateInput,
            "change_idea": forms.Textarea(attrs={"rows": 3}),
            "aim": forms.Textarea(attrs={"rows": 3}),
            "prediction": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
            "who_what_when": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chosen_schools = list(self.instance.schools.all()) if self.instance.pk else []
        self.fields["schools"].queryset = site_schools(self.site, chosen_schools)
        members = Membership.objects.active().filter(
            site=self.site, role__in=[Role.LEAD, Role.WORKING]
        )
        chosen_people = list(self.instance.people.all()) if self.instance.pk else []
        self.fields["people"].queryset = User.objects.filter(
            Q(pk__in=members.values("user")) | Q(pk__in=[p.pk for p in chosen_people])
        ).order_by("full_name")
        self.fields["people"].help_text = _("Project leads and working-group members of the site.")
        # The prediction in figures is optional: its empty choices say so in words.
        self.fields["predicted_measure"].choices = [
            ("", _("No prediction in figures")),
            *PredictedMeasure.choices,
        ]
        self.fields["predicted_comparator"].choices = [
            ("", _("Choose a comparison")),
            *Comparator.choices,
        ]

    def clean_schools(self):
        schools = self.cleaned_data["schools"]
        if any(s.site_id != self.site.pk for s in schools):
            raise forms.ValidationError(_("Choose schools of this site."))
        return schools


class DoForm(forms.ModelForm):
    class Meta:
        model = PracticalTest
        fields = STEP_FIELDS[Stage.DO]
        widgets = {
            "what_happened": forms.Textarea(attrs={"rows": 5}),
            "deviations": forms.Textarea(attrs={"rows": 4}),
        }


class StudyForm(forms.ModelForm):
    class Meta:
        model = PracticalTest
        fields = STEP_FIELDS[Stage.STUDY]
        widgets = {
            "study_results": forms.Textarea(attrs={"rows": 5}),
            "learning": forms.Textarea(attrs={"rows": 4}),
        }


class ActForm(forms.ModelForm):
    class Meta:
        model = PracticalTest
        fields = STEP_FIELDS[Stage.ACT]
        widgets = {
            "decision": forms.RadioSelect,
            "decision_reason": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 4}),
            "decided_on": DateInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].required = True
        self.fields["decision"].choices = Decision.choices
        self.fields["decided_on"].required = True
        # The instance's empty date is already in self.initial, so setdefault would keep it.
        if not self.instance.decided_on and not self.initial.get("decided_on"):
            self.initial["decided_on"] = timezone.localdate()


STEP_FORMS = {Stage.PLAN: PlanForm, Stage.DO: DoForm, Stage.STUDY: StudyForm, Stage.ACT: ActForm}
