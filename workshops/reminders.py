"""The reminder scan. Celery beat runs it every few minutes (and `manage.py dispatch_reminders`
on demand): it looks at the database as it is at a moment, works out which reminders are due
then, and sends each one that has not been sent before.

Exactly once: the row in SentReminder (unique per kind, person and occasion) is written in the
same transaction as the decision to send, and the e-mail is queued only after that commit.
A second scan, a retried task or two scans at the same moment find the row and send nothing.

Reminders that name a day ("in a week", "tomorrow", "due in a week") fall due at REMINDER_HOUR
local time on that day, so nobody is woken by an e-mail at midnight."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from pilots.mail import absolute, send_templated
from pilots.models import Membership, PilotSite, Role

from .models import (
    Deliverable,
    Delivery,
    DeliveryStatus,
    Registration,
    ReminderKind,
    ReminderOptOut,
    SentReminder,
    Workshop,
)

REMINDER_HOUR = 7
# How many days before the deadline the "registration closes soon" reminder goes out.
CLOSING_DAYS = 3
# How many days before the deadline leads hear that nobody from their site has registered.
NOBODY_DAYS = 7
# Overdue work is reminded of once, if the scan sees it within this long after the due date.
OVERDUE_WINDOW = datetime.timedelta(days=14)


@dataclass(frozen=True)
class Due:
    """A reminder that is due: to whom, of what kind, about which occasion."""

    kind: str
    user: object
    workshop: Workshop
    occasion: str
    due_at: datetime.datetime
    site: PilotSite | None = None
    deliverable: Deliverable | None = None


def morning(moment: datetime.datetime, days_before: int) -> datetime.datetime:
    """REMINDER_HOUR local time, `days_before` days before the local day of `moment`."""
    day = timezone.localdate(moment) - datetime.timedelta(days=days_before)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(REMINDER_HOUR)))


def _leads(site_ids, day) -> dict:
    """{site: {user, …}} of the project leads of these sites on the day."""
    rows = (
        Membership.objects.active(day)
        .filter(site__in=site_ids, role=Role.LEAD, user__is_active=True)
        .select_related("user", "site")
    )
    by_site: dict = {}
    for m in rows:
        by_site.setdefault(m.site, set()).add(m.user)
    return by_site


def _workshop_reminders(at, day):
    workshops = (
        Workshop.objects.published()
        .filter(registration_opens_at__lte=at, starts_at__gt=at)
        .select_related("programme")
    )
    for w in workshops:
        registered = Registration.objects.active().filter(workshop=w)
        if w.registration_opens_at <= at < w.registration_closes_at:
            closing_from = max(
                morning(w.registration_closes_at, CLOSING_DAYS), w.registration_opens_at
            )
            kind, due_at = (
                (ReminderKind.REGISTRATION_CLOSING, closing_from)
                if at >= closing_from
                else (ReminderKind.REGISTRATION_OPEN, w.registration_opens_at)
            )
            invited = (
                w.invited_memberships(day)
                .filter(user__is_active=True)
                .exclude(user__in=registered.values("user"))
                .select_related("user")
            )
            for user in {m.user for m in invited}:
                yield Due(kind, user, w, f"w{w.pk}", due_at)

        nobody_from = morning(w.registration_closes_at, NOBODY_DAYS)
        if nobody_from <= at < w.registration_closes_at:
            silent = w.programme.sites.exclude(pk__in=registered.values("site")).values_list(
                "pk", flat=True
            )
            for site, leads in _leads(list(silent), day).items():
                for user in leads:
                    yield Due(
                        ReminderKind.NO_REGISTRATIONS,
                        user,
                        w,
                        f"w{w.pk}-s{site.pk}",
                        nobody_from,
                        site=site,
                    )

        week_from, day_from = morning(w.starts_at, 7), morning(w.starts_at, 1)
        if week_from <= at < day_from:
            kind, due_at = ReminderKind.WORKSHOP_WEEK, week_from
        elif day_from <= at:
            kind, due_at = ReminderKind.WORKSHOP_DAY, day_from
        else:
            continue
        for r in registered.filter(user__is_active=True).select_related("user", "site"):
            yield Due(kind, r.user, w, f"w{w.pk}", due_at, site=r.site)


def _deliverable_reminders(at, day):
    deliverables = (
        Deliverable.objects.filter(
            workshop__is_published=True,
            due_at__gt=at - OVERDUE_WINDOW,
            due_at__lte=at + datetime.timedelta(days=8),
        )
        .select_related("workshop__programme")
        .order_by("due_at")
    )
    for d in deliverables:
        if morning(d.due_at, 7) <= at < d.due_at:
            kind, due_at = ReminderKind.DELIVERABLE_WEEK, morning(d.due_at, 7)
        elif d.due_at <= at:
            kind, due_at = ReminderKind.DELIVERABLE_OVERDUE, d.due_at
        else:
            continue
        # Sites that owe it: nothing delivered, or a delivery sent back for revision.
        settled = Delivery.objects.filter(deliverable=d).exclude(
            status=DeliveryStatus.NEEDS_REVISION
        )
        owing = d.workshop.programme.sites.exclude(pk__in=settled.values("site"))
        for site, leads in _leads(list(owing.values_list("pk", flat=True)), day).items():
            for user in leads:
                yield Due(
                    kind, user, d.workshop, f"d{d.pk}-s{site.pk}", due_at, site=site, deliverable=d
                )


def due_reminders(at: datetime.datetime) -> list[Due]:
    """Every reminder due at `at`, whether or not it has been sent already."""
    day = timezone.localdate(at)
    return [*_workshop_reminders(at, day), *_deliverable_reminders(at, day)]


def _context(due: Due) -> dict:
    w = due.workshop
    context = {
        "person": due.user,
        "workshop": w,
        "site": due.site,
        "deliverable": due.deliverable,
        "workshop_link": absolute(w.get_absolute_url()),
        "settings_link": absolute(reverse("workshops:reminder_settings")),
        "ics_link": absolute(reverse("workshops:workshop_ics", kwargs={"pk": w.pk})),
    }
    if due.site is not None:
        context["site_link"] = absolute(
            reverse("workshops:site_programme", kwargs={"site_slug": due.site.slug})
        )
        if due.deliverable is not None:
            context["deliverable_link"] = absolute(
                reverse(
                    "workshops:site_deliverable",
                    kwargs={"site_slug": due.site.slug, "pk": due.deliverable.pk},
                )
            )
    return context


def dispatch(at: datetime.datetime | None = None, *, dry_run: bool = False) -> Counter:
    """Send every reminder due at `at` (now by default) that has not been sent; returns how
    many of each kind were sent (or, with dry_run, would be)."""
    at = at or timezone.now()
    dues = due_reminders(at)
    if not dues:
        return Counter()
    users = {d.user.pk for d in dues}
    muted = set(ReminderOptOut.objects.filter(user__in=users).values_list("user_id", "kind"))
    sent = set(
        SentReminder.objects.filter(occasion__in={d.occasion for d in dues}).values_list(
            "kind", "recipient_id", "occasion"
        )
    )
    counts: Counter = Counter()
    for due in dues:
        if (due.user.pk, due.kind) in muted or (due.kind, due.user.pk, due.occasion) in sent:
            continue
        if dry_run:
            counts[due.kind] += 1
            continue
        try:
            with transaction.atomic():
                SentReminder.objects.create(
                    kind=due.kind,
                    recipient=due.user,
                    occasion=due.occasion,
                    workshop=due.workshop,
                    site=due.site,
                    deliverable=due.deliverable,
                    due_at=due.due_at,
                )
                send_templated(
                    due.user.email,
                    f"workshops/email/{due.kind}",
                    _context(due),
                    language=due.user.language,
                )
        except IntegrityError:
            # Another scan decided to send this one first; its e-mail is on its way.
            continue
        sent.add((due.kind, due.user.pk, due.occasion))
        counts[due.kind] += 1
    return counts
