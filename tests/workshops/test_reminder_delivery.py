"""Deciding a reminder and delivering its e-mail are two steps: a delivered twice, lost or
failed send still ends in exactly one e-mail (in-process; the worker drills are in
tests/faults/)."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.utils import timezone

from tests.workshops.conftest import at
from tests.workshops.factories import RegistrationFactory
from workshops import reminders
from workshops.models import SentReminder
from workshops.tasks import send_reminder

# What the periodic scan hands the reminder code: the e-mail task, queued after each commit.
QUEUE = send_reminder.delay_on_commit


@pytest.fixture
def decided(workshop, member_a, site_a, django_capture_on_commit_callbacks):
    """A reminder decided by the scan whose queued message never arrived (lost in a broker
    restart, or its worker was killed): the row is there, the e-mail is not."""
    RegistrationFactory(workshop=workshop, user=member_a, site=site_a)
    with django_capture_on_commit_callbacks(execute=False) as lost:
        reminders.dispatch(at(workshop, 7), queue=QUEUE)
    assert len(lost) == 1
    return SentReminder.objects.get()


def test_a_decided_reminder_is_undelivered_until_its_email_goes_out(decided):
    assert decided.delivered_at is None and decided.queued_at is not None
    assert not mail.outbox


def test_the_same_task_delivered_twice_sends_one_email(decided):
    assert send_reminder.delay(decided.pk).get() is True
    assert send_reminder.delay(decided.pk).get() is False
    assert len(mail.outbox) == 1
    decided.refresh_from_db()
    assert decided.delivered_at is not None


def test_the_scan_queues_a_stalled_reminder_again_and_it_goes_out_once(
    decided, settings, django_capture_on_commit_callbacks
):
    later = decided.queued_at + datetime.timedelta(seconds=settings.REMINDER_REQUEUE_AFTER + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.requeue_stalled(later, queue=QUEUE) == 1
    assert [m.to for m in mail.outbox] == [[decided.recipient.email]]
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.requeue_stalled(later + datetime.timedelta(hours=1), queue=QUEUE) == 0
    assert len(mail.outbox) == 1


def test_the_scan_leaves_a_reminder_alone_while_its_message_may_still_arrive(
    decided, settings, django_capture_on_commit_callbacks
):
    soon = decided.queued_at + datetime.timedelta(seconds=settings.REMINDER_REQUEUE_AFTER - 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.requeue_stalled(soon, queue=QUEUE) == 0
    assert not mail.outbox


def test_a_reminder_stalled_for_more_than_a_day_is_given_up(decided):
    assert reminders.requeue_stalled(timezone.now() + datetime.timedelta(days=2), queue=QUEUE) == 0


# The backoff's jitter draws anything from 0 to the whole interval; both ends are tried.
LEAST, MOST = (lambda stop: 0), (lambda stop: stop - 1)


@pytest.mark.parametrize("draw", [LEAST, MOST], ids=["jitter draws 0", "jitter draws the most"])
def test_smtp_failure_leaves_the_reminder_undelivered_and_postponed(decided, monkeypatch, draw):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("try later")

    monkeypatch.setattr("celery.utils.time.random.randrange", draw)
    monkeypatch.setattr("infra.mail.EmailMultiAlternatives.send", refuse)
    monkeypatch.setattr(send_reminder, "max_retries", 0)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send_reminder.delay(decided.pk)
    decided.refresh_from_db()
    assert decided.delivered_at is None
    # The retry is due later, never at once; the scan waits for it.
    assert decided.queued_at > timezone.now() + datetime.timedelta(seconds=5)
    monkeypatch.undo()
    assert send_reminder.delay(decided.pk).get() is True
    assert len(mail.outbox) == 1
