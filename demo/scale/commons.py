"""What the national-scale sites share (`manage.py seed_scale --commons`), for the pages of
`make bench` that read across sites: the programme's vignette with most sites' answers, a long
programme thread written by people of many sites, and a library of a few hundred items (links)
for the programme and the sites.

Safe to run again: each part is keyed by its title and added once, for the scale sites there
are then. Texts are made up and say so; no file is stored."""

import datetime
import random

from django.db.models import Q
from django.utils import timezone

from cases.models import StartingPoint, Vignette, VignetteResponse, VignetteStage
from demo.programme.case_stories import VIGNETTE, VIGNETTE_ANSWERS
from demo.scale.batches import bulk
from demo.scale.fiction import CITY_PREFIX, COORDINATOR_EMAIL, SLUG_PREFIX
from exchange.models import Follow, HelpfulMark, LibraryItem, Post, Thread
from pilots.models import Membership, PilotSite, Role, User

VIGNETTE_TITLE = "Alex, 14 år: ont i magen och borta från skolan (fiktiv, skala)"
THREAD_TITLE = "Hur når ni vårdnadshavarna tidigt? (fiktiv, skala)"
POSTS = 60
LIBRARY_TAG = "(fiktiv, skala)"
LIBRARY_TOPICS = [
    ("Vägledning om samtycke", "Hur samtycke mellan skola, socialtjänst och vård inhämtas."),
    ("Mall för praktiska test", "Planera, göra, studera och agera på en sida."),
    ("Rutin för första kontakt", "Vem tar emot en ny signal och vem ringer vem."),
    ("Frånvaro och tidiga insatser", "Att fånga upp upprepad frånvaro innan den växer."),
    ("Samverkan kring SIP", "När en samordnad individuell plan behövs och hur den startar."),
    ("Stödsamtal i elevhälsan", "Korta samtal med barnet, och när fler behöver kopplas in."),
]
PHRASES = [
    "Vi bjuder in vårdnadshavarna redan vid andra frånvarodagen och har kurator med.",
    "Hos oss ringer mentorn hem samma vecka; socialsekreteraren finns med på skolan på tisdagar.",
    "Vi har provat ett gemensamt brev från skolan och socialtjänsten. Det gav fler träffar.",
    "Samtycket tar vi upp vid första mötet, annars blir det en vecka till innan vården kan vara med.",
    "Vår erfarenhet är att en fast tid i veckan för trepartssamtal sänker tröskeln.",
]


def seed(*, random_seed=2018) -> dict:
    """Add what is missing; returns what the scale sites share now."""
    rng = random.Random(random_seed)
    sites = list(
        PilotSite.objects.filter(
            Q(slug__startswith=SLUG_PREFIX) | Q(slug__startswith=CITY_PREFIX)
        ).order_by("pk")
    )
    coordinator = User.objects.filter(email=COORDINATOR_EMAIL).first()
    if not sites or coordinator is None:
        return counts()
    writers = {}
    for m in Membership.objects.filter(site__in=sites, role__in=[Role.LEAD, Role.WORKING]).order_by(
        "pk"
    ):
        writers.setdefault(m.site_id, m)
    _vignette(sites, writers, coordinator, rng)
    _thread(sites, writers, coordinator, rng)
    _library(sites, coordinator, rng)
    return counts()


def counts() -> dict:
    return {
        "vignette_responses": VignetteResponse.objects.filter(
            stage__vignette__title=VIGNETTE_TITLE
        ).count(),
        "thread_posts": Post.objects.filter(thread__title=THREAD_TITLE).count(),
        "library_items": LibraryItem.objects.filter(title__endswith=LIBRARY_TAG).count(),
    }


def _vignette(sites, writers, coordinator, rng):
    """Most sites (three in four) have answered every stage for each of the three actors."""
    if Vignette.objects.filter(site=None, title=VIGNETTE_TITLE).exists():
        return
    vignette = Vignette.objects.create(
        title=VIGNETTE_TITLE, introduction=VIGNETTE["introduction"], created_by=coordinator
    )
    stages = bulk(
        VignetteStage,
        [
            VignetteStage(vignette=vignette, position=i, title=title, text=text)
            for i, (title, text) in enumerate(VIGNETTE["stages"], start=1)
        ],
    )
    bulk(
        VignetteResponse,
        [
            VignetteResponse(
                site=site,
                stage=stage,
                actor=actor,
                text=answers[stage.position - 1],
                updated_by_id=writers[site.pk].user_id if site.pk in writers else None,
            )
            for site in sites
            if rng.random() < 0.75
            for stage in stages
            for actor, answers in VIGNETTE_ANSWERS.items()
        ],
    )


def _thread(sites, writers, coordinator, rng):
    """A programme thread of POSTS posts over two months, people of many sites taking part."""
    if Thread.objects.filter(site=None, title=THREAD_TITLE).exists():
        return
    started = timezone.now() - datetime.timedelta(days=60)
    thread = Thread.objects.create(
        site=None, title=THREAD_TITLE, created_by=coordinator, created_at=started
    )
    authors = [coordinator.pk] + [writers[s.pk].user_id for s in sites if s.pk in writers]
    posts = bulk(
        Post,
        [
            Post(
                thread=thread,
                author_id=authors[0] if i == 0 else rng.choice(authors),
                body=(
                    "Hur gör ni för att nå vårdnadshavarna tidigt, innan frånvaron växer?"
                    if i == 0
                    else f"{rng.choice(PHRASES)}\n\n*Påhittat inlägg {i}.*"
                ),
                created_at=started + datetime.timedelta(hours=24 * i),
            )
            for i in range(POSTS)
        ],
    )
    Thread.objects.filter(pk=thread.pk).update(last_post_at=posts[-1].created_at)
    bulk(Follow, [Follow(thread=thread, user_id=a) for a in {p.author_id for p in posts}])
    bulk(
        HelpfulMark,
        [
            HelpfulMark(post=post, user_id=user)
            for post in posts[1:]
            for user in set(rng.sample(authors, rng.randint(0, min(4, len(authors)))))
            - {post.author_id}
        ],
    )


def _library(sites, coordinator, rng):
    """Programme items on each topic (a few hundred) and one item of each site's own."""
    if LibraryItem.objects.filter(title__endswith=LIBRARY_TAG).exists():
        return
    points = StartingPoint.values
    items = [
        LibraryItem(
            site=None,
            title=f"{topic} {n + 1} {LIBRARY_TAG}",
            description=description,
            url=f"https://example.org/bibliotek/{i}-{n}",
            starting_points=rng.sample(points, rng.randint(1, 2)),
            created_by=coordinator,
        )
        for i, (topic, description) in enumerate(LIBRARY_TOPICS)
        for n in range(50)
    ]
    items += [
        LibraryItem(
            site=site,
            title=f"{rng.choice(LIBRARY_TOPICS)[0]} hos {site.name} {LIBRARY_TAG}",
            description="Områdets egen version, med kontaktvägar och tider.",
            url=f"https://example.org/omrade/{site.slug}",
            starting_points=rng.sample(points, 1),
            created_by=coordinator,
        )
        for site in sites
    ]
    bulk(LibraryItem, items)
