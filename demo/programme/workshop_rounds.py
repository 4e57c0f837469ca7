"""The demo's workshop programme: the real 2018 round with its four workshops (titles and dates
as the programme held them), who registered and came, and what the ten sites delivered; plus a
fictional follow-up round dated around the day the demo is loaded, so that registering and
delivering can be tried in the browser. People, places and files are made up.

Run through `manage.py seed_demo` after the sites' part; safe to run again (keyed by natural keys,
nothing is added twice)."""

import datetime

from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from demo.programme.story_dates import at, stamp
from demo.programme.workshops_2018 import ALL, DELIVERABLES, WORKING, WORKSHOPS_2018
from pilots.models import DocumentKind, Membership, PilotSite, PlanDocument, Role, User
from workshops import linking
from workshops.models import (
    Deliverable,
    Delivery,
    DeliveryEvent,
    DeliveryStatus,
    Programme,
    Registration,
    Workshop,
)

PROGRAMME_2018 = "Utvecklingsarbetet 2018"
FOLLOW_UP = "Fortsättningsomgång (demo)"
SLUGS = [
    "malmo",
    "uppsala",
    "umea",
    "orebro",
    "linkoping",
    "sundsvall",
    "karlstad",
    "boras",
    "gavle",
    "vaxjo",
]
PLACE = "Konferenscentrum (demo), Stockholm"
# The 2018 round was set up when the ten sites were chosen.
PROGRAMME_2018_SET_UP = datetime.date(2017, 12, 4)


def _pdf(title: str) -> bytes:
    """A minimal one-page PDF that says what it is (demo data)."""
    text = title.encode("latin-1", "replace")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out


def _workshop(programme, number, day, title, theme, roles, agenda, *, opens, closes):
    workshop, _ = Workshop.objects.get_or_create(
        programme=programme,
        number=number,
        defaults={
            "title": title,
            "theme": theme,
            "starts_at": at(day, 9, 30),
            "ends_at": at(day, 16),
            "place": PLACE,
            "agenda": agenda,
            "invited_roles": roles,
            "seats_per_site": 6,
            "registration_opens_at": opens,
            "registration_closes_at": closes,
        },
    )
    for kind, d_title, description in DELIVERABLES.get(number, []):
        Deliverable.objects.get_or_create(
            workshop=workshop,
            title=d_title,
            defaults={
                "kind": kind,
                "description": description,
                "due_at": at(day - datetime.timedelta(days=7), 17),
            },
        )
    return workshop


def _people(site, workshop, *, count):
    """The first `count` people invited from the site who were members on the workshop's day:
    leads first, then the working group."""
    members = (
        Membership.objects.filter(site=site, role__in=workshop.invited_roles)
        .held_on(timezone.localdate(workshop.starts_at))
        .select_related("user")
        .order_by("role", "pk")
    )
    seen, people = set(), []
    for m in members:
        if m.user_id not in seen:
            seen.add(m.user_id)
            people.append(m)
    return people[:count]


def _register(site, workshop, *, count, attended=None, absent=0, by=None):
    people = _people(site, workshop, count=count)
    for i, m in enumerate(people):
        registration, created = Registration.objects.get_or_create(
            workshop=workshop,
            user=m.user,
            cancelled_at=None,
            defaults={"site": site, "actor": m.actor, "registered_by": by or m.user},
        )
        if created:
            Registration.objects.filter(pk=registration.pk).update(
                registered_at=workshop.registration_opens_at + datetime.timedelta(days=3 + i),
                attended=None if attended is None else (i < len(people) - absent),
            )


def _practical_test(site):
    model = linking.practical_test_model()
    return model._default_manager.filter(site=site).order_by("pk").first() if model else None


def _linked_document(site, kind):
    return PlanDocument.objects.filter(site=site, kind=kind).first()


