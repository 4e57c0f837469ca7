from celery import shared_task

from . import sessions


@shared_task(ignore_result=True)
def clear_expired_sessions() -> int:
    """The nightly scan (beat): delete expired sessions (Django keeps them until asked) and
    the per-person list's entries for sessions that are gone. Returns how many entries went."""
    return sessions.clear_expired()
