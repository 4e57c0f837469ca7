"""The demo: the 2018 programme on the ten demo sites, safe to load twice, and the reminders
a week before workshop 1 go out once."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo.programme import sites as pilots_demo
from demo.programme import workshop_rounds as demo
from tests.once import for_the_module, own_copy_of_files
from workshops.models import (
    Delivery,
    DeliveryStatus,
    Programme,
    Registration,
    ReminderKind,
    SentReminder,
)

REAL_2018 = [
    (datetime.date(2018, 3, 6), "Elevhälsobaserad modell med tidiga insatser för psykisk hälsa"),
    (datetime.date(2018, 5, 14), "Projektplaner, behovsanalys och vinjettarbete"),
    (datetime.date(2018, 9, 3), "Hur gör vi nu tillsammans på skolan med praktiska test?"),
    (datetime.date(2018, 12, 4), "Hur gick det nu tillsammans på skolan med praktiska test?"),
]


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seeded once for the module (tests/once.py): the tests read it, or change it in their
    own savepoint."""
    with for_the_module(django_db_blocker, tmp_path_factory) as media:
        pilots_demo.seed(io.StringIO())
        demo.seed(io.StringIO())
        yield media


@pytest.fixture
def seeded(seeded_once, db, settings, tmp_path):
    own_copy_of_files(seeded_once, tmp_path, settings)


def counts():
    return (
        Programme.objects.count(),
        Registration.objects.count(),
        Delivery.objects.count(),
    )


def test_demo_holds_the_2018_workshops_with_their_real_dates_and_titles(seeded):
    programme = Programme.objects.get(name=demo.PROGRAMME_2018)
    assert programme.sites.count() == 10
    held = [(w.date, w.title) for w in programme.workshops.order_by("starts_at")]
    assert held == REAL_2018


def test_demo_has_attendance_and_deliveries_in_various_states(seeded):
    programme = Programme.objects.get(name=demo.PROGRAMME_2018)
    registrations = Registration.objects.filter(workshop__programme=programme)
    assert registrations.filter(attended=True).exists()
    assert registrations.filter(attended=False).exists()
    statuses = set(
        Delivery.objects.filter(deliverable__workshop__programme=programme).values_list(
            "status", flat=True
        )
    )
    assert statuses == set(DeliveryStatus.values)
    assert Delivery.objects.filter(object_id__isnull=False).exists()  # linked plans
    assert Delivery.objects.exclude(file="").exists()  # uploaded files


def test_demo_has_a_round_open_for_registration_today(seeded):
    follow_up = Programme.objects.get(name=demo.FOLLOW_UP)
    assert any(w.registration_is_open() for w in follow_up.workshops.all())
    upcoming = follow_up.workshops.filter(starts_at__gt=timezone.now())
    assert all(w.starts_at.weekday() < 5 for w in upcoming)


def test_demo_can_be_loaded_twice(seeded):
    before = counts()
    demo.seed(io.StringIO())
    assert counts() == before


def test_demo_sends_the_reminders_due_a_week_before_workshop_1_once(seeded):
    first, second = io.StringIO(), io.StringIO()
    call_command("dispatch_reminders", "--at", "2018-02-27T08:00", stdout=first)
    call_command("dispatch_reminders", "--at", "2018-02-27T08:00", stdout=second)
    sent = SentReminder.objects.all()
    assert sent.exists()
    assert set(sent.values_list("kind", flat=True)) == {ReminderKind.WORKSHOP_WEEK}
    assert {r.workshop.date for r in sent} == {datetime.date(2018, 3, 6)}
    assert f"sent {sent.count()} reminders." in first.getvalue()
    assert "sent 0 reminders." in second.getvalue()


def test_who_came_to_a_2018_workshop_was_a_member_on_its_day(seeded):
    """Linköping's project lead left in June: she came to the spring's workshops, her successor
    from August to the autumn's."""
    slug, left_on, new_from = pilots_demo.LEAD_LEFT
    programme = Programme.objects.get(name=demo.PROGRAMME_2018)
    came = {
        w.number: set(
            Registration.objects.filter(workshop=w, site__slug=slug).values_list(
                "user__email", flat=True
            )
        )
        for w in programme.workshops.all()
    }
    former, current = f"tidigare.projektledare@{slug}.example.org", f"lead@{slug}.example.org"
    assert former in came[1] and former in came[2]
    assert current not in came[1] | came[2]
    assert current in came[3] and current in came[4]
    assert former not in came[3] | came[4]
    for registration in Registration.objects.filter(workshop__programme=programme):
        assert registration.registered_at < registration.workshop.starts_at
