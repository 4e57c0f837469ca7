"""Governance at a site: the steering group's meetings and decisions (the strategic level) and
the working group's actions (the operational level), linked both ways — a decision shows the
actions that carry it out, an action shows the decision it follows."""

import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import CreateView, DetailView, TemplateView, UpdateView
from django_filters.views import FilterView
from django_tables2.views import SingleTableMixin

from ..forms.governance import (
    ActionFilter,
    ActionForm,
    ActionStatusForm,
    DecisionForm,
    MeetingForm,
)
from ..models import Action, ActionStatus, Decision, SteeringMeeting
from ..scoping import SiteViewMixin
from .sites import FormPageMixin, SiteTable, safe_next


def _site_url(name, site, **kwargs):
    return reverse(f"pilots:{name}", kwargs={"site_slug": site.slug, **kwargs})


def can_set_status(access):
    """Project leads and coordinators edit actions; working-group members update the status."""
    return access.can_manage() or access.is_working_member


# --- Steering-group meetings and decisions ---------------------------------------------------


class MeetingListView(SiteViewMixin, TemplateView):
    """The steering group's meetings, newest first, each with its decisions and their actions."""

    template_name = "pilots/meeting_list.html"

    def get_context_data(self, **kwargs):
        meetings = self.site.steering_meetings.annotate(
            present_count=Count("attendees", distinct=True)
        ).prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.annotate(
                    action_count=Count("actions", distinct=True),
                    done_count=Count(
                        "actions", filter=Q(actions__status=ActionStatus.DONE), distinct=True
                    ),
                ),
            )
        )
        return super().get_context_data(meetings=meetings, **kwargs)


class MeetingDetailView(SiteViewMixin, DetailView):
    """One meeting: who was there, the minutes, the decisions and what came of each."""

    template_name = "pilots/meeting_detail.html"
    context_object_name = "meeting"

    def get_object(self, queryset=None):
        return get_object_or_404(
            self.site.steering_meetings.select_related("created_by").prefetch_related(
                Prefetch(
                    "attendees",
                    queryset=self.site.memberships.select_related("user").order_by(
                        "actor", "user__full_name"
                    ),
                ),
                Prefetch(
                    "decisions__actions",
                    queryset=Action.objects.select_related("responsible__user"),
                ),
                "approved_versions__document",
            ),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        form = None
        if self.access.can_govern():
            form = DecisionForm()
        return super().get_context_data(decision_form=form, **kwargs)


class MeetingFormMixin(SiteViewMixin, FormPageMixin):
    permission = "can_govern"
    model = SteeringMeeting
    form_class = MeetingForm
    template_name = "pilots/meeting_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "site": self.site}

    def get_success_url(self):
        return self.object.get_absolute_url()


class MeetingCreateView(MeetingFormMixin, CreateView):
    page_title = gettext_lazy("Record a steering-group meeting")
    submit_label = gettext_lazy("Save the meeting")
    intro = gettext_lazy(
        "Record the date, who was there and the minutes. Then add each decision on the "
        "meeting's page, so the working group's actions can follow from it."
    )

    def get_cancel_url(self):
        return _site_url("meeting_list", self.site)

    def form_valid(self, form):
        form.instance.created_by = self.request.user
        response = super().form_valid(form)
        messages.success(self.request, _("The meeting is saved. Now add its decisions."))
        return response


class MeetingUpdateView(MeetingFormMixin, UpdateView):
    page_title = gettext_lazy("Edit the meeting")
    submit_label = gettext_lazy("Save the meeting")

    def get_object(self, queryset=None):
        return get_object_or_404(self.site.steering_meetings, pk=self.kwargs["pk"])

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("The meeting is saved."))
        return response


class DecisionCreateView(SiteViewMixin, FormPageMixin, CreateView):
    """Add a decision to a meeting."""

    permission = "can_govern"
    model = Decision
    form_class = DecisionForm
    page_title = gettext_lazy("Add a decision")
    submit_label = gettext_lazy("Add the decision")

    def get_meeting(self):
        if not hasattr(self, "_meeting"):
            self._meeting = get_object_or_404(self.site.steering_meetings, pk=self.kwargs["pk"])
        return self._meeting

    def get_intro(self):
        return str(self.get_meeting())

    def get_cancel_url(self):
        return self.get_meeting().get_absolute_url()

    def form_valid(self, form):
        form.instance.meeting = self.get_meeting()
        response = super().form_valid(form)
        messages.success(self.request, _("The decision is added."))
        return response

    def get_success_url(self):
        return self.get_meeting().get_absolute_url() + f"#decision-{self.object.pk}"


class DecisionUpdateView(SiteViewMixin, FormPageMixin, UpdateView):
    permission = "can_govern"
    model = Decision
    form_class = DecisionForm
    page_title = gettext_lazy("Edit the decision")
    submit_label = gettext_lazy("Save the decision")

    def get_object(self, queryset=None):
        return get_object_or_404(
            Decision.objects.select_related("meeting"),
            meeting__site=self.site,
            pk=self.kwargs["pk"],
        )

    def get_intro(self):
        return str(self.object.meeting)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("The decision is saved."))
        return response

    def get_success_url(self):
        return self.object.meeting.get_absolute_url() + f"#decision-{self.object.pk}"


