"""The reminder scan: who gets what and when, exactly once, after commit, in their language."""

import datetime
import io

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from tests.workshops.conftest import at
from tests.workshops.factories import DeliveryFactory, RegistrationFactory, WorkshopFactory
from workshops import reminders
from workshops.models import DeliveryStatus, ReminderKind, ReminderOptOut, SentReminder
from workshops.tasks import scan_reminders, send_reminder


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run the scan as if at a moment, with e-mails sent as their commits happen."""

    def run(moment, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.dispatch(moment, queue=send_reminder.delay_on_commit, **kwargs)

    return run


def recipients(kind=None):
    return sorted(m.to[0] for m in mail.outbox)


def test_registered_people_hear_a_week_before_and_only_once(
    send, workshop, lead_a, member_a, site_a, member_b
):
    workshop.registration_closes_at = workshop.starts_at - datetime.timedelta(days=14)
    workshop.save()
    RegistrationFactory(workshop=workshop, user=member_a, site=site_a)
    counts = send(at(workshop, 7))
    assert counts == {ReminderKind.WORKSHOP_WEEK: 1}
    assert recipients() == [member_a.email]
    assert workshop.title in mail.outbox[0].subject
    assert send(at(workshop, 7)) == {}
    assert send(at(workshop, 5)) == {}  # later in the same week: still the same occasion
    assert len(mail.outbox) == 1


def test_week_reminder_waits_for_the_morning_of_the_day(send, workshop, member_a, site_a):
    RegistrationFactory(workshop=workshop, user=member_a, site=site_a)
    assert send(at(workshop, 7, hour=reminders.REMINDER_HOUR - 1)) == {}
    assert send(at(workshop, 7, hour=reminders.REMINDER_HOUR)) == {ReminderKind.WORKSHOP_WEEK: 1}


def test_registered_people_hear_the_day_before(send, workshop, member_a, site_a):
    RegistrationFactory(workshop=workshop, user=member_a, site=site_a)
    send(at(workshop, 7))
    assert send(at(workshop, 1)) == {ReminderKind.WORKSHOP_DAY: 1}
    assert send(at(workshop, 1, hour=20)) == {}
    assert len(mail.outbox) == 2


def test_cancelled_registration_gets_no_workshop_reminder(send, workshop, member_a, site_a):
    RegistrationFactory(workshop=workshop, user=member_a, site=site_a, cancelled_at=timezone.now())
    assert ReminderKind.WORKSHOP_WEEK not in send(at(workshop, 7))


def test_invited_people_hear_that_registration_opened_except_those_registered(
    send, workshop, lead_a, member_a, steering_a, site_a, member_b, site_b
):
    RegistrationFactory(workshop=workshop, user=lead_a, site=site_a)
    counts = send(workshop.registration_opens_at + datetime.timedelta(minutes=5))
    assert counts == {ReminderKind.REGISTRATION_OPEN: 2}
    # Steering is not invited to this workshop; the lead has registered already.
    assert recipients() == sorted([member_a.email, member_b.email])
    assert reverse("workshops:workshop_detail", kwargs={"pk": workshop.pk}) in mail.outbox[0].body


def test_registration_closing_reminds_those_who_have_not_registered(
    send, workshop, member_a, lead_a, site_a
):
    RegistrationFactory(workshop=workshop, user=lead_a, site=site_a)
    send(workshop.registration_opens_at + datetime.timedelta(minutes=5))
    mail.outbox.clear()
    closing = workshop.registration_closes_at - datetime.timedelta(days=reminders.CLOSING_DAYS)
    assert send(closing + datetime.timedelta(hours=12)) == {ReminderKind.REGISTRATION_CLOSING: 1}
    assert recipients() == [member_a.email]


def test_leads_hear_when_nobody_from_their_site_has_registered(
    send, workshop, lead_a, member_a, site_a, site_b, lead_b, member_b
):
    RegistrationFactory(workshop=workshop, user=member_b, site=site_b)
    moment = workshop.registration_closes_at - datetime.timedelta(days=2)
    counts = send(moment)
    assert counts[ReminderKind.NO_REGISTRATIONS] == 1
    silent = [m for m in mail.outbox if site_a.name in m.body]
    assert [m.to for m in silent] == [[lead_a.email]]


def test_one_scan_sends_a_person_one_email_listing_everything_due_in_their_language(
    send, workshop, lead_a, member_a, site_a, site_b, lead_b, member_b
):
    """Issue 15: a lead due two reminders at once (registration closes soon; nobody from the
    site has registered) gets one e-mail naming both — each reminder still recorded and
    delivered once, and a second scan sends nothing."""
    lead_a.language = "en"
    lead_a.save()
    RegistrationFactory(workshop=workshop, user=member_b, site=site_b)
    moment = workshop.registration_closes_at - datetime.timedelta(days=2)
    send(moment)
    to_lead = [m for m in mail.outbox if m.to == [lead_a.email]]
    assert len(to_lead) == 1
    rows = SentReminder.objects.filter(recipient=lead_a)
    assert rows.count() >= 2 and not rows.filter(delivered_at=None).exists()
    body = to_lead[0].body
    assert to_lead[0].subject.endswith(f"Triad: {rows.count()} reminders")
    assert "Here is everything Triad has to remind you of today" in body
    assert body.count("Hello") == 1 and body.count("Best regards") == 1
    assert site_a.name in body and workshop.title in body
    html = to_lead[0].alternatives[0][0]
    assert site_a.name in html
    assert len(mail.outbox) == len({m.to[0] for m in mail.outbox})  # one e-mail per person
    sent = len(mail.outbox)
    send(moment)
    assert len(mail.outbox) == sent


def test_deliverable_due_in_a_week_reminds_leads_of_sites_that_owe_it(
    send, deliverable, lead_a, member_a, site_a, site_b, lead_b
):
    DeliveryFactory(deliverable=deliverable, site=site_b, status=DeliveryStatus.SUBMITTED)
    moment = at(deliverable.workshop, 14)  # due a week before the workshop
    counts = send(moment)
    assert counts[ReminderKind.DELIVERABLE_WEEK] == 1
    reminder = SentReminder.objects.get(kind=ReminderKind.DELIVERABLE_WEEK)
    assert (reminder.recipient, reminder.site, reminder.deliverable) == (
        lead_a,
        site_a,
        deliverable,
    )


def test_overdue_deliverable_reminds_leads_once_including_work_sent_back(
    send, deliverable, lead_a, site_a, site_b, lead_b, coordinator
):
    DeliveryFactory(
        deliverable=deliverable,
        site=site_b,
        status=DeliveryStatus.NEEDS_REVISION,
        reviewed_at=timezone.now(),
        reviewed_by=coordinator,
    )
    after = deliverable.due_at + datetime.timedelta(hours=1)
    assert send(after)[ReminderKind.DELIVERABLE_OVERDUE] == 2
    assert send(after + datetime.timedelta(days=2)).get(ReminderKind.DELIVERABLE_OVERDUE) is None


def test_accepted_work_is_not_reminded_of(send, deliverable, lead_a, site_a, site_b, coordinator):
    for site in (site_a, site_b):
        DeliveryFactory(
            deliverable=deliverable,
            site=site,
            status=DeliveryStatus.ACCEPTED,
            reviewed_at=timezone.now(),
            reviewed_by=coordinator,
        )
    assert not send(deliverable.due_at + datetime.timedelta(hours=1))


def test_people_who_turned_a_kind_off_do_not_get_it(send, workshop, member_a, lead_a, site_a):
    RegistrationFactory(workshop=workshop, user=member_a, site=site_a)
    RegistrationFactory(workshop=workshop, user=lead_a, site=site_a)
    ReminderOptOut.objects.create(user=member_a, kind=ReminderKind.WORKSHOP_WEEK)
    send(at(workshop, 7))
    assert recipients() == [lead_a.email]


def test_turning_reminders_off_through_the_settings_page(client_for, member_a):
    wanted = [k for k in ReminderKind.values if k != ReminderKind.WORKSHOP_DAY]
    client_for(member_a).post(reverse("workshops:reminder_settings"), {"kinds": wanted})
    assert list(ReminderOptOut.objects.values_list("kind", flat=True)) == [
        ReminderKind.WORKSHOP_DAY
    ]
    client_for(member_a).post(
        reverse("workshops:reminder_settings"), {"kinds": ReminderKind.values}
    )
    assert not ReminderOptOut.objects.exists()


def test_draft_workshop_sends_nothing(send, workshop, member_a, site_a):
    RegistrationFactory(workshop=workshop, user=member_a, site=site_a)
    workshop.is_published = False
    workshop.save()
    assert not send(at(workshop, 7))
    assert not send(workshop.registration_opens_at + datetime.timedelta(minutes=1))


def test_dry_run_counts_without_sending_or_recording(send, workshop, member_a, site_a):
    RegistrationFactory(workshop=workshop, user=member_a, site=site_a)
    assert send(at(workshop, 7), dry_run=True) == {ReminderKind.WORKSHOP_WEEK: 1}
    assert not mail.outbox
    assert not SentReminder.objects.exists()


def test_email_is_queued_only_after_the_commit(
    workshop, member_a, site_a, django_capture_on_commit_callbacks
):
    RegistrationFactory(workshop=workshop, user=member_a, site=site_a)
    with django_capture_on_commit_callbacks() as callbacks:
        reminders.dispatch(at(workshop, 7), queue=send_reminder.delay_on_commit)
        assert not mail.outbox
        assert SentReminder.objects.count() == 1
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_email_has_plain_text_and_html(send, workshop, member_a, site_a):
    RegistrationFactory(workshop=workshop, user=member_a, site=site_a)
    send(at(workshop, 7))
    message = mail.outbox[0]
    assert workshop.title in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and workshop.title in html


def test_email_comes_in_the_recipients_language(send, workshop, member_a, lead_a, site_a):
    member_a.language = "en"
    member_a.save()
    lead_a.language = "sv"
    lead_a.save()
    RegistrationFactory(workshop=workshop, user=member_a, site=site_a)
    RegistrationFactory(workshop=workshop, user=lead_a, site=site_a)
    send(at(workshop, 1))
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[member_a.email].startswith("[Triad] Tomorrow:")
    assert subjects[lead_a.email].startswith("[Triad] I morgon:")


def test_a_reminder_row_is_unique_per_person_kind_and_occasion(workshop, member_a):
    fields = {
        "kind": ReminderKind.WORKSHOP_WEEK,
        "recipient": member_a,
        "occasion": f"w{workshop.pk}",
        "workshop": workshop,
        "due_at": timezone.now(),
    }
    SentReminder.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        SentReminder.objects.create(**fields)


def test_a_reminder_already_recorded_by_another_scan_is_not_sent_again(
    send, workshop, member_a, site_a
):
    RegistrationFactory(workshop=workshop, user=member_a, site=site_a)
    SentReminder.objects.create(
        kind=ReminderKind.WORKSHOP_WEEK,
        recipient=member_a,
        occasion=f"w{workshop.pk}",
        workshop=workshop,
        due_at=timezone.now(),
    )
    assert not send(at(workshop, 7))
    assert not mail.outbox


def test_command_sends_once_and_a_second_run_sends_none(workshop, member_a, site_a):
    RegistrationFactory(workshop=workshop, user=member_a, site=site_a)
    moment = timezone.localtime(at(workshop, 7)).strftime("%Y-%m-%dT%H:%M")
    first, second, dry = io.StringIO(), io.StringIO(), io.StringIO()
    call_command("dispatch_reminders", "--at", moment, "--dry-run", stdout=dry)
    call_command("dispatch_reminders", "--at", moment, stdout=first)
    call_command("dispatch_reminders", "--at", moment, stdout=second)
    assert "would send 1 reminder." in dry.getvalue()
    assert "sent 1 reminder." in first.getvalue()
    assert "sent 0 reminders." in second.getvalue()
    assert SentReminder.objects.count() == 1


def test_command_rejects_a_moment_that_is_not_iso():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("dispatch_reminders", "--at", "next tuesday")


def test_periodic_scan_is_declared_in_code_and_runs_every_few_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["workshops-reminders"]
    assert entry["task"] == "workshops.tasks.scan_reminders"
    assert entry["schedule"] <= 10 * 60
    assert entry["task"] in celery_app.tasks


def test_periodic_task_scans_now(workshop, member_a, site_a, django_capture_on_commit_callbacks):
    RegistrationFactory(workshop=workshop, user=member_a, site=site_a)
    workshop.starts_at = timezone.now() + datetime.timedelta(hours=3)
    workshop.ends_at = workshop.starts_at + datetime.timedelta(hours=3)
    workshop.registration_closes_at = timezone.now() - datetime.timedelta(hours=1)
    workshop.registration_opens_at = timezone.now() - datetime.timedelta(days=10)
    workshop.save()
    with django_capture_on_commit_callbacks(execute=True):
        scan_reminders.delay()
    assert [m.to for m in mail.outbox] == [[member_a.email]]


def test_scan_query_count_does_not_grow_with_people(
    workshop, site_a, django_assert_max_num_queries
):
    from tests.pilots.factories import MembershipFactory

    for _ in range(15):
        person = MembershipFactory(site=site_a).user
        RegistrationFactory(workshop=workshop, user=person, site=site_a)
    with django_assert_max_num_queries(12):
        dues = reminders.due_reminders(at(workshop, 7))
    assert len(dues) == 15


def test_past_workshops_send_nothing(send, site_a, programme, member_a):
    old = WorkshopFactory(
        programme=programme, starts_at=timezone.now() - datetime.timedelta(days=30)
    )
    RegistrationFactory(workshop=old, user=member_a, site=site_a)
    assert not send(timezone.now())
