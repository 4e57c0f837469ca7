import datetime

import pytest
from django.utils import timezone

from pilots.models import Role
from tests.pilots.factories import MembershipFactory
from tests.workshops.factories import DeliverableFactory, ProgrammeFactory, WorkshopFactory


@pytest.fixture
def programme(site_a, site_b):
    return ProgrammeFactory(name="Utvecklingsarbetet 2018", sites=[site_a, site_b])


@pytest.fixture
def workshop(programme):
    """Registration open now; the workshop three weeks ahead; leads and working groups invited."""
    return WorkshopFactory(
        programme=programme,
        number=2,
        title="Projektplaner, behovsanalys och vinjettarbete",
        invited_roles=[Role.LEAD, Role.WORKING],
    )


@pytest.fixture
def deliverable(workshop):
    return DeliverableFactory(workshop=workshop, title="Projektplan")


@pytest.fixture
def lead_b(site_b):
    return MembershipFactory(site=site_b, role=Role.LEAD, user__full_name="Beata Ledare").user


def at(workshop, days, hour=8):
    """A moment `days` days before the workshop's day (negative: after), at `hour` local time."""
    day = timezone.localdate(workshop.starts_at) - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
