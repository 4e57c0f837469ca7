"""The menus on every page: the main menu, and on a site's pages the site's menu.

What they show follows from a few facts (`Menus`): who is signed in and their sites and roles,
which page and site this is, the language. The same facts always give the same HTML, so each set
is drawn once per process and kept (`draw`, the least recently used set leaves first); drawing
them took a third of a simple page's time. The menu templates read nothing but `menus`
(tests/test_navigation.py draws them with nothing else to read), so no other fact can slip into
the kept HTML. The sign-out form's CSRF token differs per person and is put in afterwards."""

from dataclasses import dataclass
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.autoreload import file_changed
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from pilots.access import memberships_of
from pilots.models import Role

# Where the sign-out form's CSRF field goes in the kept HTML.
CSRF_MARK = "<!-- csrf -->"


@dataclass(frozen=True)
class SiteMenu:
    url: str
    name: str
    slug: str
    phase: str
    can_see_cases: bool
    is_lead: bool


@dataclass(frozen=True)
class MySite:
    url: str
    name: str
    roles: str
    current: bool


@dataclass(frozen=True)
class Menus:
    language: str
    signed_in: bool
    short_name: str = ""
    email: str = ""
    is_coordinator: bool = False
    is_staff: bool = False
    my_sites: tuple[MySite, ...] = ()
    view_name: str = ""
    namespace: str = ""
    url_name: str = ""
    # The part of a site's address after its slug ("tests", "cases", …): its menu group.
    section: str = ""
    site: SiteMenu | None = None


def facts(request) -> Menus:
    """The facts the menus of this request follow from: one query, for the person's sites."""
    language = translation.get_language()
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Menus(language=language, signed_in=False)
    match = request.resolver_match
    site = getattr(request, "site", None)
    access = getattr(request, "site_access", None)
    return Menus(
        language=language,
        signed_in=True,
        short_name=user.get_short_name(),
        email=user.email,
        is_coordinator=user.is_coordinator,
        is_staff=user.is_staff,
        my_sites=my_sites(user, site),
        view_name=match.view_name if match else "",
        namespace=match.namespace if match else "",
        url_name=(match.url_name or "") if match else "",
        section=section(request.path) if site else "",
        site=site_menu(site, access) if site else None,
    )


def my_sites(user, current) -> tuple[MySite, ...]:
    rows = (
        memberships_of(user)
        .order_by("site__name", "role")
        .values_list("site_id", "site__name", "site__slug", "role")
    )
    sites = {}
    for site_id, name, slug, role in rows:
        sites.setdefault((site_id, name, slug), []).append(str(Role(role).label))
    return tuple(
        MySite(
            url=site_url(slug),
            name=name,
            roles=", ".join(roles),
            current=current is not None and site_id == current.pk,
        )
        for (site_id, name, slug), roles in sites.items()
    )


def site_url(slug):
    return reverse("pilots:site_home", kwargs={"site_slug": slug})


def site_menu(site, access) -> SiteMenu:
    return SiteMenu(
        url=site_url(site.slug),
        name=site.name,
        slug=site.slug,
        phase=str(site.get_phase_display()),
        can_see_cases=bool(access and access.can_see_cases()),
        is_lead=bool(access and access.is_lead),
    )


def section(path):
    """/sites/<slug>/<section>/… → section."""
    parts = path.split("/")
    return parts[3] if len(parts) > 3 and parts[1] == "sites" else ""


@lru_cache(maxsize=1024)
def draw(menus: Menus) -> str:
    with translation.override(menus.language):
        return render_to_string("includes/menus.html", {"menus": menus, "csrf_mark": CSRF_MARK})


def menus_html(request) -> str:
    html = draw(facts(request))
    if CSRF_MARK not in html:
        return html
    field = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )
    return mark_safe(html.replace(CSRF_MARK, field))  # noqa: S308 - both parts are escaped HTML


# The kept HTML holds addresses and templates: a changed setting (a test's URLconf) or a
# template edited under runserver draws the menus again.
@receiver(setting_changed)
@receiver(file_changed)
def forget_drawn_menus(**kwargs):
    draw.cache_clear()
