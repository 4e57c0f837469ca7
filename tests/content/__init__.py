"""The content matrix: what pages show, where the permission matrix (tests/matrix/) checks
who may open them. A list that reads every site's rows answers 200 to the right people, so
only what the page says can tell.

The world (built once per module, see tests/test_content_matrix.py) holds, for site A — the
site of lead_a, member_a and steering_a — objects whose text is a tag starting `OWN-`; the same
kind of objects at site B (member_b's) tagged `LEAK-`; a programme only site C takes part in
(nobody of the matrix but the coordinators sees it) with objects tagged `PROG-`; a programme
sites A and B share; and programme-wide objects everyone sees, tagged `ALL-`. Each tag says who
may see it anywhere (`who`) and on which sites' pages it may appear (`sites`): a coordinator
may read site B, but never on a page of site A.

Every named URL has one entry or more, in one module per app (`tests/content/<app>.py`, each
exposing `build(world)`, `PAGES`, `OBJECTS` and `OTHER`), or `test_every_url_has_an_entry`
fails the build:

    PAGES    a list or overview page: fetched as each person the permission matrix lets in
             (or `viewers`), it must show none of the tags that person may not see there, and
             every tag in `shows` (the positive control that keeps the check honest).
    OBJECTS  a detail or edit page of one object: tried with an object the person may not see,
             it must refuse (404, or the refusal the permission matrix states) and must not
             show the object's text.
    OTHER    neither, with the reason (a form without an object, a POST-only button, a
             sign-in page, a file whose secret address is its credential)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

from tests.matrix import OK, PEOPLE  # noqa: F401  (re-exported)

VIEWERS = tuple(p for p in PEOPLE if p != "anonymous")
EVERYONE = frozenset(VIEWERS)
SITE_A = frozenset({"coordinator", "lead_a", "member_a", "steering_a"})
SITE_B = frozenset({"coordinator", "member_b"})
ALL_SITES = frozenset({"a", "b", "c"})


@dataclass(frozen=True)
class Tag:
    """An identifying text put in an object: who may see it, and on which sites' pages."""

    text: str
    who: frozenset
    sites: frozenset = ALL_SITES


class Tags(dict):
    def add(self, text, *, who, sites=ALL_SITES):
        clash = [t for t in self if t in text or text in t]
        assert not clash, f"tag {text} overlaps {clash}: a check could match the wrong one"
        self[text] = Tag(text, frozenset(who), frozenset(sites))
        return text

    def forbidden(self, person, page_site):
        """The tags `person` may not see on a page of `page_site` (None: a programme page)."""
        return {
            t.text
            for t in self.values()
            if person not in t.who or (page_site is not None and page_site not in t.sites)
        }


def new_world():
    tags = Tags()

    def side(key, prefix, who, cases_who):
        def tag(model, *, cases=False):
            return tags.add(f"{prefix}-{model}", who=cases_who if cases else who, sites={key})

        return SimpleNamespace(key=key, prefix=prefix, who=who, tag=tag)

    return SimpleNamespace(
        tags=tags,
        people={},
        a=side("a", "OWN", SITE_A, {"lead_a", "member_a"}),
        b=side("b", "LEAK", SITE_B, {"member_b"}),
        c=side("c", "PROG", frozenset({"coordinator"}), frozenset()),
        # The programme sites A and B share, the one only site C takes part in, and what is
        # programme-wide (every signed-in person with a role, and the coordinators).
        shared=SimpleNamespace(
            tag=lambda model: tags.add(f"OWN-{model}", who=EVERYONE, sites={"a", "b"})
        ),
        # Coordinators see every programme, on any page (a site's forms offer them every
        # workshop): `who` keeps the others out.
        prog=SimpleNamespace(tag=lambda model: tags.add(f"PROG-{model}", who={"coordinator"})),
        all=SimpleNamespace(tag=lambda model: tags.add(f"ALL-{model}", who=EVERYONE)),
    )


