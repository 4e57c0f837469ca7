"""Forms for the plan documents: writing a new version and recording the steering group's
approval."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import PilotSite, PlanDocument
from ..models.documents import SECTIONS
from .groups import DATE_INPUT


class PlanVersionForm(forms.Form):
    """One textarea per section, with the section's guidance as help text. Saving makes a new
    version; `base_version` catches someone else having saved in the meantime."""

    note = forms.CharField(
        label=_("What changed"),
        max_length=300,
        required=False,
        help_text=_("A line for the version history, e.g. after the steering group's comments."),
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, kind: str, latest=None, **kwargs):
        self.kind = kind
        self.latest = latest
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("base_version", latest.number if latest else 0)
        super().__init__(*args, **kwargs)
        for key, heading, guidance in SECTIONS[kind]:
            self.fields[f"section_{key}"] = forms.CharField(
                label=heading,
                help_text=guidance,
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
                initial=latest.sections.get(key, "") if latest else "",
            )
        self.order_fields([f"section_{key}" for key, _h, _g in SECTIONS[kind]])

    def section_texts(self):
        return {
            key: self.cleaned_data.get(f"section_{key}", "").strip()
            for key, _h, _g in SECTIONS[self.kind]
        }

    def clean(self):
        cleaned = super().clean()
        if self.has_error("base_version"):
            # Only an altered or broken page sends a bad hidden version; crispy does not show
            # hidden fields' errors, so say it where it is seen.
            self.add_error(
                None, _("This page is out of date. Open it again and redo your changes.")
            )
        if self.errors:
            return cleaned
        texts = self.section_texts()
        if not any(texts.values()):
            raise forms.ValidationError(_("Write at least one section before you save."))
        latest_number = self.latest.number if self.latest else 0
        base = cleaned.get("base_version")
        if base is not None and base != latest_number:
            raise forms.ValidationError(
                _(
                    "Someone saved version %(number)s while you were editing. Your text is "
                    "kept below: compare it with the latest version, then save again."
                )
                % {"number": latest_number},
                code="conflict",
            )
        if self.latest and all(
            texts[key] == self.latest.sections.get(key, "").strip() for key in texts
        ):
            raise forms.ValidationError(
                _("Nothing has changed since version %(number)s.") % {"number": latest_number}
            )
        return cleaned

    def accept_latest_as_base(self):
        """After a conflict, the next save is meant to replace the newest version."""
        data = self.data.copy()
        data["base_version"] = self.latest.number if self.latest else 0
        self.data = data


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("Steering-group meeting %(date)s") % {"date": obj.held_on.isoformat()}


class ApprovalForm(forms.Form):
    """Record that the steering group approved a version."""

    approved_on = forms.DateField(label=_("Approved on"), widget=DATE_INPUT)
    meeting = MeetingChoiceField(
        label=_("At the meeting"),
        queryset=None,
        required=False,
        empty_label=_("— not at a recorded meeting —"),
        help_text=_("The steering-group meeting where it was approved, if it is recorded."),
    )

    def __init__(self, *args, document: PlanDocument, site: PilotSite, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = site.steering_meetings.all()
        self.fields["approved_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        approved_on, meeting = cleaned.get("approved_on"), cleaned.get("meeting")
        if approved_on and approved_on > timezone.localdate():
            self.add_error("approved_on", _("The approval cannot be in the future."))
        if approved_on and meeting and meeting.held_on != approved_on:
            self.add_error(
                "meeting",
                _("That meeting was held on %(date)s, not on the day of approval.")
                % {"date": meeting.held_on.isoformat()},
            )
        return cleaned
