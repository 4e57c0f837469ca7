"""The exchange: announcements, threads and the library. Announcements reach the sites (and
roles) they are addressed to; threads and library items belong to one site or, without a
site, to the whole programme (ALL-). A site's thread or item is never served through the
programme's pages, whoever asks, coordinators included."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from pilots.models import Role
from tests.exchange.factories import AnnouncementFactory, LibraryItemFactory, PostFactory

from . import (
    Attempt,
    Foreign,
    programme_object,
    programme_page,
    site_object,
    site_page,
)


def _file(text):
    return ContentFile(b"%PDF-1.4\n" + text.encode() + b"\n%%EOF\n", name="mall.pdf")


def build(w):
    tags = w.tags
    lead = w.people["lead_a"]
    w.announcement = AnnouncementFactory(title=w.all.tag("Announcement"), body="Hej!")
    w.draft_announcement = AnnouncementFactory(
        title=tags.add("DRAFT-Announcement", who={"coordinator"}),
        published_at=timezone.now() + datetime.timedelta(days=3),
    )
    # To site A's steering group only: its project lead and working group do not get it.
    w.steering_announcement = AnnouncementFactory(
        title=tags.add("STEERING-Announcement", who={"coordinator", "steering_a"}, sites={"a"}),
        all_sites=False,
        sites=[w.a.site],
        roles=[Role.STEERING],
    )
    w.programme_post = PostFactory(
        thread__site=None,
        thread__title=w.all.tag("Thread"),
        thread__workshop=w.workshop,
        author=lead,
        body=w.all.tag("Post"),
    )
    w.programme_thread = w.programme_post.thread
    w.programme_item = LibraryItemFactory(
        site=None, title=w.all.tag("Library"), file=_file(w.all.tag("Attachment"))
    )
    for s in (w.a, w.b):
        s.announcement = AnnouncementFactory(
            title=s.tag("Announcement"), all_sites=False, sites=[s.site]
        )
        s.post = PostFactory(
            thread__site=s.site,
            thread__title=s.tag("Thread"),
            thread__practical_test=s.test,
            author=s.member.user,
            body=s.tag("Post"),
        )
        s.thread = s.post.thread
        s.item = LibraryItemFactory(
            site=s.site, title=s.tag("Library"), file=_file(s.tag("Attachment"))
        )


def _site_kw(attr):
    return lambda s: {"pk": getattr(s, attr).pk}


def _text(model):
    return lambda s: f"{s.prefix}-{model}"


def _other_sites_announcement(name):
    """An announcement that does not reach the person: 404 (coordinators read them all)."""

    def attempts(w):
        other_site = [
            Attempt(person, {"pk": other.announcement.pk}, f"{other.prefix}-Announcement")
            for person, other in (
                ("lead_a", w.b),
                ("member_a", w.b),
                ("steering_a", w.b),
                ("member_b", w.a),
            )
        ]
        # Another role's, and one not yet published.
        steering = [
            Attempt(person, {"pk": w.steering_announcement.pk}, "STEERING-Announcement")
            for person in ("lead_a", "member_a", "member_b")
        ]
        draft = [
            Attempt(person, {"pk": w.draft_announcement.pk}, "DRAFT-Announcement")
            for person in ("lead_a", "member_a", "steering_a", "member_b")
        ]
        return other_site + steering + draft

    return Foreign(name, attempts)


def _site_thread_via_programme(name, kwargs=None, tag="LEAK-Post"):
    """A site's thread (or item) through the programme's pages: 404 for everyone, the
    coordinators too."""
    kwargs = kwargs or (lambda s: {"pk": s.thread.pk})
    return programme_object(name, obj=lambda w: kwargs(w.b), tag=lambda w: tag, coordinator=True)


PAGES = [
    programme_page(
        "exchange:inbox",
        shows={
            "*": {"ALL-Announcement"},
            "lead_a": {"OWN-Announcement"},
            "member_a": {"OWN-Announcement"},
            "steering_a": {"OWN-Announcement", "STEERING-Announcement"},
            "member_b": {"LEAK-Announcement"},
            "coordinator": {"DRAFT-Announcement", "OWN-Announcement", "LEAK-Announcement"},
        },
    ),
    programme_page(
        "exchange:announcement_detail",
        kwargs=lambda w: {"pk": w.announcement.pk},
        shows={"ALL-Announcement"},
    ),
    programme_page("exchange:announcement_create", shows={"OWN-Site", "LEAK-Site"}),
    programme_page(
        "exchange:announcement_update",
        kwargs=lambda w: {"pk": w.a.announcement.pk},
        shows={"OWN-Announcement"},
    ),
    programme_page("exchange:digest_settings"),
    programme_page("exchange:post_hide", kwargs=lambda w: {"pk": w.programme_post.pk}),
    programme_page("exchange:thread_list", shows={"ALL-Thread", "OWN-Workshop"}),
    programme_page(
        "exchange:thread_create",
        shows={
            "*": {"OWN-Workshop", "ALL-Vignette"},
            "lead_a": {"OWN-Test", "OWN-Vignette"},
            "member_a": {"OWN-Test", "OWN-Vignette"},
            "steering_a": {"OWN-Test", "OWN-Vignette"},
            "member_b": {"LEAK-Test", "LEAK-Vignette"},
        },
    ),
    programme_page(
        "exchange:thread_detail",
        kwargs=lambda w: {"pk": w.programme_thread.pk},
        shows={"ALL-Thread", "ALL-Post"},
    ),
    programme_page("exchange:library_list", shows={"ALL-Library"}),
    programme_page("exchange:library_create", shows={"OWN-Workshop"}),
    site_page("exchange:site_thread_list", shows={"OWN-Thread", "OWN-Test"}),
    site_page("exchange:site_thread_create", shows={"OWN-Test", "OWN-Vignette", "ALL-Vignette"}),
    site_page(
        "exchange:site_thread_detail",
        obj=lambda w: {"pk": w.a.thread.pk},
        shows={"OWN-Thread", "OWN-Post", "OWN-Test"},
    ),
    site_page("exchange:site_library_list", shows={"OWN-Library"}),
    site_page("exchange:site_library_create", shows={"OWN-Workshop"}),
]

OBJECTS = [
    _other_sites_announcement("exchange:announcement_detail"),
    programme_object(
        "exchange:announcement_update",
        obj=lambda w: {"pk": w.b.announcement.pk},
        tag=lambda w: "LEAK-Announcement",
    ),
    programme_object(
        "exchange:post_hide", obj=lambda w: {"pk": w.b.post.pk}, tag=lambda w: "LEAK-Post"
    ),
    _site_thread_via_programme("exchange:thread_detail"),
    _site_thread_via_programme("exchange:thread_reply"),
    _site_thread_via_programme("exchange:thread_follow"),
    _site_thread_via_programme(
        "exchange:post_helpful", kwargs=lambda s: {"pk": s.thread.pk, "post_pk": s.post.pk}
    ),
    _site_thread_via_programme(
        "exchange:library_download",
        kwargs=lambda s: {"pk": s.item.pk},
        tag="LEAK-Attachment",
    ),
    site_object("exchange:site_thread_detail", obj=_site_kw("thread"), tag=_text("Post")),
    site_object("exchange:site_thread_reply", obj=_site_kw("thread"), tag=_text("Post")),
    site_object("exchange:site_thread_follow", obj=_site_kw("thread"), tag=_text("Post")),
    site_object(
        "exchange:site_post_helpful",
        obj=lambda s: {"pk": s.thread.pk, "post_pk": s.post.pk},
        tag=_text("Post"),
    ),
    site_object("exchange:site_library_download", obj=_site_kw("item"), tag=_text("Attachment")),
]

OTHER = {
    "exchange:announcements_read": "a POST-only button (mark one's own inbox read)",
}
