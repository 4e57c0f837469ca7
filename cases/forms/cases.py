"""The forms of the pseudonymous case log: a case, its consents per actor (and withdrawing one
given), its closing and the events of its timeline."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from infra.forms import NamedBlankChoice
from pilots.models import Actor

from ..models import Case, CaseConsent, CaseEvent, Closure, Concern, ConsentStatus
from .fields import DateInput, SiteFormMixin, no_blank, site_schools


class CaseForm(NamedBlankChoice, SiteFormMixin, forms.ModelForm):
    """A case's own facts. Its first intervention is not among them: the timeline's earliest
    intervention sets it (services._sync_first_intervention), shown on the case page."""

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
            "sip_started",
            "sip_started_on",
        ]
        widgets = {
            "first_contact_on": DateInput,
            "sip_started_on": DateInput,
            "raised_by": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.school if self.instance.school_id else None
        self.fields["school"].queryset = site_schools(self.site, [current])
        self.fields["practical_test"].queryset = self.site.practical_tests.order_by(
            "-starts_on", "-pk"
        )
        self.fields["practical_test"].empty_label = _("None – a first-line case of the site")
        no_blank(self.fields["raised_by"])

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
        if self.instance.status != ConsentStatus.WITHDRAWN:
            # Consent is withdrawn on its own page (ConsentWithdrawalForm), saying when and to
            # whom; here it can only stay withdrawn, or be given or declined anew.
            status = self.fields["status"]
            status.choices = [c for c in status.choices if c[0] != ConsentStatus.WITHDRAWN]

    @property
    def actor_label(self):
        return dict(Actor.choices)[self.actor]

    def clean(self):
        data = super().clean()
        if data.get("status") == ConsentStatus.NOT_ASKED:
            data["given_by"], data["recorded_on"] = "", None
        elif data.get("status") and not data.get("recorded_on"):
            self.add_error("recorded_on", _("Give the date the answer was given."))
        withdrawn_on = self.instance.withdrawn_on
        if data.get("status") != ConsentStatus.WITHDRAWN:
            self.instance.withdrawn_on, self.instance.withdrawn_by_role = None, ""
        elif withdrawn_on and data.get("recorded_on") and data["recorded_on"] > withdrawn_on:
            self.add_error("recorded_on", _("Consent was withdrawn before this date."))
        return data


class ConsentWithdrawalForm(NamedBlankChoice, forms.ModelForm):
    """Consent given, withdrawn: when, and which staff role received the withdrawal."""

    class Meta:
        model = CaseConsent
        fields = ["withdrawn_on", "withdrawn_by_role"]
        widgets = {"withdrawn_on": DateInput}
        labels = {"withdrawn_by_role": _("Received by (staff role)")}
        help_texts = {"withdrawn_by_role": _("A role, never a name.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True
        if not self.is_bound and not self.initial.get("withdrawn_on"):
            self.initial["withdrawn_on"] = timezone.localdate()

    def clean_withdrawn_on(self):
        day = self.cleaned_data["withdrawn_on"]
        given = self.instance.recorded_on
        if given and day < given:
            raise forms.ValidationError(
                _("Consent cannot be withdrawn before it was given (%(given)s).")
                % {"given": given.isoformat()}
            )
        return day


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
        no_blank(self.fields["level"])

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day < self.case.first_contact_on:
            raise forms.ValidationError(_("The case's first contact was later than this date."))
        return day  # and, like every date in a case, not in the future (models/dates.py)
