"""What spans several models of the exchange: e-mailing announcements, writing posts (which
makes the author follow the thread and moves the thread up). Queueing an announcement's
e-mail is `tasks.publish`: the tasks import this module, never the other way round."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from infra.mail import absolute, send_templated

from .models import Announcement, AnnouncementDelivery, Follow, Post, Thread


def mail_announcement(announcement: Announcement) -> int:
    """E-mail the announcement to everyone it reaches who has not had it yet; returns how many.

    Exactly once per person: the AnnouncementDelivery row is unique per person and written in
    the same transaction as the decision to send; the e-mail is queued after that commit. A
    second run, a retry or two runs at once find the row and send nothing."""
    if not announcement.send_email:
        return 0
    already = set(announcement.deliveries.values_list("recipient_id", flat=True))
    link = absolute(announcement.get_absolute_url())
    sent = 0
    for user in announcement.recipients().exclude(pk__in=already):
        try:
            with transaction.atomic():
                AnnouncementDelivery.objects.create(announcement=announcement, recipient=user)
                send_templated(
                    user.email,
                    "exchange/email/announcement",
                    {
                        "person": user,
                        "announcement": announcement,
                        "link": link,
                        "inbox_link": absolute(reverse("exchange:inbox")),
                    },
                    language=user.language,
                )
        except IntegrityError:
            continue  # another run decided to send this one first
        sent += 1
    return sent


@transaction.atomic
def start_thread(*, site, title, body, author, **subject) -> Thread:
    thread = Thread.objects.create(site=site, title=title, created_by=author, **subject)
    add_post(thread, author=author, body=body)
    return thread


@transaction.atomic
def add_post(thread: Thread, *, author, body: str) -> Post:
    """A new post; its author follows the thread from now on."""
    now = timezone.now()
    post = Post.objects.create(thread=thread, author=author, body=body, created_at=now)
    Thread.objects.filter(pk=thread.pk).update(last_post_at=now)
    Follow.objects.get_or_create(thread=thread, user=author)
    return post
