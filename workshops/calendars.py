"""Workshops as iCalendar (RFC 5545) events: one workshop to download, or a person's private
feed of the workshops they are registered for. Built with the icalendar package."""

import datetime
import urllib.parse

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import tokens
from infra.mail import absolute

from .models import CalendarFeed

PRODID = "-//Triad//Workshop programme//SV"


def _uid(workshop) -> str:
    host = urllib.parse.urlsplit(settings.SITE_URL).hostname or "triad"
    return f"workshop-{workshop.pk}@{host}"


def workshop_event(workshop) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", _uid(workshop))
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC).replace(microsecond=0))
    event.add("dtstart", workshop.starts_at.astimezone(datetime.UTC).replace(microsecond=0))
    event.add("dtend", workshop.ends_at.astimezone(datetime.UTC).replace(microsecond=0))
    event.add("summary", f"{workshop.programme}: {workshop.title}")
    location = workshop.place or workshop.online_link
    if location:
        event.add("location", location)
    link = absolute(workshop.get_absolute_url())
    parts = [workshop.theme.strip()]
    if workshop.agenda_items():
        parts.append(_("Agenda:") + "\n" + "\n".join(f"– {i}" for i in workshop.agenda_items()))
    if workshop.online_link:
        parts.append(_("Join online: %(link)s") % {"link": workshop.online_link})
    parts.append(_("In Triad: %(link)s") % {"link": link})
    event.add("description", "\n\n".join(p for p in parts if p))
    event.add("url", link)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def calendar(workshops, *, name: str) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for workshop in workshops:
        cal.add_component(workshop_event(workshop))
    return cal.to_ical()


def renew_feed(user) -> str:
    """Give the person a new private feed address (the old one stops working); returns the
    secret, which is shown once and never stored."""
    token, digest = tokens.new_token()
    CalendarFeed.objects.update_or_create(user=user, defaults={"token_digest": digest})
    return token


def revoke_feed(user) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def feed_for(token: str):
    """The active feed behind a secret, or None."""
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_digest=tokens.digest(token), user__is_active=True)
        .first()
    )
