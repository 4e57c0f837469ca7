"""`{% load mail_markdown %}{{ text|email_markdown }}` in an e-mail template: a text written in Markdown, read as clean
text in the plain part and rendered in the HTML part (infra.mail.render_email)."""

from django import template

from infra.mail import markdown_mark

register = template.Library()


@register.filter
def email_markdown(text):
    return markdown_mark(str(text or ""))


@register.filter
def markdown_plain(text):
    """A Markdown text as clean plain text, for an excerpt (`|markdown_plain|truncatewords:30`)."""
    from infra.mail import plain_from_markdown

    return plain_from_markdown(str(text or ""))
