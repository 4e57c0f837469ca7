"""Inviting people to a site (or to coordinate the programme), and accepting an invitation.

Accepting is public: the link itself is the secret. An unknown, used, withdrawn or expired
link gets a page that says so and what to do, never an error."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from pilots.models import Role, User
from pilots.scoping import CoordinatorRequiredMixin, SiteViewMixin

from . import services
from .forms import CoordinatorInvitationForm, InvitationForm, NewPersonForm
from .models import Invitation
from .services import InvitationState

STATES = (
    InvitationState.PENDING,
    InvitationState.ACCEPTED,
    InvitationState.EXPIRED,
    InvitationState.WITHDRAWN,
)


def _tabs(invitations):
    """(state, label, count) for each state, for the tabs above the list."""
    return [
        (
            state,
            InvitationState.LABELS[state],
            services.invitations_in_state(invitations, state).count(),
        )
        for state in STATES
    ]


def _chosen_state(request):
    state = request.GET.get("state")
    return state if state in STATES else InvitationState.PENDING


# --- A site's invitations ------------------------------------------------------------------


class InvitationCreateView(SiteViewMixin, FormView):
    """Invite a person by e-mail to a role at the site: lead, working or steering group."""

    permission = "can_manage"
    template_name = "accounts/invitations/invitation_form.html"
    form_class = InvitationForm

    def succeeded_membership(self):
        """The membership named by ?succeeds=, which must be one of this site's."""
        if not hasattr(self, "_succeeds"):
            pk = self.request.GET.get("succeeds", "")
            self._succeeds = None
            if pk:
                if not pk.isdigit():
                    raise Http404
                self._succeeds = get_object_or_404(
                    self.site.memberships.select_related("user", "organisation"), pk=pk
                )
        return self._succeeds

    def get_initial(self):
        initial = {}
        if self.request.GET.get("role") in Role.values:
            initial["role"] = self.request.GET["role"]
        predecessor = self.succeeded_membership()
        if predecessor is not None:
            initial.update(
                role=predecessor.role,
                actor=predecessor.actor,
                organisation=predecessor.organisation_id,
                title=predecessor.title,
                hours_per_week=predecessor.hours_per_week,
                succeeds=predecessor.pk,
            )
        return initial

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "site": self.site}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            predecessor=self.succeeded_membership(),
            valid_days=settings.INVITATION_VALID_DAYS,
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        invitation = services.invite(
            email=data["email"],
            full_name=data["full_name"],
            invited_by=self.request.user,
            site=self.site,
            role=data["role"],
            actor=data["actor"],
            organisation=data["organisation"],
            title=data["title"],
            hours_per_week=data["hours_per_week"],
            succeeds=data["succeeds"],
        )
        messages.success(
            self.request,
            _("The invitation is on its way to %(email)s. It is valid for %(days)d days.")
            % {
                "email": invitation.email,
                "days": invitation.valid_days,
            },
        )
        return redirect("accounts:invitation_list", site_slug=self.site.slug)


class InvitationListView(SiteViewMixin, TemplateView):
    """The site's invitations: waiting, accepted, expired and withdrawn."""

    permission = "can_manage"
    template_name = "accounts/invitations/invitation_list.html"

    def get_context_data(self, **kwargs):
        invitations = self.site.invitations.all()
        state = _chosen_state(self.request)
        shown = (
            services.invitations_in_state(invitations, state)
            .select_related("invited_by", "accepted_by", "organisation", "succeeds__user")
            .order_by("-created_at")
        )
        return super().get_context_data(
            state=state,
            state_label=InvitationState.LABELS[state],
            tabs=_tabs(invitations),
            invitations=shown,
            **kwargs,
        )


