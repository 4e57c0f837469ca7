"""Workshops for the fictional national-scale sites of `manage.py seed_scale` (see demo.scale.national):
a programme round with four past workshops, the sites' registrations and attendance, and their
deliveries (a practical test linked as the plan or the results), most of them in time.

Every workshop and deadline lies more than the reminder scan's overdue window in the past, so a
worker that runs beside the data sends no reminders about it."""

import datetime
import random

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from pilots.models import Membership, Role
from workshops.linking import practical_test_model
from workshops.models import (
    Deliverable,
    DeliverableKind,
    Delivery,
    DeliveryStatus,
    Programme,
    Registration,
    Workshop,
)
from workshops.reminders import OVERDUE_WINDOW

PROGRAMME = "Programomgång i skala (fiktiv)"
WORKSHOPS = [
    ("Elevhälsobaserad modell med tidiga insatser för psykisk hälsa", None),
    ("Projektplaner, behovsanalys och vinjettarbete", None),
    (
        "Hur gör vi nu tillsammans på skolan med praktiska test?",
        (DeliverableKind.TEST_PLAN, "Plan för ett praktiskt test"),
    ),
    (
        "Hur gick det nu tillsammans på skolan med praktiska test?",
        (DeliverableKind.TEST_RESULTS, "Resultat av ett praktiskt test"),
    ),
]
BATCH = 2000


def seed(*, sites, start: datetime.date, today: datetime.date, random_seed: int = 2018) -> int:
    """Register the sites for the round's workshops; returns the registrations added."""
    rng = random.Random(random_seed + len(sites))
    tests_model = practical_test_model()
    if not sites or tests_model is None:
        return 0
    programme, _ = Programme.objects.get_or_create(
        name=PROGRAMME, defaults={"description": "Fiktiva data för prestandamätning."}
    )
    programme.sites.add(*sites)
    workshops = _workshops(programme, start, today)
    people = {}
    for m in Membership.objects.filter(
        site__in=sites, role__in=[Role.LEAD, Role.WORKING], ends_on__isnull=True
    ).order_by("pk"):
        people.setdefault(m.site_id, []).append(m)
    registrations = [
        Registration(
            workshop=workshop,
            user_id=m.user_id,
            site=site,
            actor=m.actor,
            registered_by_id=m.user_id,
            attended=rng.random() < 0.9,
        )
        for workshop in workshops
        for site in sites
        for m in people.get(site.pk, [])[: rng.randint(1, 3)]
    ]
    Registration.objects.bulk_create(registrations, batch_size=BATCH)
    tests = {}
    for test in tests_model._default_manager.filter(site__in=sites).order_by("pk"):
        tests.setdefault(test.site_id, test)
    test_type = ContentType.objects.get_for_model(tests_model)
    deliveries = []
    for deliverable in Deliverable.objects.filter(workshop__in=workshops):
        for site in sites:
            if site.pk not in tests or rng.random() < 0.15:
                continue  # some sites never deliver: the dashboards show them as overdue
            submitted = deliverable.due_at - datetime.timedelta(days=rng.randint(-3, 5))
            accepted = rng.random() < 0.7
            deliveries.append(
                Delivery(
                    deliverable=deliverable,
                    site=site,
                    content_type=test_type,
                    object_id=tests[site.pk].pk,
                    submitted_by_id=people[site.pk][0].user_id if site.pk in people else None,
                    submitted_at=submitted,
                    status=DeliveryStatus.ACCEPTED if accepted else DeliveryStatus.SUBMITTED,
                    reviewed_at=submitted + datetime.timedelta(days=2) if accepted else None,
                )
            )
    Delivery.objects.bulk_create(deliveries, batch_size=BATCH)
    return len(registrations)


def _workshops(programme, start, today):
    """The round's four workshops, spread over the period and all safely in the past."""
    if programme.workshops.exists():
        return list(programme.workshops.order_by("number"))
    last = timezone.make_aware(
        datetime.datetime.combine(today, datetime.time(9)) - OVERDUE_WINDOW * 2
    )
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time(9)))
    step = max((last - first) / len(WORKSHOPS), datetime.timedelta(days=7))
    workshops = []
    for i, (title, deliverable) in enumerate(WORKSHOPS):
        starts_at = last - step * (len(WORKSHOPS) - 1 - i)
        workshop = Workshop.objects.create(
            programme=programme,
            number=i + 1,
            title=title,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=6),
            place="Fiktiv konferensanläggning",
            invited_roles=[Role.LEAD, Role.WORKING],
            registration_opens_at=starts_at - datetime.timedelta(weeks=6),
            registration_closes_at=starts_at - datetime.timedelta(weeks=1),
        )
        workshops.append(workshop)
        if deliverable:
            Deliverable.objects.create(
                workshop=workshop,
                kind=deliverable[0],
                title=deliverable[1],
                due_at=starts_at - datetime.timedelta(days=3),
            )
    return workshops
