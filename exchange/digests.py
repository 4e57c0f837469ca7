"""The digest scan. Celery beat runs it every quarter of an hour: from DIGEST_HOUR local time,
each person who follows threads gets, once a day or once a week (on Mondays) as they chose,
an e-mail with the posts that are new in those threads since their last digest.

Exactly once per period: the DigestSent row (unique per person and period) is written in the
same transaction as the decision to send, and the e-mail is queued after that commit."""

import datetime
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from infra.mail import absolute, send_templated
from pilots.models import User

from .models import DigestFrequency, DigestPreference, DigestSent, Follow, Post, Thread

DIGEST_HOUR = 7
DEFAULT_FREQUENCY = DigestFrequency.WEEKLY
LOOKBACK = {DigestFrequency.DAILY: datetime.timedelta(days=1), DigestFrequency.WEEKLY: datetime.timedelta(days=7)}  # fmt: skip


def period_key(frequency, day: datetime.date) -> str | None:
    """The period a digest sent on `day` covers, or None if none is due that day."""
    if frequency == DigestFrequency.DAILY:
        return f"d{day.isoformat()}"
    if frequency == DigestFrequency.WEEKLY and day.weekday() == 0:
        year, week, _ = day.isocalendar()
        return f"w{year}-{week:02d}"
    return None


def new_posts(user, since, until):
    """Posts in the threads the person follows and may still read, written by others."""
    posts = (
        Post.objects.filter(
            thread__in=Thread.objects.restrict(user),
            thread__follows__user=user,
            created_at__gt=since,
            created_at__lte=until,
            hidden_at__isnull=True,
        )
        .exclude(author=user)
        .select_related("thread__site", "author")
        .order_by("thread__last_post_at", "thread_id", "created_at")
    )
    return list(posts)


def dispatch(at: datetime.datetime | None = None) -> int:
    """Send every digest due at `at` (now by default) not sent yet; returns how many were sent."""
    at = at or timezone.now()
    local = timezone.localtime(at)
    if local.hour < DIGEST_HOUR:
        return 0
    day = local.date()
    widest = at - LOOKBACK[DigestFrequency.WEEKLY]
    # Only people who follow a thread with a post in the last week can have anything new.
    candidates = (
        Follow.objects.filter(thread__posts__created_at__gt=widest, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    prefs = dict(
        DigestPreference.objects.filter(user__in=candidates).values_list("user_id", "frequency")
    )
    last_sent = dict(
        DigestSent.objects.filter(user__in=candidates)
        .values("user_id")
        .annotate(last=Max("sent_at"))
        .values_list("user_id", "last")
    )
    due = defaultdict(list)
    for user_id in set(candidates):
        frequency = prefs.get(user_id, DEFAULT_FREQUENCY)
        key = period_key(frequency, day)
        if key is not None:
            due[(frequency, key)].append(user_id)
    sent = 0
    for (frequency, key), user_ids in due.items():
        done = set(
            DigestSent.objects.filter(period=key, user__in=user_ids).values_list("user", flat=True)
        )
        for user in User.objects.filter(pk__in=set(user_ids) - done):
            since = max(last_sent.get(user.pk) or widest, at - LOOKBACK[frequency])
            posts = new_posts(user, since, at)
            if not posts:
                continue
            try:
                with transaction.atomic():
                    DigestSent.objects.create(user=user, period=key, posts=len(posts), sent_at=at)
                    send_templated(
                        user.email,
                        "exchange/email/digest",
                        _context(user, posts, frequency),
                        language=user.language,
                    )
            except IntegrityError:
                continue
            sent += 1
    return sent


def _context(user, posts, frequency):
    threads = {}
    for post in posts:
        entry = threads.setdefault(
            post.thread.pk,
            {"thread": post.thread, "link": absolute(post.thread.get_absolute_url()), "posts": []},
        )
        entry["posts"].append(post)
    return {
        "person": user,
        "threads": list(threads.values()),
        "count": len(posts),
        "daily": frequency == DigestFrequency.DAILY,
        "settings_link": absolute(reverse("exchange:digest_settings")),
    }