# --- Working-group actions --------------------------------------------------------------------


class ActionTable(SiteTable):
    title = tables.Column(
        verbose_name=pgettext_lazy("working-group action", "Action"),
        linkify=lambda record: _site_url("action_detail", record.site, pk=record.pk),
    )
    responsible = tables.Column(
        verbose_name=gettext_lazy("Responsible"),
        accessor="responsible__user__full_name",
        default="–",
        order_by=("responsible__user__full_name",),
    )
    due_on = tables.TemplateColumn(
        verbose_name=gettext_lazy("Due"),
        template_name="pilots/includes/action_due.html",
        order_by=("due_on",),
    )
    status = tables.TemplateColumn(
        verbose_name=gettext_lazy("Status"),
        template_name="pilots/includes/action_status.html",
        order_by=("status",),
    )
    decision = tables.TemplateColumn(
        verbose_name=gettext_lazy("Follows decision"),
        template_name="pilots/includes/action_decision.html",
        orderable=False,
    )

    class Meta(SiteTable.Meta):
        model = Action
        fields = ["title", "responsible", "due_on", "status", "decision"]
        empty_text = gettext_lazy("No action matches the filter.")


class ActionListView(SiteViewMixin, SingleTableMixin, FilterView):
    """The working group's actions: filter by status, responsible person and what is overdue."""

    model = Action
    table_class = ActionTable
    filterset_class = ActionFilter
    template_name = "pilots/action_list.html"
    paginate_by = 50

    def get_queryset(self):
        return self.site.actions.select_related(
            "site", "responsible__user", "decision__meeting"
        ).order_by("status", "due_on", "pk")

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "site": self.site}

    def get_table_kwargs(self):
        return {"caption": _("The working group's actions")}

    def get_context_data(self, **kwargs):
        counts = self.site.actions.aggregate(
            total=Count("pk"),
            open=Count("pk", filter=~Q(status=ActionStatus.DONE)),
        )
        counts["overdue"] = self.site.actions.overdue().count()
        return super().get_context_data(
            counts=counts,
            can_set_status=can_set_status(self.access),
            **kwargs,
        )


class ActionDetailView(SiteViewMixin, DetailView):
    """One action: what, who, by when, and the decision it follows."""

    template_name = "pilots/action_detail.html"
    context_object_name = "action"

    def get_object(self, queryset=None):
        return get_object_or_404(
            self.site.actions.select_related("responsible__user", "decision__meeting"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        status_form = (
            ActionStatusForm(instance=self.object) if can_set_status(self.access) else None
        )
        return super().get_context_data(status_form=status_form, **kwargs)


class ActionFormMixin(SiteViewMixin, FormPageMixin):
    permission = "can_manage"
    model = Action
    form_class = ActionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "site": self.site}

    def get_success_url(self):
        return _site_url("action_detail", self.site, pk=self.object.pk)


class ActionCreateView(ActionFormMixin, CreateView):
    page_title = gettext_lazy("Add a working-group action")
    submit_label = gettext_lazy("Add the action")

    def get_decision(self):
        pk = self.request.GET.get("decision")
        if not pk or not pk.isdigit():
            return None
        # Only the site's own decisions; another site's number is simply ignored.
        return (
            Decision.objects.filter(meeting__site=self.site, pk=pk)
            .select_related("meeting")
            .first()
        )

    def get_initial(self):
        decision = self.get_decision()
        return {"decision": decision.pk} if decision else {}

    def get_intro(self):
        decision = self.get_decision()
        if decision:
            return _("It carries out the steering group's decision of %(date)s: “%(text)s”") % {
                "date": decision.meeting.held_on.isoformat(),
                "text": decision.text,
            }
        return _("What the working group will do, who is responsible and by when.")

    def get_cancel_url(self):
        decision = self.get_decision()
        if decision:
            return decision.meeting.get_absolute_url()
        return _site_url("action_list", self.site)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("The action is added."))
        return response


class ActionUpdateView(ActionFormMixin, UpdateView):
    page_title = gettext_lazy("Edit the action")
    submit_label = gettext_lazy("Save the action")

    def get_object(self, queryset=None):
        return get_object_or_404(self.site.actions, pk=self.kwargs["pk"])

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("The action is saved."))
        return response


class ActionStatusView(SiteViewMixin, FormPageMixin, UpdateView):
    """Update only an action's status: for working-group members as well as the lead."""

    model = Action
    form_class = ActionStatusForm
    page_title = gettext_lazy("Update the status")
    submit_label = gettext_lazy("Update the status")

    def dispatch(self, request, *args, **kwargs):
        access = getattr(request, "site_access", None)
        if access is not None and access.can_view() and not can_set_status(access):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return get_object_or_404(self.site.actions, pk=self.kwargs["pk"])

    def get_intro(self):
        return self.object.title

    def form_valid(self, form):
        self.object = form.save()
        messages.success(
            self.request,
            _("“%(title)s” is now: %(status)s.")
            % {"title": self.object.title, "status": self.object.get_status_display()},
        )
        return redirect(self.get_success_url())

    def get_success_url(self):
        return safe_next(self.request, _site_url("action_detail", self.site, pk=self.object.pk))
