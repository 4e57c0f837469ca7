"""The weekly digest goes to each site's leads and steering group, once a week."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from dashboards import digests, tasks
from dashboards.models import SentDigest
from dashboards.services import build_summaries

# A Monday, and the hours around the digest's.
MONDAY = datetime.date(2026, 11, 30)


def at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def built(site_a, lead_a, member_a, steering_a, member_b):
    build_summaries()


def send(django_capture_on_commit_callbacks, moment):
    with django_capture_on_commit_callbacks(execute=True):
        return digests.dispatch(moment)


def test_leads_and_steering_members_get_the_digest(
    built, lead_a, steering_a, member_a, member_b, django_capture_on_commit_callbacks
):
    assert send(django_capture_on_commit_callbacks, at(MONDAY, 8)) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([lead_a.email, steering_a.email])
    message = mail.outbox[0]
    assert message.alternatives and message.alternatives[0][1] == "text/html"
    assert "/sites/site-a/dashboard/" in message.body


def test_the_digest_is_sent_once_a_week(built, django_capture_on_commit_callbacks):
    assert send(django_capture_on_commit_callbacks, at(MONDAY, 8)) == 2
    assert send(django_capture_on_commit_callbacks, at(MONDAY, 9)) == 0
    assert send(django_capture_on_commit_callbacks, at(MONDAY + datetime.timedelta(days=3), 9)) == 0
    assert len(mail.outbox) == 2
    assert SentDigest.objects.count() == 2
    # The next week, again.
    assert send(django_capture_on_commit_callbacks, at(MONDAY + datetime.timedelta(days=7), 8)) == 2


def test_nothing_is_sent_before_monday_morning(built, django_capture_on_commit_callbacks):
    assert send(django_capture_on_commit_callbacks, at(MONDAY, 6)) == 0
    assert not mail.outbox


def test_the_digest_is_in_the_recipients_language(
    built, lead_a, steering_a, django_capture_on_commit_callbacks
):
    steering_a.language = "en"
    steering_a.save()
    send(django_capture_on_commit_callbacks, at(MONDAY, 8))
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert "Progress at Område A" in subjects[steering_a.email]
    assert "Lägesbild för Område A" in subjects[lead_a.email]


def test_the_periodic_task_sends_what_is_due(built, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sent = tasks.scan_digests.delay().get()
    # Whatever day the suite runs, a second scan never sends again.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.scan_digests.delay().get() == 0
    assert len(mail.outbox) == sent
