"""The permission matrix: who may open which URL.

Every named URL pattern in the URLconf must have a row here, or `test_every_url_has_a_row`
fails the build. Rows live in one module per app (`tests/matrix/<app>.py`, each exposing
`ROWS` and optionally `build(world)` to add its objects to each site).

The people (the keys of an expectation):
    anonymous, coordinator, lead_a, member_a, steering_a, member_b
Objects in a row's URL belong to site A, unless the row is testing a foreign object.

Expectations:
    OK      the page works (status below 400, and not a redirect to the login page)
    LOGIN   a redirect to the login page
    403, 404, 405   that status
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

OK = "ok"
LOGIN = "login"

PEOPLE = ("anonymous", "coordinator", "lead_a", "member_a", "steering_a", "member_b")
SITE_A_PEOPLE = ("lead_a", "member_a", "steering_a")

# Who has each ability at site A (see pilots.scoping.SiteAccess).
VIEW = {"coordinator", "lead_a", "member_a", "steering_a"}
MANAGE = {"coordinator", "lead_a"}
WORK = {"lead_a", "member_a"}
CASES = {"lead_a", "member_a"}
GOVERN = {"coordinator", "lead_a", "steering_a"}


@dataclass
class Row:
    """One URL pattern and what each person gets for GET and, if the view accepts it, POST."""

    name: str
    kwargs: Callable[[SimpleNamespace, SimpleNamespace], dict] = lambda world, site: {}
    get: dict = field(default_factory=dict)
    post: dict | None = None
    # For site URLs with objects: the kwargs with site A's slug but site B's objects.
    foreign: Callable[[SimpleNamespace], dict] | None = None
    post_data: Callable[[SimpleNamespace], dict] = lambda world: {}


def site_row(name, *, who, obj=None, post=False, post_data=None):
    """A URL under /sites/<site_slug>/: `who` may use it, other people of site A get 403,
    the member of site B gets 404, anonymous is sent to log in.

    `obj(site_world)` returns the URL's object kwargs for a site, e.g. {"pk": s.school.pk}."""

    def expectations():
        expected = {"anonymous": LOGIN, "member_b": 404}
        for person in ("coordinator", *SITE_A_PEOPLE):
            expected[person] = OK if person in who else 403
        return expected

    def kwargs(world, site):
        return {"site_slug": site.site.slug, **(obj(site) if obj else {})}

    foreign = None
    if obj is not None:

        def foreign(world):
            return {"site_slug": world.a.site.slug, **obj(world.b)}

    return Row(
        name=name,
        kwargs=kwargs,
        get=expectations(),
        post=expectations() if post else None,
        foreign=foreign,
        post_data=post_data or (lambda world: {}),
    )


def coordinator_row(name, *, kwargs=None, post=False):
    """A programme-level page only national coordinators use."""
    expected = dict.fromkeys(PEOPLE, 403)
    expected.update(anonymous=LOGIN, coordinator=OK)
    return Row(
        name=name,
        kwargs=(lambda world, site: kwargs(world)) if kwargs else (lambda world, site: {}),
        get=dict(expected),
        post=dict(expected) if post else None,
    )


def signed_in_row(name, *, kwargs=None, post=False):
    """A page every signed-in person may open."""
    expected = dict.fromkeys(PEOPLE, OK)
    expected["anonymous"] = LOGIN
    return Row(
        name=name,
        kwargs=(lambda world, site: kwargs(world)) if kwargs else (lambda world, site: {}),
        get=dict(expected),
        post=dict(expected) if post else None,
    )


def public_row(name, *, kwargs=None, post=False, get=OK):
    """A page anyone may open, signed in or not."""
    return Row(
        name=name,
        kwargs=(lambda world, site: kwargs(world)) if kwargs else (lambda world, site: {}),
        get=dict.fromkeys(PEOPLE, get),
        post=dict.fromkeys(PEOPLE, OK) if post else None,
    )