def _deliver(site, deliverable, status, *, reviewer, by=None, comment="", linked=None):
    """The site's delivery, handed in by its project lead of the day (unless `by` is given)."""
    if Delivery.objects.filter(deliverable=deliverable, site=site).exists():
        return
    by = by or _lead(site, on=timezone.localdate(deliverable.due_at))
    # Two days before the deadline, or yesterday if the deadline is still ahead.
    submitted = min(
        deliverable.due_at - datetime.timedelta(days=2, hours=3),
        timezone.now() - datetime.timedelta(days=1),
    )
    delivery = Delivery(
        deliverable=deliverable,
        site=site,
        status=status,
        submitted_by=by,
        submitted_at=submitted,
        note="",
    )
    if linked is not None:
        delivery.linked = linked
    else:
        name = f"{deliverable.title} – {site.name}.pdf"
        delivery.file.save(name, ContentFile(_pdf(name.removesuffix(".pdf"))), save=False)
        delivery.original_name = name
    if status != DeliveryStatus.SUBMITTED:
        delivery.reviewed_by = reviewer
        delivery.reviewed_at = min(submitted + datetime.timedelta(days=4), timezone.now())
        delivery.review_comment = comment
    delivery.save()
    DeliveryEvent.objects.create(
        delivery=delivery, action=DeliveryEvent.Action.SUBMITTED, by=by, at=submitted
    )
    if status != DeliveryStatus.SUBMITTED:
        DeliveryEvent.objects.create(
            delivery=delivery, action=status, comment=comment, by=reviewer, at=delivery.reviewed_at
        )


def _lead(site, on=None):
    """The site's project lead on a day (today by default), or its first if none held then."""
    leads = Membership.objects.filter(site=site, role=Role.LEAD).select_related("user")
    m = leads.held_on(on or timezone.localdate()).first() or leads.first()
    return m.user if m else None


def _programme_2018(sites, coordinator):
    programme, created = Programme.objects.get_or_create(
        name=PROGRAMME_2018,
        defaults={
            "description": "Tio kommuner med sina regioner prövar en elevhälsobaserad modell för "
            "första linjen. Fyra workshops under året; mellan dem arbetar områdena på hemmaplan."
        },
    )
    if created:
        stamp([programme], at(PROGRAMME_2018_SET_UP, 10))
    programme.sites.add(*sites)
    workshops = {}
    for number, day, title, theme, roles, agenda in WORKSHOPS_2018:
        workshops[number] = _workshop(
            programme,
            number,
            day,
            title,
            theme,
            roles,
            agenda,
            opens=at(day - datetime.timedelta(days=35), 8),
            closes=at(day - datetime.timedelta(days=14), 23, 59),
        )
    for i, site in enumerate(sites):
        # Workshop 1: everyone came except one person at every third site.
        _register(site, workshops[1], count=5, attended=True, absent=int(i % 3 == 0))
        _register(site, workshops[2], count=4, attended=True, absent=int(i == 7))
        _register(site, workshops[3], count=4 if i < 8 else 2, attended=True, absent=int(i == 5))
        _register(site, workshops[4], count=5 if i != 9 else 0, attended=True)

        d = {x.title: x for x in Deliverable.objects.filter(workshop__programme=programme)}
        plan = _linked_document(site, DocumentKind.PROJECT_PLAN)
        needs = _linked_document(site, DocumentKind.NEEDS_ANALYSIS)
        if i < 8 and plan:
            _deliver(
                site,
                d["Projektplan"],
                DeliveryStatus.ACCEPTED,
                reviewer=coordinator,
                linked=plan,
            )
        elif i == 8 and plan:
            _deliver(
                site,
                d["Projektplan"],
                DeliveryStatus.NEEDS_REVISION,
                reviewer=coordinator,
                linked=plan,
                comment="Beskriv hur informationen går mellan styrgruppen och arbetsgruppen.",
            )
        if i < 9 and needs:
            _deliver(
                site,
                d["Behovsanalys"],
                DeliveryStatus.ACCEPTED,
                reviewer=coordinator,
                linked=needs,
            )
        elif needs:
            _deliver(
                site,
                d["Behovsanalys"],
                DeliveryStatus.SUBMITTED,
                reviewer=coordinator,
                linked=needs,
            )
        if i < 7:
            _deliver(site, d["Vinjettarbete"], DeliveryStatus.ACCEPTED, reviewer=coordinator)
        elif i == 7:
            _deliver(site, d["Vinjettarbete"], DeliveryStatus.SUBMITTED, reviewer=coordinator)
        if i < 8:
            # Sites that ran practical tests link the test itself; the others plan PALS or YAM.
            _deliver(
                site,
                d["Plan för praktiskt test"],
                DeliveryStatus.ACCEPTED,
                reviewer=coordinator,
                linked=_practical_test(site),
            )
        if i < 4:
            _deliver(
                site,
                d["Presentation av testets resultat"],
                DeliveryStatus.ACCEPTED,
                reviewer=coordinator,
            )
        elif i == 4:
            _deliver(
                site,
                d["Presentation av testets resultat"],
                DeliveryStatus.NEEDS_REVISION,
                reviewer=coordinator,
                comment="Lägg till hur många ärenden testet omfattade och vad ni gör i nästa cykel.",
            )
    return programme