class InvitationActionView(SiteViewMixin, TemplateView):
    """Confirm (GET) and carry out (POST) one thing done to an invitation of the site."""

    permission = "can_manage"
    template_name = "accounts/invitations/invitation_confirm.html"
    action = ""

    def get_invitation(self):
        return get_object_or_404(self.site.invitations.select_related("site"), pk=self.kwargs["pk"])

    def list_url(self):
        return reverse("accounts:invitation_list", kwargs={"site_slug": self.site.slug})

    def get_context_data(self, **kwargs):
        invitation = self.get_invitation()
        return super().get_context_data(
            invitation=invitation,
            state=services.invitation_state(invitation),
            action=self.action,
            back_url=self.list_url(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        act(request, self.get_invitation(), self.action)
        return redirect(self.list_url())


def act(request, invitation: Invitation, action: str) -> None:
    """Resend or withdraw, with a message that says what happened."""
    if action == "resend":
        try:
            services.resend_invitation(invitation, by=request.user)
        except services.InvitationError:
            messages.info(request, _("This invitation has already been accepted."))
        else:
            messages.success(
                request,
                _("A new link is on its way to %(email)s; the old link no longer works.")
                % {"email": invitation.email},
            )
    elif services.withdraw_invitation(invitation, by=request.user):
        messages.success(
            request,
            _("The invitation to %(email)s is withdrawn; its link no longer works.")
            % {"email": invitation.email},
        )
    else:
        messages.info(request, _("This invitation was no longer waiting for an answer."))


class InvitationResendView(InvitationActionView):
    action = "resend"


class InvitationWithdrawView(InvitationActionView):
    action = "withdraw"


# --- National coordinators -----------------------------------------------------------------


class CoordinatorListView(CoordinatorRequiredMixin, FormView):
    """The programme's national coordinators, their invitations, and a form to invite one."""

    template_name = "accounts/invitations/coordinator_list.html"
    form_class = CoordinatorInvitationForm

    def get_context_data(self, **kwargs):
        invitations = Invitation.objects.filter(as_coordinator=True)
        state = _chosen_state(self.request)
        return super().get_context_data(
            coordinators=User.objects.filter(is_coordinator=True, is_active=True).order_by(
                "full_name", "email"
            ),
            state=state,
            state_label=InvitationState.LABELS[state],
            tabs=_tabs(invitations),
            invitations=services.invitations_in_state(invitations, state)
            .select_related("invited_by", "accepted_by")
            .order_by("-created_at"),
            **kwargs,
        )

    def form_valid(self, form):
        invitation = services.invite(
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            invited_by=self.request.user,
            as_coordinator=True,
        )
        messages.success(
            self.request,
            _("The invitation is on its way to %(email)s.") % {"email": invitation.email},
        )
        return redirect("accounts:coordinator_list")


class CoordinatorInvitationActionView(CoordinatorRequiredMixin, TemplateView):
    template_name = "accounts/invitations/invitation_confirm.html"
    action = ""

    def get_invitation(self):
        return get_object_or_404(Invitation, as_coordinator=True, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        invitation = self.get_invitation()
        return super().get_context_data(
            invitation=invitation,
            state=services.invitation_state(invitation),
            action=self.action,
            back_url=reverse("accounts:coordinator_list"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        act(request, self.get_invitation(), self.action)
        return redirect("accounts:coordinator_list")


class CoordinatorInvitationResendView(CoordinatorInvitationActionView):
    action = "resend"


class CoordinatorInvitationWithdrawView(CoordinatorInvitationActionView):
    action = "withdraw"


# --- Accepting -----------------------------------------------------------------------------


def _where_to_after(invitation: Invitation) -> str:
    if invitation.site_id:
        return invitation.site.get_absolute_url()
    return reverse("pilots:home")


@login_not_required
def invitation_accept(request, token):
    """The page an invitation link opens. What it shows depends on the link and on who is
    signed in: a new person sets a name and password; a known one signs in first."""
    invitation = services.invitation_for_token(token)
    context = {"invitation": invitation, "token": token}
    if invitation is None:
        return render(request, "accounts/invitations/accept_unknown.html", context, status=404)
    state = services.invitation_state(invitation)
    if state != InvitationState.PENDING:
        context["state"] = state
        return render(request, "accounts/invitations/accept_unusable.html", context)

    from .federation import connection_for_email

    context["connection"] = connection_for_email(invitation.email)
    user = request.user
    if user.is_authenticated:
        if not services.is_addressed_to(invitation, user):
            return render(request, "accounts/invitations/accept_wrong_person.html", context)
        if request.method == "POST":
            try:
                services.accept_invitation(invitation, user)
            except services.InvitationError:
                return redirect("accounts:invitation_accept", token=token)
            messages.success(
                request, _("Welcome! You are now %(role)s.") % {"role": invitation.role_label}
            )
            return redirect(_where_to_after(invitation))
        return render(request, "accounts/invitations/accept_confirm.html", context)

    if User.objects.filter(Q(email__iexact=invitation.email)).exists():
        context["login_url"] = (
            f"{reverse('account_login')}?next="
            f"{reverse('accounts:invitation_accept', kwargs={'token': token})}"
        )
        return render(request, "accounts/invitations/accept_sign_in.html", context)

    form = NewPersonForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_as_new_person(
                invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                language=translation.get_language() or "sv",
            )
        except services.InvitationError:
            return redirect("accounts:invitation_accept", token=token)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome to Triad! You are now %(role)s. Sign in with %(email)s next time.")
            % {"role": invitation.role_label, "email": user.email},
        )
        return redirect(_where_to_after(invitation))
    context["form"] = form
    return render(request, "accounts/invitations/accept_new_person.html", context)
