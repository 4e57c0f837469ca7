"""Forms of practical tests, cases, vignettes and general interventions. Every choice of a
site-owned object is narrowed to the request's site; free text is guarded by the models'
validators (infra.pnr)."""

from django import forms
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from infra.pnr import validate_no_personal_number
from pilots.forms.fields import ModelMultipleChoiceField, NamedBlankChoice
from pilots.models import Actor, Membership, Role, User

from .models import (
    STEP_FIELDS,
    Case,
    CaseConsent,
    CaseEvent,
    Closure,
    Concern,
    ConsentStatus,
    Decision,
    FidelityItem,
    Intervention,
    InterventionProgramme,
    InterventionSession,
    PracticalTest,
    Stage,
    StartingPoint,
    Vignette,
    VignetteStage,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _site_schools(site, current=()):
    """The site's active schools, and any already chosen that has since left the work."""
    return site.schools.filter(Q(is_active=True) | Q(pk__in=[s.pk for s in current if s]))


def _no_blank(field):
    """Radio buttons need no "---------" choice."""
    field.choices = [(value, label) for value, label in field.choices if value != ""]


class SiteFormMixin:
    """Takes the request's site and keeps every choice inside it."""

    def __init__(self, *args, site, **kwargs):
        self.site = site
        super().__init__(*args, **kwargs)


# --- Practical tests --------------------------------------------------------------------------


class PlanForm(SiteFormMixin, forms.ModelForm):
    starting_points = forms.MultipleChoiceField(
        label=_("Starting points"),
        choices=StartingPoint.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Which of the programme's four starting points the test serves."),
    )

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
        self.fields["schools"].queryset = _site_schools(self.site, chosen_schools)
        members = Membership.objects.active().filter(
            site=self.site, role__in=[Role.LEAD, Role.WORKING]
        )
        chosen_people = list(self.instance.people.all()) if self.instance.pk else []
        self.fields["people"].queryset = User.objects.filter(
            Q(pk__in=members.values("user")) | Q(pk__in=[p.pk for p in chosen_people])
        ).order_by("full_name")
        self.fields["people"].help_text = _("Project leads and working-group members of the site.")

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


# --- Cases ---------------------------------------------------------------------------------


class CaseForm(NamedBlankChoice, SiteFormMixin, forms.ModelForm):
    concerns = forms.MultipleChoiceField(
        label=_("Concerns"),
        choices=Concern.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "concern-choices"}),
        help_text=_("What the case is about; choose all that apply."),
    )

    class Meta:
        model = Case
        fields = [
            "practical_test",
            "school",
            "school_year",
            "raised_by",
            "concerns",
            "first_contact_on",
            "first_intervention_on",
            "sip_started",
            "sip_started_on",
        ]
        widgets = {
            "first_contact_on": DateInput,
            "first_intervention_on": DateInput,
            "sip_started_on": DateInput,
            "raised_by": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.school if self.instance.school_id else None
        self.fields["school"].queryset = _site_schools(self.site, [current])
        self.fields["practical_test"].queryset = self.site.practical_tests.order_by(
            "-starts_on", "-pk"
        )
        self.fields["practical_test"].empty_label = _("None – a first-line case of the site")
        _no_blank(self.fields["raised_by"])

    def clean(self):
        data = super().clean()
        test, school = data.get("practical_test"), data.get("school")
        if test is not None and test.site_id != self.site.pk:
            self.add_error("practical_test", _("Choose a practical test of this site."))
        if school is not None and school.site_id != self.site.pk:
            self.add_error("school", _("Choose a school of this site."))
        if data.get("sip_started_on") and not data.get("sip_started"):
            data["sip_started"] = True
        if not data.get("sip_started"):
            data["sip_started_on"] = None
        return data


class ConsentForm(NamedBlankChoice, forms.ModelForm):
    """Consent to share with one actor; the form's prefix is the actor."""

    class Meta:
        model = CaseConsent
        fields = ["status", "given_by", "recorded_on", "asked_by_role"]
        widgets = {"recorded_on": DateInput}

    def __init__(self, *args, actor, **kwargs):
        self.actor = actor
        super().__init__(*args, prefix=f"consent-{actor}", **kwargs)
        self.instance.actor = actor

    @property
    def actor_label(self):
        return dict(Actor.choices)[self.actor]

    def clean(self):
        data = super().clean()
        if data.get("status") == ConsentStatus.NOT_ASKED:
            data["given_by"], data["recorded_on"] = "", None
        elif data.get("status") and not data.get("recorded_on"):
            self.add_error("recorded_on", _("Give the date the answer was given."))
        return data


def consent_forms(case=None, data=None):
    existing = {c.actor: c for c in case.consents.all()} if case else {}
    return [
        ConsentForm(data, actor=actor, instance=existing.get(actor) or CaseConsent())
        for actor in Actor.values
    ]


class CloseForm(NamedBlankChoice, forms.ModelForm):
    class Meta:
        model = Case
        fields = [
            "closed_on",
            "closure",
            "referred_to",
            "referral_reason",
            "outcome",
            "reflections",
        ]
        widgets = {
            "closed_on": DateInput,
            "closure": forms.RadioSelect,
            "referral_reason": forms.Textarea(attrs={"rows": 3}),
            "reflections": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].required = True
        self.fields["closure"].required = True
        self.fields["closure"].choices = Closure.choices
        self.fields["outcome"].required = True
        if not self.instance.closed_on and not self.initial.get("closed_on"):
            self.initial["closed_on"] = timezone.localdate()

    def clean(self):
        data = super().clean()
        if data.get("closure") == Closure.REFERRED:
            if not data.get("referred_to"):
                self.add_error("referred_to", _("Say where the case was referred."))
        elif data.get("closure") == Closure.RESOLVED:
            data["referred_to"], data["referral_reason"] = "", ""
        closed_on = data.get("closed_on")
        if closed_on and closed_on > timezone.localdate():
            self.add_error("closed_on", _("A case cannot close in the future."))
        return data


class EventForm(NamedBlankChoice, forms.ModelForm):
    class Meta:
        model = CaseEvent
        fields = ["occurred_on", "actor", "level", "kind", "minutes", "note"]
        widgets = {
            "occurred_on": DateInput,
            "level": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
        _no_blank(self.fields["level"])

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day < self.case.first_contact_on:
            raise forms.ValidationError(_("The case's first contact was later than this date."))
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("Log what has happened; the date cannot be in the future.")
            )
        return day


# --- Vignettes -----------------------------------------------------------------------------


class VignetteForm(forms.ModelForm):
    class Meta:
        model = Vignette
        fields = ["title", "introduction"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, site=None, **kwargs):
        self.site = site
        super().__init__(*args, **kwargs)

    def clean_title(self):
        title = self.cleaned_data["title"]
        others = Vignette.objects.filter(site=self.site, title__iexact=title)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("There is already a vignette with this title."))
        return title


