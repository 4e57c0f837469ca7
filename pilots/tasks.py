import smtplib

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    max_retries=8,
)
def send_email(*, to: list[str], subject: str, text: str, html: str) -> None:
    """Send one rendered e-mail; SMTP failures are retried with backoff."""
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()


@shared_task(ignore_result=True)
def clear_expired_sessions() -> int:
    """The nightly scan (beat): delete expired sessions (Django keeps them until asked) and
    the per-person list's entries for sessions that are gone. Returns how many entries went."""
    from . import sessions

    return sessions.clear_expired()
