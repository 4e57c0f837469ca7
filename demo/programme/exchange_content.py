"""The demo's exchange: a pinned announcement from the coordinators to every site, a thread in
which members of two sites discuss Malmö's practical test, a site thread, and library items for
the programme and for one site. People and texts are fictional.

Run through `manage.py seed_demo` after the other parts; safe to run again (keyed by
titles, nothing is added twice; the announcement's e-mail goes once per person)."""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cases.models import PracticalTest
from cases.models.choices import StartingPoint
from exchange import services, tasks
from exchange.models import Announcement, HelpfulMark, LibraryItem, Post, Thread
from pilots.models import PilotSite, User
from workshops.models import Workshop

DEMO = "(demo)"
ANNOUNCEMENT = f"Välkomna till Triads erfarenhetsutbyte {DEMO}"
THREAD = f"Samtycke vid första kontakten – hur gör ni? {DEMO}"
SITE_THREAD = f"Vem tar emot nya ärenden under lovet? {DEMO}"


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
        tasks.publish(announcement)


def _threads(coordinator):
    malmo = PilotSite.objects.filter(slug="malmo").first()
    test = PracticalTest.objects.filter(site=malmo).order_by("cycle").first() if malmo else None
    asker, answerer = _user("member@malmo.example.org"), _user("member@uppsala.example.org")
    if test and asker and answerer and not Thread.objects.filter(title=THREAD).exists():
        start = timezone.now() - datetime.timedelta(days=3)
        thread = services.start_thread(
            site=None,
            title=THREAD,
            body=(
                "Vi i Malmö testade att ta upp samtycke till **alla tre aktörerna** redan vid "
                "första samtalet (se testet här intill). Det kortade tiden till första insats.\n\n"
                "Hur gör ni i Uppsala? Frågar ni om samtycke innan socialtjänsten kopplas in?"
            ),
            author=asker,
            practical_test=test,
        )
        Post.objects.filter(thread=thread).update(created_at=start)
        reply = services.add_post(
            thread,
            author=answerer,
            body=(
                "Vi frågar först när vi vet vilken aktör som behövs, och det tar ofta en vecka "
                "extra. Vi provar ert sätt i nästa cykel!\n\n"
                "Tips: ha en kort text om samtycke som kuratorn kan läsa upp."
            ),
        )
        HelpfulMark.objects.get_or_create(post=reply, user=asker)
        services.add_post(
            thread, author=coordinator, body="Bra tråd. Vi tar upp samtycke på nästa workshop."
        )
    lead = _user("lead@malmo.example.org")
    if malmo and lead and not Thread.objects.filter(title=SITE_THREAD).exists():
        services.start_thread(
            site=malmo,
            title=SITE_THREAD,
            body="Kuratorn är ledig vecka 44. Vem tar emot nya ärenden då?",
            author=lead,
        )


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
        ),
        (
            "malmo",
            f"Malmös rutin för första kontakt {DEMO}",
            "Arbetsgruppens egen rutin: vem tar emot, vem ringer vem, när.",
            ("rutin-forsta-kontakt.txt", "1. Kuratorn tar emot.\n2. Avstämning fredag.\n"),
            "",
            [StartingPoint.SEEK_HELP],
            None,
        ),
    ]
    for slug, title, description, file, url, points, ws in items:
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