class CheckedInlineFormSet(BaseInlineFormSet):
    """Rows whose hidden fields (their id, their parent) come back altered — a stale or tampered
    page — fail with a message at the top: crispy does not show hidden fields' own errors."""

    def clean(self):
        super().clean()
        if any(
            form.has_error(name)
            for form in self.forms
            for name, field in form.fields.items()
            if field.widget.is_hidden
        ):
            raise forms.ValidationError(
                _("This page is out of date. Open it again and redo your changes.")
            )


class StageForm(forms.ModelForm):
    class Meta:
        model = VignetteStage
        fields = ["title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


StageFormSet = inlineformset_factory(
    Vignette,
    VignetteStage,
    form=StageForm,
    formset=CheckedInlineFormSet,
    extra=2,
    can_delete=True,
    min_num=1,
    validate_min=True,
)


class ResponseForm(forms.Form):
    """What each actor would do at each stage: one text per stage and actor."""

    def __init__(self, *args, stages, existing, **kwargs):
        super().__init__(*args, **kwargs)
        self.stages = stages
        for stage in stages:
            for actor, label in Actor.choices:
                name = self.field_name(stage, actor)
                self.fields[name] = forms.CharField(
                    label=label,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    validators=[validate_no_personal_number],
                )
                response = existing.get((stage.pk, actor))
                if response:
                    self.initial[name] = response.text

    @staticmethod
    def field_name(stage, actor):
        return f"stage-{stage.pk}-{actor}"

    def rows(self):
        """Per stage, its three fields (for the template)."""
        return [
            (stage, [self[self.field_name(stage, actor)] for actor in Actor.values])
            for stage in self.stages
        ]


# --- General interventions ------------------------------------------------------------------


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
        self.fields["school"].queryset = _site_schools(self.site, [current])
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
        from .models import Fidelity

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
