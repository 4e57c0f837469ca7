"""The workshops' Celery tasks. They import the reminder scan and hand it the queueing of
`send_reminder`; reminders.py never imports this module."""

import smtplib

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django_scopes import scopes_disabled

from . import reminders

# What a failing mail server raises; the e-mail is tried again later.
SMTP_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError)
# Backoff between tries: 30 s doubling up to 30 minutes, well below the broker's visibility
# timeout (tests/faults/test_celery_config.py checks every countdown against it), jittered so
# that many failed e-mails do not come back at once, and never sooner than 10 s: full jitter
# alone can draw 0, a retry at once against the server that just refused.
RETRY_BACKOFF, RETRY_BACKOFF_MIN, RETRY_BACKOFF_MAX = 30, 10, 30 * 60


def retry_countdown(retries: int) -> int:
    """Seconds to wait before the try after `retries` failed ones."""
    jittered = get_exponential_backoff_interval(
        RETRY_BACKOFF, retries, RETRY_BACKOFF_MAX, full_jitter=True
    )
    return max(RETRY_BACKOFF_MIN, jittered)


@shared_task(ignore_result=True)
@scopes_disabled()  # reads every site
def scan_reminders() -> int:
    """The periodic scan (beat, every few minutes): decide every reminder that is due now and
    queue again the e-mails that have stalled. Each e-mail is its own task, queued after the
    commit that records it."""
    queue = send_reminder.delay_on_commit
    decided = sum(reminders.dispatch(queue=queue).values())
    return decided + reminders.requeue_stalled(queue=queue)


@shared_task(bind=True, ignore_result=True, max_retries=8)
@scopes_disabled()  # reads every site
def send_reminder(self, reminder_id: int) -> bool:
    """Send one decided reminder, once (reminders.deliver); SMTP failures retry with backoff."""
    try:
        return reminders.deliver(reminder_id)
    except SMTP_ERRORS as exc:
        countdown = retry_countdown(self.request.retries)
        reminders.postpone(reminder_id, countdown)
        raise self.retry(exc=exc, countdown=countdown) from exc
