"""Signing in through an organisation's identity provider, and the coordinators' pages that
connect one (accounts/federation.py says the rules)."""

from allauth.socialaccount.providers.base.constants import AuthProcess
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, OuterRef, Subquery
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DeleteView, ListView, UpdateView

from pilots.scoping import CoordinatorRequiredMixin

from . import services
from .federation import connection_for_email
from .forms.federation import FederatedLoginForm, IdentityConnectionForm
from .models import IdentityConnection


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@login_not_required
def federated_login(request):
    """Sign in with the organisation's own account: the e-mail domain a person types finds
    their organisation's identity provider, which the browser is then sent to."""
    form = FederatedLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        provider = form.connection.get_provider(request)
        return provider.redirect(request, AuthProcess.LOGIN, next_url=_safe_next(request))
    return render(
        request,
        "accounts/federation/login.html",
        {"form": form, "next": _safe_next(request) or ""},
    )


@login_not_required
@require_POST
def federated_invitation(request, token):
    """From an invitation's link: through the provider of the invited address's organisation.
    Coming back signed in there is what links the identity to the invited person."""
    invitation = services.invitation_for_token(token)
    if invitation is None or not invitation.is_usable:
        return redirect("accounts:invitation_accept", token=token)
    connection = connection_for_email(invitation.email)
    if connection is None:
        return redirect("accounts:invitation_accept", token=token)
    from .views import _where_to_after

    provider = connection.get_provider(request)
    after = _where_to_after(invitation)
    return provider.redirect(request, AuthProcess.LOGIN, next_url=after, invitation=invitation.pk)


@require_POST
def federated_connect(request):
    """A signed-in person links their organisation's account to their own (found from the
    domain of their address), so that next time they sign in through it."""
    connection = connection_for_email(request.user.email)
    if connection is None:
        messages.error(request, _("Your organisation has no identity provider connected."))
        return redirect("socialaccount_connections")
    provider = connection.get_provider(request)
    return provider.redirect(
        request, AuthProcess.CONNECT, next_url=reverse("socialaccount_connections")
    )


class ConnectionListView(CoordinatorRequiredMixin, ListView):
    """The organisations' identity providers, for the national coordinators."""

    template_name = "accounts/federation/connection_list.html"
    context_object_name = "connections"

    def get_queryset(self):
        from allauth.socialaccount.models import SocialAccount

        linked = (
            SocialAccount.objects.filter(provider=OuterRef("slug"))
            .order_by()
            .values("provider")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            IdentityConnection.objects.select_related("organisation__parent")
            .prefetch_related("domains")
            .annotate(linked=Subquery(linked))
            .order_by("name")
        )


class ConnectionFormMixin(CoordinatorRequiredMixin):
    model = IdentityConnection
    form_class = IdentityConnectionForm
    template_name = "accounts/federation/connection_form.html"
    success_url = reverse_lazy("accounts:connection_list")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("The connection is saved."))
        return response


class ConnectionCreateView(ConnectionFormMixin, CreateView):
    pass


class ConnectionUpdateView(ConnectionFormMixin, UpdateView):
    def get_queryset(self):
        return IdentityConnection.objects.select_related("app")


class ConnectionDeleteView(CoordinatorRequiredMixin, DeleteView):
    model = IdentityConnection
    template_name = "accounts/federation/connection_confirm_delete.html"
    success_url = reverse_lazy("accounts:connection_list")

    def form_valid(self, form):
        from allauth.socialaccount.models import SocialAccount

        connection = self.object
        app = connection.app
        # The people linked through it sign in the usual way again.
        SocialAccount.objects.filter(provider=app.provider_id).delete()
        connection.delete()
        app.delete()
        messages.success(self.request, _("The connection is removed."))
        return redirect(self.success_url)
