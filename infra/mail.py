"""Rendering e-mails in the recipient's language and handing them to Celery after commit.

An e-mail is written once, as plain text (`<name>.txt`, with `<name>_subject.txt`); the HTML
part is derived from it, so the two never say different things."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .tasks import send_email

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
