"""Rendering e-mails in the recipient's language and handing them to Celery after commit.

An e-mail is written once, as plain text (`<name>.txt`, with `<name>_subject.txt`); the HTML
part is derived from it, so the two never say different things. The task that sends one
rendered e-mail lives here too, with the code that queues it (infra.tasks names it for the
worker's autodiscovery), so that no module of this app imports infra.tasks."""

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

# The HTML frame every plain-text e-mail is set in.
HTML_TEMPLATE = "email/base.html"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def html_from_text(subject: str, text: str) -> str:
    """The HTML part of an e-mail whose plain text is `text` (links become clickable)."""
    # A rendered template comes back marked safe; the plain text must be escaped as HTML.
    return render_to_string(HTML_TEMPLATE, {"subject": subject, "text": text[:]})


def render_email(template: str, context: dict, language: str | None) -> dict:
    """Subject, plain text and HTML of `<template>_subject.txt` and `<template>.txt`."""
    with translation.override(language or settings.LANGUAGE_CODE):
        # A subject is one line, whatever the template's whitespace.
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = html_from_text(subject, text)
    return {"subject": settings.EMAIL_SUBJECT_PREFIX + subject, "text": text, "html": html}


def send_templated(to: str, template: str, context: dict, language: str | None = None) -> None:
    """Queue the e-mail once the surrounding transaction has committed."""
    send_email.delay_on_commit(to=[to], **render_email(template, context, language))


@shared_task(
    name="pilots.tasks.send_email",  # the name it was queued under before it moved to infra
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
