"""The steering group and the working group: who is in them now, per actor, and who was.
Turnover is the programme's main obstacle, so ending a membership keeps it as history and
leads straight on to inviting a successor."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, UpdateView

from ..forms.groups import MembershipEndForm, MembershipForm
from ..models import Role
from ..models.memberships import SET_ASIDE_ACTORS
from ..models.progress import invitation_url
from ..scoping import SiteViewMixin
from .sites import FormPageMixin

GROUP_PAGES = {Role.STEERING: "steering_group", Role.WORKING: "working_group"}


def group_url(membership):
    page = GROUP_PAGES.get(membership.role, "working_group")
    return reverse(f"pilots:{page}", kwargs={"site_slug": membership.site.slug})


class GroupView(SiteViewMixin, TemplateView):
    """One group of a site: current members per actor, time set aside, and former members."""

    template_name = "pilots/group.html"
    role = Role.WORKING

    def get_context_data(self, **kwargs):
        group = self.site.group_overview(self.role)
        can_manage = self.access.can_manage()
        return super().get_context_data(
            role=self.role,
            group_label=Role(self.role).label,
            sections=group.sections,
            leads=group.leads,
            former=group.former,
            hours=group.hours,
            has_current=group.has_current,
            invite_url=invitation_url(self.site, self.role) if can_manage else None,
            set_aside_actors=SET_ASIDE_ACTORS,
            **kwargs,
        )


class SteeringGroupView(GroupView):
    role = Role.STEERING


class WorkingGroupView(GroupView):
    role = Role.WORKING


class MembershipMixin(SiteViewMixin):
    permission = "can_manage"

    def get_membership(self):
        if not hasattr(self, "_membership"):
            self._membership = get_object_or_404(
                self.site.memberships.select_related("user", "site"), pk=self.kwargs["pk"]
            )
        return self._membership


class MembershipUpdateView(MembershipMixin, FormPageMixin, UpdateView):
    """Edit what a member does in the group (not who they are, nor their role)."""

    form_class = MembershipForm
    submit_label = gettext_lazy("Save the membership")

    def get_object(self, queryset=None):
        return self.get_membership()

    def get_page_title(self):
        return _("Edit %(name)s’s membership") % {"name": self.object.user.get_full_name()}

    def get_intro(self):
        return _("%(role)s at %(site)s since %(date)s.") % {
            "role": self.object.get_role_display(),
            "site": self.site.name,
            "date": self.object.starts_on.isoformat(),
        }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "site": self.site}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("The membership is saved."))
        return response

    def get_success_url(self):
        return group_url(self.object)


class MembershipEndView(MembershipMixin, FormPageMixin, FormView):
    """End a membership (last day and reason) and, if asked, go on to invite a successor."""

    form_class = MembershipEndForm
    submit_label = gettext_lazy("End the membership")
    template_name = "pilots/membership_end.html"

    def get(self, request, *args, **kwargs):
        if self.get_membership().is_ended:
            messages.info(request, _("This membership has already ended."))
            return redirect(group_url(self.get_membership()))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.get_membership().is_ended:
            messages.info(request, _("This membership has already ended."))
            return redirect(group_url(self.get_membership()))
        return super().post(request, *args, **kwargs)

    def get_page_title(self):
        return _("End %(name)s’s membership") % {"name": self.get_membership().user.get_full_name()}

    def get_intro(self):
        return _(
            "The membership is kept in the group's history with its dates and reason. "
            "Nothing the person did is removed."
        )

    def get_form_kwargs(self):
        membership = self.get_membership()
        return {
            **super().get_form_kwargs(),
            "membership": membership,
            "can_invite": invitation_url(self.site, membership.role) is not None,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(membership=self.get_membership(), **kwargs)

    def form_valid(self, form):
        membership = self.get_membership()
        membership.end(on=form.cleaned_data["ends_on"], reason=form.cleaned_data["end_reason"])
        messages.success(
            self.request,
            _("%(name)s’s membership ends on %(date)s.")
            % {"name": membership.user.get_full_name(), "date": membership.ends_on.isoformat()},
        )
        if form.cleaned_data.get("invite_successor"):
            url = invitation_url(self.site, membership.role, succeeds=membership)
            if url:
                return redirect(url)
        return redirect(group_url(membership))

    def get_success_url(self):
        return group_url(self.get_membership())
