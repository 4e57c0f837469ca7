"""The demo's exchange, the programme's digital platform in 2018: a pinned announcement from the
coordinators to every site at the first workshop, a thread in which members of two sites discuss
Malmö's practical test in November, a site thread before the autumn break, and library items for
the programme and for one site. People and texts are fictional; every date is the story's.

Run through `manage.py seed_demo` after the other parts; safe to run again (keyed by
titles, nothing is added twice; the announcement's e-mail goes once per person)."""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction

from cases.models import PracticalTest
from cases.models.choices import StartingPoint
from demo.programme.story_dates import at, stamp
from exchange import services, tasks
from exchange.models import Announcement, Follow, HelpfulMark, LibraryItem, Thread
from pilots.models import PilotSite, User
from workshops.models import Workshop

DEMO = "(demo)"
ANNOUNCEMENT = f"Välkomna till Triads erfarenhetsutbyte {DEMO}"
THREAD = f"Samtycke vid första kontakten – hur gör ni? {DEMO}"
SITE_THREAD = f"Vem tar emot nya ärenden under lovet? {DEMO}"

D = datetime.date
ANNOUNCED_ON = D(2018, 3, 6)  # workshop 1, where the platform was opened
THREAD_STARTED_ON = D(2018, 11, 26)  # Malmö's second cycle: consent at the first contact
SITE_THREAD_STARTED_ON = D(2018, 10, 22)  # the week before the autumn break


def _user(email):
    return User.objects.filter(email__iexact=email).first()


def seed(stdout) -> None:
    coordinator = _user("coordinator@example.org")
    if coordinator is None:
        stdout.write("exchange: no demo coordinator; skipped.\n")
        return
    with transaction.atomic():
        _announcement(coordinator)
        _threads(coordinator)
        _library(coordinator)
    stdout.write(
        f"exchange: {Announcement.objects.count()} announcements, "
        f"{Thread.objects.count()} threads, {LibraryItem.objects.count()} library items.\n"
    )


def _announcement(coordinator):
    announcement, created = Announcement.objects.get_or_create(
        title=ANNOUNCEMENT,
        defaults={
            "body": (
                "Här delar vi nyheter från programmet och erfarenheter mellan områdena.\n\n"
                "- **Trådar**: ställ frågor till andra områden om era praktiska test.\n"
                "- **Biblioteket**: metodstöd, mallar och material från workshopparna.\n\n"
                "Skriv aldrig något som pekar ut ett barn. *Allt här är påhittat.*"
            ),
            "all_sites": True,
            "pinned": True,
            "send_email": True,
            "created_by": coordinator,
        },
    )
    if created:
        stamp([announcement], at(ANNOUNCED_ON, 16), published_at=at(ANNOUNCED_ON, 16))
        tasks.publish(announcement)


def _posted(post, when):
    """Date a post, its thread's latest post, and the follow and marks it brought, as the story's."""
    stamp([post], when, created_at=when)
    stamp(Thread.objects.filter(pk=post.thread_id), when, last_post_at=when)
    stamp(Follow.objects.filter(thread=post.thread_id, user=post.author_id), when)
    return post


def _threads(coordinator):
    malmo = PilotSite.objects.filter(slug="malmo").first()
    test = PracticalTest.objects.filter(site=malmo).order_by("cycle").first() if malmo else None
    asker, answerer = _user("member@malmo.example.org"), _user("member@uppsala.example.org")
    if test and asker and answerer and not Thread.objects.filter(title=THREAD).exists():
        start = at(THREAD_STARTED_ON, 9, 40)
        thread = services.start_thread(
            site=None,
            title=THREAD,
            body=(
                "Efter första cykeln av vårt test tar vi upp samtycke till **alla tre aktörerna** "
                "redan vid första samtalet (se testet här intill). Där samtycke saknades fick "
                "socialtjänsten och vården vänta.\n\n"
                "Hur gör ni i Uppsala? Frågar ni om samtycke innan socialtjänsten kopplas in?"
            ),
            author=asker,
            practical_test=test,
        )
        stamp([thread], start, created_at=start)
        _posted(thread.posts.get(), start)
        reply = services.add_post(
            thread,
            author=answerer,
            body=(
                "Hos oss är socialsekreteraren med i elevhälsoteamet, så samtycket tas ofta "
                "direkt. Innan dess tog det ofta en vecka extra.\n\n"
                "Tips: ha en kort text om samtycke som kuratorn kan läsa upp."
            ),
        )
        _posted(reply, at(THREAD_STARTED_ON + datetime.timedelta(days=1), 13, 15))
        mark, _ = HelpfulMark.objects.get_or_create(post=reply, user=asker)
        stamp([mark], at(THREAD_STARTED_ON + datetime.timedelta(days=1), 15))
        closing = services.add_post(
            thread, author=coordinator, body="Bra tråd. Vi tar upp samtycke på nästa workshop."
        )
        _posted(closing, at(THREAD_STARTED_ON + datetime.timedelta(days=2), 10))
    lead = _user("lead@malmo.example.org")
    if malmo and lead and not Thread.objects.filter(title=SITE_THREAD).exists():
        thread = services.start_thread(
            site=malmo,
            title=SITE_THREAD,
            body="Kuratorn är ledig vecka 44. Vem tar emot nya ärenden då?",
            author=lead,
        )
        start = at(SITE_THREAD_STARTED_ON, 8, 20)
        stamp([thread], start, created_at=start)
        _posted(thread.posts.get(), start)


def _library(coordinator):
    workshop = Workshop.objects.filter(number=3).order_by("starts_at").first()
    items = [
        (
            None,
            f"PGSA-mall för praktiska test {DEMO}",
            "En mall för att planera, göra, studera och agera – ett test på en sida.",
            ("pgsa-mall.txt", "Planera: ...\nGöra: ...\nStudera: ...\nAgera: ...\n"),
            "",
            [StartingPoint.EARLY],
            workshop,
            D(2018, 9, 3),
        ),
        (
            None,
            f"Vägledning om samtycke mellan aktörerna {DEMO}",
            "Hur samtycke till informationsdelning mellan skola, socialtjänst och hälso- och "
            "sjukvård kan inhämtas och dokumenteras.",
            None,
            "https://example.org/samtycke-vagledning",
            [StartingPoint.EARLY, StartingPoint.SEEK_HELP],
            None,
            D(2018, 11, 28),
        ),
        (
            "malmo",
            f"Malmös rutin för första kontakt {DEMO}",
            "Arbetsgruppens egen rutin: vem tar emot, vem ringer vem, när.",
            ("rutin-forsta-kontakt.txt", "1. Kuratorn tar emot.\n2. Avstämning fredag.\n"),
            "",
            [StartingPoint.SEEK_HELP],
            None,
            D(2018, 11, 14),
        ),
    ]
    for slug, title, description, file, url, points, ws, added_on in items:
        site = PilotSite.objects.filter(slug=slug).first() if slug else None
        if slug and site is None or LibraryItem.objects.filter(title=title).exists():
            continue
        item = LibraryItem(
            site=site,
            title=title,
            description=description,
            url=url,
            starting_points=[str(p) for p in points],
            workshop=ws,
            created_by=coordinator,
        )
        if file:
            name, text = file
            content = text.encode()
            item.original_name, item.size = name, len(content)
            item.file.save(name, ContentFile(content), save=False)
        item.save()
        stamp([item], at(added_on, 14))
