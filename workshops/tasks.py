from celery import shared_task

from . import reminders


@shared_task(ignore_result=True)
def scan_reminders() -> int:
    """The periodic scan (beat, every few minutes): send every reminder that is due now.
    Each e-mail is its own task, queued after the commit that records it."""
    return sum(reminders.dispatch().values())