@dataclass
class Page:
    """A list or overview page. `shows` maps a person (or "*", everyone who opens it) to the
    tags the page must show them; `viewers` defaults to whom the permission matrix lets in."""

    name: str
    kwargs: Callable = lambda w: {}
    site: str | None = None
    shows: dict = field(default_factory=dict)
    viewers: tuple | None = None
    query: str = ""
    confirm_password: bool = False  # exports ask for the password again first
    xfail: dict = field(default_factory=dict)  # person -> why (a real leak, known today)

    def required(self, person):
        return set(self.shows.get("*", ())) | set(self.shows.get(person, ()))


def site_page(name, *, shows=None, obj=None, **kwargs):
    """A page of site A (`obj(world.a)` adds its object kwargs, e.g. a shared workshop)."""
    return Page(
        name,
        kwargs=lambda w: {"site_slug": w.a.site.slug, **(obj(w) if obj else {})},
        site="a",
        shows=_shows(shows),
        **kwargs,
    )


def programme_page(name, *, shows=None, kwargs=None, **rest):
    return Page(name, kwargs=kwargs or (lambda w: {}), shows=_shows(shows), **rest)


def _shows(shows):
    if shows is None:
        return {}
    if isinstance(shows, dict):
        return shows
    return {"*": set(shows)}


@dataclass
class Attempt:
    """`person` asks for a page with an object whose text is `tag`; they stand where
    `as_person` stands in the permission matrix (member_b at site B is member_a at A)."""

    person: str
    kwargs: dict
    tag: str
    as_person: str | None = None


@dataclass
class Foreign:
    """A detail or edit page tried with objects people may not see. `own(world)` gives the
    page with an object of site A's and the tag it shows: those the permission matrix lets
    in must see that tag there (so its absence elsewhere means something) and nothing else
    they may not see."""

    name: str
    attempts: Callable  # world -> [Attempt]
    own: Callable | None = None


# Refusals that depend on the object itself, so they can only come after the lookup: marking
# one's own post helpful is refused (403); someone else's post one may not see is 404.
REFUSED_AFTER_LOOKUP = {"exchange:post_helpful", "exchange:site_post_helpful"}


def refused(expected, name=""):
    """What refuses a person the permission matrix expects `expected` for with their own
    object: 404 if they may use the page (or it answers 405 to the method); anyone it
    refuses gets that same refusal, since the role is checked before any lookup (so the
    answer does not tell whether the object exists)."""
    if expected in (OK, 405):
        return (404,)
    after_lookup = (404,) if name in REFUSED_AFTER_LOOKUP else ()
    if isinstance(expected, tuple):
        return (*expected, *after_lookup)
    return (expected, *after_lookup)


def site_object(name, *, obj, tag, foreign=None, shown=True):
    """A site URL with an object: the people of site A (and the coordinator) try it through
    site A with site B's object; member_b tries it through site B with site A's. `foreign`
    picks another object than the other site's (e.g. a workshop of a programme neither
    site takes part in): foreign(world, home_side) -> (kwargs, tag). `shown=False`: the page
    names its object by no text of its own (a date, a number), so there is no positive
    control."""

    def attempts(w):
        out = []
        for person in VIEWERS:
            home, other = (w.b, w.a) if person == "member_b" else (w.a, w.b)
            kw, text = foreign(w, home) if foreign else (obj(other), tag(other))
            as_person = "member_a" if person == "member_b" else person
            out.append(Attempt(person, {"site_slug": home.site.slug, **kw}, text, as_person))
        return out

    def own(w):
        return {"site_slug": w.a.site.slug, **obj(w.a)}, tag(w.a)

    return Foreign(name, attempts, own if obj is not None and shown else None)


def programme_object(name, *, obj, tag, coordinator=False, own=None):
    """A programme URL with an object nobody but the coordinators may see (`coordinator=True`:
    not even they, through this URL — e.g. a site's thread through the programme's pages)."""

    def attempts(w):
        people = VIEWERS if coordinator else tuple(p for p in VIEWERS if p != "coordinator")
        return [Attempt(p, obj(w), tag(w)) for p in people]

    return Foreign(name, attempts, own)
