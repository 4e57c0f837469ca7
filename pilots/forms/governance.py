"""Forms for the steering group's meetings and decisions and the working group's actions, and
the filter of the action list."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from infra.forms import ModelMultipleChoiceField

from ..models import Action, ActionStatus, Decision, Membership, PilotSite, Role, SteeringMeeting
from .groups import DATE_INPUT


class MemberChoiceMixin:
    def label_from_instance(self, obj):
        parts = [obj.user.get_full_name() or obj.user.email]
        details = [p for p in (obj.title, obj.get_actor_display()) if p]
        if obj.role == Role.LEAD:
            details.insert(0, str(Role.LEAD.label))
        if details:
            parts.append(f"({', '.join(details)})")
        if obj.is_ended:
            parts.append(_("– left %(date)s") % {"date": obj.ends_on.isoformat()})
        return " ".join(str(p) for p in parts)


class MemberChoiceField(MemberChoiceMixin, forms.ModelChoiceField):
    pass


class MembersChoiceField(MemberChoiceMixin, ModelMultipleChoiceField):
    pass


class MeetingForm(forms.ModelForm):
    """A steering-group meeting: when, who was there, the minutes."""

    attendees = MembersChoiceField(
        label=_("Present"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The steering group's members and the project lead at the time."),
    )

    class Meta:
        model = SteeringMeeting
        fields = ["held_on", "attendees", "notes"]
        widgets = {
            "held_on": DATE_INPUT,
            "notes": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "notes": _("What was discussed. Write each decision separately on the meeting's page."),
        }

    def __init__(self, *args, site: PilotSite, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.site = site
        self.fields["attendees"].queryset = (
            site.memberships.filter(role__in=[Role.STEERING, Role.LEAD])
            .select_related("user")
            .order_by("-role", "actor", "user__full_name")
        )
        if not self.instance.pk:
            self.fields["held_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        held_on, attendees = cleaned.get("held_on"), cleaned.get("attendees")
        if held_on and attendees:
            absent = [m for m in attendees if not m.held_on(held_on)]
            if absent:
                self.add_error(
                    "attendees",
                    _("Not in the group on %(date)s: %(names)s.")
                    % {
                        "date": held_on.isoformat(),
                        "names": ", ".join(m.user.get_full_name() for m in absent),
                    },
                )
        return cleaned


class DecisionForm(forms.ModelForm):
    """One decision of the steering group."""

    class Meta:
        model = Decision
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "text": _(
                "As it stands in the minutes, e.g. “The working group tests a joint "
                "intake meeting at one school this autumn.”"
            ),
        }


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        text = obj.text if len(obj.text) <= 80 else obj.text[:79] + "…"
        return f"{obj.meeting.held_on.isoformat()}: {text}"


def responsible_choices(site: PilotSite, keep: Membership | None = None):
    """Who can be responsible for an action: the working group and the project leads now,
    plus whoever already is (even if they have left since)."""
    members = Q(role__in=[Role.WORKING, Role.LEAD]) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate())
    )
    if keep is not None:
        members |= Q(pk=keep.pk)
    return site.memberships.filter(members).select_related("user").order_by("user__full_name")


class ActionForm(forms.ModelForm):
    """A working-group action: what, who, by when, and the decision it follows."""

    decision = DecisionChoiceField(
        label=_("Follows decision"),
        queryset=None,
        required=False,
        empty_label=_("— no decision —"),
        help_text=_("The steering-group decision this action carries out, if any."),
    )
    responsible = MemberChoiceField(
        label=_("Responsible"),
        queryset=None,
        required=False,
        empty_label=_("— nobody yet —"),
    )

    class Meta:
        model = Action
        fields = [
            "title",
            "description",
            "decision",
            "responsible",
            "due_on",
            "status",
            "starting_points",
        ]
        widgets = {"due_on": DATE_INPUT, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, site: PilotSite, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.site = site
        self.fields["decision"].queryset = (
            Decision.objects.filter(meeting__site=site)
            .select_related("meeting")
            .order_by("-meeting__held_on", "pk")
        )
        self.fields["responsible"].queryset = responsible_choices(
            site, keep=self.instance.responsible if self.instance.responsible_id else None
        )


class ActionStatusForm(forms.ModelForm):
    """Only the status, as a working-group member updates it."""

    class Meta:
        model = Action
        fields = ["status"]


class ActionFilter(django_filters.FilterSet):
    """Narrow the action list: status, who is responsible, what is overdue."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=ActionStatus.choices)
    responsible = django_filters.ModelChoiceFilter(
        label=_("Responsible"), queryset=Membership.objects.none(), empty_label=_("Anyone")
    )
    overdue = django_filters.BooleanFilter(
        label=_("Past due only"),
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Action
        fields = ["status", "responsible", "overdue"]

    def __init__(self, *args, site: PilotSite, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.filters["responsible"]
        field.queryset = (
            site.memberships.filter(actions__isnull=False).distinct().select_related("user")
        )
        field.field_class = MemberChoiceField

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset
