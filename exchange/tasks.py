"""The exchange's Celery tasks, and `publish`, which queues an announcement's e-mail. This
module imports the services; they never import it."""

from celery import shared_task

from . import digests, services
from .models import Announcement


@shared_task(ignore_result=True)
def send_announcement(announcement_id: int) -> int:
    """E-mail an announcement to everyone it reaches who has not had it (once per person)."""
    announcement = Announcement.objects.filter(pk=announcement_id).first()
    return services.mail_announcement(announcement) if announcement else 0


def publish(announcement: Announcement) -> None:
    """After the announcement is saved: queue its e-mail, once the save has committed."""
    if announcement.send_email:
        send_announcement.delay_on_commit(announcement.pk)


@shared_task(ignore_result=True)
def scan_digests() -> int:
    """The periodic scan (beat, every quarter of an hour): send the digests that are due."""
    return digests.dispatch()
