"""Rendering e-mails in the recipient's language and handing them to Celery after commit.

An e-mail is written once, as plain text (`<name>.txt`, with `<name>_subject.txt`); the HTML
part is derived from it, so the two never say different things. What a person wrote in
Markdown (an announcement, a post) goes into the template through `{{ body|email_markdown }}`
(infra/templatetags/email.py): the plain part reads it as clean text (no ** or *), the HTML
part shows it rendered and sanitised as the pages do (exchange.rendering). The task that sends one
rendered e-mail lives here too, with the code that queues it (infra.tasks names it for the
worker's autodiscovery), so that no module of this app imports infra.tasks."""

import contextvars
import html as html_lib
import re
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.defaultfilters import linebreaks_filter, urlize
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

# The HTML frame every plain-text e-mail is set in.
HTML_TEMPLATE = "email/base.html"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# The Markdown texts of the e-mail being rendered: the filter leaves a mark in the text for
# each, replaced by clean text in the plain part and by rendered HTML in the HTML part.
_markdown: contextvars.ContextVar[list | None] = contextvars.ContextVar("markdown", default=None)
_MARK = re.compile("\x00md(\\d+)\x00")


def markdown_mark(source: str) -> str:
    """What `|email_markdown` puts in the text: a mark, or the source outside render_email."""
    texts = _markdown.get()
    if texts is None:
        return plain_from_markdown(source)
    texts.append(source or "")
    return f"\x00md{len(texts) - 1}\x00"


def plain_from_markdown(source: str) -> str:
    """A Markdown text as clean plain text: paragraphs, "- " items, "text (link)"."""
    from exchange.rendering import render_markdown

    markup = str(render_markdown(source))
    markup = re.sub(r'<a href="([^"]*)"[^>]*>(.*?)</a>', r"\2 (\1)", markup, flags=re.S)
    markup = re.sub(r"<li>\s*(<p>)?", "- ", markup)
    markup = re.sub(r"<br\s*/?>", "\n", markup)
    markup = re.sub(r"</(p|li|h\d|blockquote|pre|tr)>", "\n", markup)
    text = html_lib.unescape(strip_tags(markup))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def html_from_text(subject: str, text: str, texts=()) -> str:
    """The HTML part of an e-mail whose plain text is `text` (links become clickable), with
    each marked Markdown text rendered."""
    from exchange.rendering import render_markdown

    parts = []
    for i, piece in enumerate(_MARK.split(text)):
        if i % 2:
            parts.append(str(render_markdown(texts[int(piece)])))
        elif piece.strip():
            parts.append(linebreaks_filter(urlize(escape(piece.strip("\n")))))
    body = mark_safe("".join(parts))  # noqa: S308 - escaped or sanitised piece by piece
    return render_to_string(HTML_TEMPLATE, {"subject": subject, "body": body})


def render_email(template: str, context: dict, language: str | None) -> dict:
    """Subject, plain text and HTML of `<template>_subject.txt` and `<template>.txt`."""
    texts: list[str] = []
    token = _markdown.set(texts)
    try:
        with translation.override(language or settings.LANGUAGE_CODE):
            # A subject is one line, whatever the template's whitespace.
            subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
            marked = render_to_string(f"{template}.txt", context)
            html = html_from_text(subject, marked, texts)
    finally:
        _markdown.reset(token)
    text = _MARK.sub(lambda m: plain_from_markdown(texts[int(m.group(1))]), marked)
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
