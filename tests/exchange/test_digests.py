import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from exchange import digests, tasks
from exchange.models import DigestFrequency, DigestPreference, DigestSent, Follow

from .factories import PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 30)


def at(day, hour=8):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def new_post_in_followed_thread(follower, author, when, **thread):
    thread = ThreadFactory(**thread)
    Follow.objects.create(thread=thread, user=follower)
    return PostFactory(thread=thread, author=author, created_at=when, body="Nytt inlägg om PGSA")


def test_weekly_digest_goes_on_monday_once_even_when_the_scan_runs_twice(
    member_a, member_b, django_capture_on_commit_callbacks
):
    new_post_in_followed_thread(member_a, member_b, at(MONDAY - datetime.timedelta(days=2)))
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.dispatch(at(MONDAY)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.dispatch(at(MONDAY, 9)) == 0
    (message,) = mail.outbox
    assert message.to == [member_a.email]
    assert "Nytt inlägg om PGSA" in message.body
    assert DigestSent.objects.get().period == "w2026-49"


def test_no_weekly_digest_on_other_days_nor_before_the_morning(member_a, member_b):
    new_post_in_followed_thread(member_a, member_b, at(MONDAY - datetime.timedelta(days=1)))
    assert digests.dispatch(at(MONDAY + datetime.timedelta(days=1))) == 0
    assert digests.dispatch(at(MONDAY, 6)) == 0


def test_daily_digest_every_day_with_only_what_is_new(
    member_a, member_b, django_capture_on_commit_callbacks
):
    DigestPreference.objects.create(user=member_a, frequency=DigestFrequency.DAILY)
    tuesday = MONDAY + datetime.timedelta(days=1)
    post = new_post_in_followed_thread(member_a, member_b, at(tuesday, 5))
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.dispatch(at(tuesday)) == 1
    # Nothing new the next day: no e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.dispatch(at(tuesday + datetime.timedelta(days=1))) == 0
    PostFactory(thread=post.thread, author=member_b, created_at=at(tuesday, 12), body="Ännu ett")
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.dispatch(at(tuesday + datetime.timedelta(days=1))) == 1
    assert "Ännu ett" in mail.outbox[-1].body
    assert "Nytt inlägg om PGSA" not in mail.outbox[-1].body


def test_no_digest_for_own_posts_hidden_posts_or_when_turned_off(member_a, member_b, coordinator):
    own = new_post_in_followed_thread(member_a, member_a, at(MONDAY, 1))
    hidden = new_post_in_followed_thread(member_a, member_b, at(MONDAY, 2))
    hidden.hide(by=coordinator, reason="Olämpligt")
    assert digests.dispatch(at(MONDAY)) == 0
    new_post_in_followed_thread(member_b, member_a, at(MONDAY, 3))
    DigestPreference.objects.create(user=member_b, frequency=DigestFrequency.NEVER)
    assert digests.dispatch(at(MONDAY)) == 0
    assert own.pk


def test_no_digest_of_a_site_thread_the_person_can_no_longer_read(site_b, member_a, member_b):
    new_post_in_followed_thread(member_a, member_b, at(MONDAY, 1), site=site_b)
    assert digests.dispatch(at(MONDAY)) == 0


def test_scan_task_runs_the_dispatch(member_a):
    assert tasks.scan_digests() == 0


def test_digest_setting_is_saved_per_person(client_for, member_a):
    client = client_for(member_a)
    assert client.get(reverse("exchange:digest_settings")).status_code == 200
    client.post(reverse("exchange:digest_settings"), {"frequency": DigestFrequency.DAILY})
    assert DigestPreference.objects.get(user=member_a).frequency == DigestFrequency.DAILY


def test_beat_runs_the_digest_scan(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["exchange-digests"]
    assert entry["task"] == "exchange.tasks.scan_digests"
