"""The pilot site is the tenant. Every URL under /sites/<site_slug>/ is resolved here once per
request: the site is loaded, the person's roles there are read, and anyone without a role gets
404 — the same answer as for a site that does not exist, so nothing leaks about other sites.

The same middleware opens the site scope for the whole request (pilots/models/scoped.py): on a
site's pages every site-owned model sees that site's rows only, however a view asks; on other
pages, the rows of the sites the person follows (pilots/access.py). Views say which ability
they need with `SiteViewMixin.permission`, and whether they show case data with the mark
`shows_case_data` (cases/casedata.py), which asks for the second factor here."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django_scopes import scope

from .access import memberships_of, sites_followed
from .models import PilotSite, Role


@dataclass(frozen=True)
class SiteAccess:
    """What the signed-in person may do at the site of this request."""

    site: PilotSite
    roles: frozenset
    is_coordinator: bool

    @property
    def is_lead(self):
        return Role.LEAD in self.roles

    @property
    def is_working_member(self):
        return Role.WORKING in self.roles

    @property
    def is_steering_member(self):
        return Role.STEERING in self.roles

    # Abilities, named for what they allow. Views ask for one of these.
    def can_view(self):
        """Follow the site: its structure, plans, governance and progress."""
        return bool(self.roles) or self.is_coordinator

    def can_manage(self):
        """Run the site: organisations, schools, groups, members, plans."""
        return self.is_lead or self.is_coordinator

    def can_work(self):
        """Log and follow the site's practical tests and cases (the working level)."""
        return self.is_lead or self.is_working_member

    def can_see_cases(self):
        """Read a case's details. Coordinators and steering members never do."""
        return self.is_lead or self.is_working_member

    def can_govern(self):
        """Record steering-group meetings and decisions."""
        return self.is_lead or self.is_steering_member or self.is_coordinator


def site_and_access(user, slug) -> tuple[PilotSite | None, SiteAccess | None]:
    """The site with this slug and the person's access there: one query for someone with a
    role at the site (their memberships, each with the site), two for anyone else."""
    memberships = list(
        memberships_of(user)
        .filter(site__slug=slug)
        .select_related("site__municipality", "site__region")
        .order_by()
    )
    if memberships:
        site = memberships[0].site
    else:
        site = PilotSite.objects.filter(slug=slug).select_related("municipality", "region").first()
        if site is None:
            return None, None
    roles = frozenset(m.role for m in memberships)
    return site, SiteAccess(site=site, roles=roles, is_coordinator=user.is_coordinator)


def access_at(user, site) -> SiteAccess:
    """The person's access at a site other than the page's (a test shown in the exchange)."""
    roles = memberships_of(user).filter(site=site).values_list("role", flat=True)
    return SiteAccess(site=site, roles=frozenset(roles), is_coordinator=user.is_coordinator)


class SiteScopeMiddleware:
    """Opens the site scope around every request (see pilots/models/scoped.py): a page under
    /sites/<slug>/ sees that site's rows only, any other page the rows of the sites the person
    follows, an anonymous visitor none. The scope lasts while a streamed response streams."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            slug = resolve(request.path_info).kwargs.get("site_slug")
        except Resolver404:
            slug = None
        if slug is not None and request.user.is_authenticated:
            site, access = site_and_access(request.user, slug)
            if site is None or not access.can_view():
                raise Http404
            request.site, request.site_access = site, access
            sites = [site.pk]
        else:
            sites = sites_followed(request.user)
        return _within_scope(self.get_response, request, site=sites)


def _within_scope(get_response, request, **scope_kwargs):
    with scope(**scope_kwargs):
        response = get_response(request)
    if response.streaming and not response.is_async:
        response.streaming_content = _streamed_within(response.streaming_content, scope_kwargs)
    return response


def _streamed_within(content, scope_kwargs):
    with scope(**scope_kwargs):
        yield from content


class AdminScopeMiddleware:
    """The admin answers to staff across every site, and says so here: inside /admin/ the
    site scope is lifted. (Placed after SiteScopeMiddleware, whose scope it replaces.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(reverse("admin:index")):
            return self.get_response(request)
        return _within_scope(self.get_response, request, _enabled=False)


# What counts as a second factor: an authenticator app or a passkey / security key. Recovery
# codes alone do not (allauth removes them with the last real factor anyway).
SECOND_FACTORS = ("totp", "webauthn")


def mfa_missing(user) -> bool:
    from allauth.mfa.utils import is_mfa_enabled

    return settings.TRIAD_REQUIRE_MFA_FOR_CASES and not is_mfa_enabled(user, types=SECOND_FACTORS)


def second_factor_gate(request):
    """The answer to a person who may see cases but has no second factor, while one is
    required (TRIAD_REQUIRE_MFA_FOR_CASES): sent to set it up. None lets the page go on.
    Asked for by the "shows case data" mark (cases/casedata.py) before the view runs, so no
    case row is read first. Those who may not see cases are refused by the view itself."""
    access = getattr(request, "site_access", None)
    if access is not None and not access.can_see_cases():
        return None
    if not request.user.is_authenticated or not mfa_missing(request.user):
        return None
    # Signed in through an identity provider that asserted multi-factor authentication
    # (accounts/federation.py): that was the second factor.
    if request.session.get("triad_federated_mfa"):
        return None
    messages.info(request, _("Set up two-factor authentication before you open cases."))
    return redirect("mfa_activate_totp")


class SiteViewMixin:
    """For class-based views under /sites/<site_slug>/.

    `permission` names a SiteAccess ability; a person with a role at the site who lacks it gets
    403 (the site's existence is no secret to them). A page that shows case data says so with
    `shows_case_data` (see cases/casedata.py): that mark asks for the second factor (an authenticator app or a passkey)
    and writes
    the access record."""

    permission = "can_view"

    def dispatch(self, request, *args, **kwargs):
        self.site = request.site
        self.access = request.site_access
        if not getattr(self.access, self.permission)():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("site", self.site)
        kwargs.setdefault("access", self.access)
        return super().get_context_data(**kwargs)


class CoordinatorRequiredMixin:
    """For the programme-level pages that only national coordinators use. Put it first: anyone
    else gets 403 before the page looks for its object, so the answer is the same whether the
    object exists or not. (Views load their object afterwards: in get/post, get_object, or a
    cached_property.)"""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_coordinator:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RestrictedObjectMixin:
    """For generic views with a `model` read through its restriction (pilots.access): the
    objects are those the person may see, so any other answers 404."""

    def get_queryset(self):
        return self.model.objects.restrict(self.request.user)
