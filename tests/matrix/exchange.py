"""Rows for the exchange: announcements, threads and the library, programme-wide and within a
site. Each site gets its own thread, post and library file, so site B's are foreign to the
people of site A (404, like another site's object). Programme-wide objects are everyone's."""

from tests.exchange.factories import AnnouncementFactory, LibraryItemFactory, PostFactory

from . import (
    LOGIN,
    OK,
    PEOPLE,
    SITE_A_PEOPLE,
    VIEW,
    WORK,
    Row,
    coordinator_row,
    signed_in_row,
    site_row,
)

MANAGE_LIBRARY = WORK | {"coordinator"}


def build(world):
    world.announcement = AnnouncementFactory()
    lead = world.people["lead_a"]
    world.programme_post = PostFactory(thread__site=None, author=lead)
    world.programme_thread = world.programme_post.thread
    world.programme_item = LibraryItemFactory(site=None)
    for s in (world.a, world.b):
        s.exchange_post = PostFactory(thread__site=s.site, author=lead)
        s.exchange_thread = s.exchange_post.thread
        s.library_item = LibraryItemFactory(site=s.site)


def post_only_row(name, *, kwargs=None, refused=()):
    """A programme page that only takes POST (a button): 405 to GET for everyone signed in."""
    post = {p: 403 if p in refused else OK for p in PEOPLE}
    post["anonymous"] = LOGIN
    return Row(
        name=name,
        kwargs=(lambda world, site: kwargs(world)) if kwargs else (lambda world, site: {}),
        get={"anonymous": LOGIN, **{p: 405 for p in PEOPLE if p != "anonymous"}},
        post=post,
    )


def site_post_only_row(name, *, who, obj, refused=()):
    """A site page that only takes POST: 405 to GET for the site's people, 404 for site B."""
    get = {"anonymous": LOGIN, "member_b": 404}
    post = dict(get)
    for person in ("coordinator", *SITE_A_PEOPLE):
        get[person] = 405
        post[person] = OK if person in who and person not in refused else 403
    return Row(
        name=name,
        kwargs=lambda world, site: {"site_slug": site.site.slug, **obj(site)},
        get=get,
        post=post,
    )


def _thread(w):
    return {"pk": w.programme_thread.pk}


ROWS = [
    # The information channel
    signed_in_row("exchange:inbox"),
    post_only_row("exchange:announcements_read"),
    signed_in_row("exchange:announcement_detail", kwargs=lambda w: {"pk": w.announcement.pk}),
    coordinator_row("exchange:announcement_create", post=True),
    coordinator_row(
        "exchange:announcement_update", kwargs=lambda w: {"pk": w.announcement.pk}, post=True
    ),
    signed_in_row("exchange:digest_settings", post=True),
    coordinator_row("exchange:post_hide", kwargs=lambda w: {"pk": w.a.exchange_post.pk}, post=True),
    # Programme-wide threads and library: everyone with a role somewhere
    signed_in_row("exchange:thread_list"),
    signed_in_row("exchange:thread_create", post=True),
    signed_in_row("exchange:thread_detail", kwargs=_thread),
    post_only_row("exchange:thread_reply", kwargs=_thread),
    post_only_row("exchange:thread_follow", kwargs=_thread),
    # Nobody marks their own post helpful (lead_a wrote it).
    post_only_row(
        "exchange:post_helpful",
        kwargs=lambda w: {"pk": w.programme_thread.pk, "post_pk": w.programme_post.pk},
        refused={"lead_a"},
    ),
    signed_in_row("exchange:library_list"),
    coordinator_row("exchange:library_create", post=True),
    signed_in_row("exchange:library_download", kwargs=lambda w: {"pk": w.programme_item.pk}),
    # Within a site
    site_row("exchange:site_thread_list", who=VIEW),
    site_row("exchange:site_thread_create", who=VIEW, post=True),
    site_row("exchange:site_thread_detail", who=VIEW, obj=lambda s: {"pk": s.exchange_thread.pk}),
    site_post_only_row(
        "exchange:site_thread_reply", who=VIEW, obj=lambda s: {"pk": s.exchange_thread.pk}
    ),
    site_post_only_row(
        "exchange:site_thread_follow", who=VIEW, obj=lambda s: {"pk": s.exchange_thread.pk}
    ),
    site_post_only_row(
        "exchange:site_post_helpful",
        who=VIEW,
        obj=lambda s: {"pk": s.exchange_thread.pk, "post_pk": s.exchange_post.pk},
        refused={"lead_a"},
    ),
    site_row("exchange:site_library_list", who=VIEW),
    site_row("exchange:site_library_create", who=MANAGE_LIBRARY, post=True),
    site_row("exchange:site_library_download", who=VIEW, obj=lambda s: {"pk": s.library_item.pk}),
]