def _follow_up(sites, coordinator):
    """A round around today, so the browser shows open registration and work due."""
    today = timezone.localdate()
    programme, created = Programme.objects.get_or_create(
        name=FOLLOW_UP,
        defaults={
            "description": "En påhittad fortsättning på 2018 års arbete, daterad kring dagen då "
            "demodata lästes in, så att anmälan och inlämning går att prova."
        },
    )
    programme.sites.add(*sites)
    # Workshops fall on a Tuesday, three weeks back and four weeks ahead.
    tuesday = today + datetime.timedelta(days=(1 - today.weekday()) % 7)
    first_day = tuesday - datetime.timedelta(days=21)
    second_day = tuesday + datetime.timedelta(days=28)
    first = _workshop(
        programme,
        1,
        first_day,
        "Uppstart: erfarenheter från 2018",
        "Vad tar vi med oss från de praktiska testen, och vad behöver vi nu?",
        ALL,
        "Erfarenheter från 2018\nNya deltagare i områdena\nPlan för året",
        opens=at(first_day - datetime.timedelta(days=35), 8),
        closes=at(first_day - datetime.timedelta(days=7), 23, 59),
    )
    second = _workshop(
        programme,
        2,
        second_day,
        "Projektplaner, behovsanalys och vinjettarbete",
        "Uppdaterade projektplaner och behovsanalyser, och vinjettarbete i blandade grupper.",
        WORKING,
        "Områdena presenterar sina planer\nBehovsanalysen\nVinjettarbete\nNästa steg",
        opens=at(today - datetime.timedelta(days=14), 8),
        closes=at(second_day - datetime.timedelta(days=7), 23, 59),
    )
    for i, site in enumerate(sites):
        lead = _lead(site)
        _register(site, first, count=4, attended=True, absent=int(i % 4 == 1))
        if i >= 3:  # Malmö, Uppsala and Umeå have not registered anyone yet
            _register(site, second, count=2 + i % 3)
        d = {x.title: x for x in second.deliverables.all()}
        if i in (4, 5, 6):
            _deliver(
                site,
                d["Projektplan"],
                DeliveryStatus.SUBMITTED,
                by=lead,
                reviewer=coordinator,
                linked=_linked_document(site, DocumentKind.PROJECT_PLAN),
            )
        if i == 6:
            _deliver(
                site, d["Vinjettarbete"], DeliveryStatus.SUBMITTED, by=lead, reviewer=coordinator
            )
    return programme


def seed(stdout) -> None:
    sites = list(PilotSite.objects.filter(slug__in=SLUGS))
    sites.sort(key=lambda s: SLUGS.index(s.slug))
    coordinator = User.objects.filter(Q(email="coordinator@example.org")).first()
    if not sites or coordinator is None:
        stdout.write("  workshops: skipped (the pilots demo has not made the sites yet)")
        return
    _programme_2018(sites, coordinator)
    _follow_up(sites, coordinator)
    stdout.write(
        f"  workshops: {Programme.objects.count()} programmes, {Workshop.objects.count()} "
        f"workshops, {Registration.objects.count()} registrations, "
        f"{Delivery.objects.count()} deliveries"
    )
