"""Forms for the steering group's and the working group's memberships."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from infra.forms import NamedBlankChoice

from ..models import Membership, PilotSite
from .sites import OrganisationChoiceField

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MembershipForm(NamedBlankChoice, forms.ModelForm):
    """What a member does in the group: actor, organisation, role title, time set aside."""

    organisation = OrganisationChoiceField(label=_("Organisation"), queryset=None, required=False)

    class Meta:
        model = Membership
        fields = [
            "actor",
            "organisation",
            "title",
            "hours_per_week",
            "planned_hours_per_week",
            "starts_on",
        ]
        widgets = {"starts_on": DATE_INPUT}
        help_texts = {
            "planned_hours_per_week": _(
                "What the actor promised to set aside; compare with the hours actually set aside."
            ),
        }

    def __init__(self, *args, site: PilotSite, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            site.organisations().select_related("parent").order_by("kind", "name")
        )
        self.fields["organisation"].help_text = _(
            "Among the organisations of %(municipality)s and %(region)s."
        ) % {"municipality": site.municipality.name, "region": site.region.name}
        for name in ("hours_per_week", "planned_hours_per_week"):
            self.fields[name].widget.attrs.update(min="0", step="0.5")

    def clean(self):
        cleaned = super().clean()
        ends_on, starts_on = self.instance.ends_on, cleaned.get("starts_on")
        if ends_on and starts_on and starts_on > ends_on:
            self.add_error("starts_on", _("The start date cannot be after the end date."))
        return cleaned


class MembershipEndForm(forms.Form):
    """End a membership: the last day and why. The membership stays in the group's history."""

    ends_on = forms.DateField(label=_("Last day"), widget=DATE_INPUT)
    end_reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("E.g. new job, parental leave, reorganisation. Seen in the group's history."),
    )
    invite_successor = forms.BooleanField(
        label=_("Invite a successor now"),
        required=False,
        help_text=_("Opens the invitation form with the same role, linked to this membership."),
    )

    def __init__(self, *args, membership: Membership, can_invite: bool = True, **kwargs):
        self.membership = membership
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].initial = timezone.localdate()
        if not can_invite:
            del self.fields["invite_successor"]

    def clean_ends_on(self):
        ends_on = self.cleaned_data["ends_on"]
        if ends_on < self.membership.starts_on:
            raise forms.ValidationError(
                _("The last day cannot be before the membership started (%(date)s).")
                % {"date": self.membership.starts_on.isoformat()}
            )
        return ends_on
