"""How every date on a page is written: `{{ value|day }}` (the short date, ISO in every
language: 2026-12-02) or `{{ value|day:"j F Y" }}` for another format. The date comes in a
<time> that never breaks inside ("2026-12-/02" on a narrow line), with its machine-readable
value. Built in to every template (TEMPLATES' "builtins"), so no page needs to load it; pages
do not use Django's |date filter directly (tests/test_dates_format.py holds that). Plain-text
e-mails keep |date: they have no markup."""

import datetime

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html

register = template.Library()


@register.filter(is_safe=True, expects_localtime=True)
def day(value, arg="SHORT_DATE_FORMAT"):
    if value in (None, ""):
        return ""
    text = date_filter(value, arg)
    if not text:
        return ""
    if isinstance(value, datetime.datetime):
        return _time(value.isoformat(timespec="minutes"), text)
    if isinstance(value, datetime.date):
        return _time(value.isoformat(), text)
    return text


def _time(machine: str, text: str) -> str:
    """The date as written, kept whole on one line, with its machine-readable value."""
    return format_html('<time class="text-nowrap" datetime="{}">{}</time>', machine, text)


@register.filter(is_safe=True, expects_localtime=True)
def month(value):
    """A month on its own, as a heading or a table cell says it: "December 2026" (Swedish
    writes month names in lower case inside a sentence; there, use |day:"F Y")."""
    if not isinstance(value, datetime.date):
        return ""
    text = date_filter(value, "F Y")
    return _time(value.strftime("%Y-%m"), text[:1].upper() + text[1:])
