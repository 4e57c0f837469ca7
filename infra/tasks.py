"""Tasks every app uses: sending one rendered e-mail."""

import smtplib

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(
    name="pilots.tasks.send_email",  # the name it was queued under before it moved here
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
