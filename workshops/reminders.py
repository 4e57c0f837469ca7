"""The reminder scan. Celery beat runs it every few minutes (and `manage.py dispatch_reminders`
on demand): it looks at the database as it is at a moment, works out which reminders are due
then, and sends each one that has not been sent before.

Exactly once, also when a worker is killed or the broker loses its messages. The two steps are
apart on purpose:

1. Decide: the row in SentReminder (unique per kind, person and occasion) is written in its own
   transaction, and a `send_reminder` task for that row is queued only after that commit (the
   caller passes the queueing in, `send_reminder.delay_on_commit`: this module never imports the
   tasks, which import it). A
   second scan, a retried scan or two scans at the same moment hit the unique row and queue
   nothing.
2. Deliver: the task locks the row, sends the e-mail and marks the row delivered in one
   transaction. A second delivery of the same task (Redis hands a message out again after a
   lost worker; a scan queued it again) finds the row delivered, or locked by the worker that is
   sending it right now, and does nothing.

The e-mail is not sent inside step 1 any more: had the worker died after the commit and before
the message reached the broker (or had Redis lost the message in a restart), the row would have
said "sent" for an e-mail that never left. Now such a row stays undelivered, and the next scan
queues it again once it has waited REMINDER_REQUEUE_AFTER (requeue_stalled). The one window left
is a worker killed after the mail server accepted the e-mail and before the commit that marks
it delivered (milliseconds): that reminder goes out twice. No SMTP exchange can close it; we
chose a rare duplicate over a lost reminder.

Reminders that name a day ("in a week", "tomorrow", "due in a week") fall due at REMINDER_HOUR
local time on that day, so nobody is woken by an e-mail at midnight."""

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from infra.mail import absolute, render_email, send_email
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
# An e-mail that has not gone out a day after its reminder was decided is stale; the scan stops
# queueing it again (the row stays undelivered for the record).
GIVE_UP_AFTER = datetime.timedelta(days=1)


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


def _context(reminder: SentReminder) -> dict:
    w = reminder.workshop
    context = {
        "person": reminder.recipient,
        "workshop": w,
        "site": reminder.site,
        "deliverable": reminder.deliverable,
        "workshop_link": absolute(w.get_absolute_url()),
        "settings_link": absolute(reverse("workshops:reminder_settings")),
        "ics_link": absolute(reverse("workshops:workshop_ics", kwargs={"pk": w.pk})),
    }
    if reminder.site is not None:
        context["site_link"] = absolute(
            reverse("workshops:site_programme", kwargs={"site_slug": reminder.site.slug})
        )
        if reminder.deliverable is not None:
            context["deliverable_link"] = absolute(
                reverse(
                    "workshops:site_deliverable",
                    kwargs={"site_slug": reminder.site.slug, "pk": reminder.deliverable.pk},
                )
            )
    return context


def dispatch(
    at: datetime.datetime | None = None, *, queue: Callable[[int], object], dry_run: bool = False
) -> Counter:
    """Send every reminder due at `at` (now by default) that has not been sent; returns how
    many of each kind were sent (or, with dry_run, would be). `queue(reminder_id)` is called in
    the transaction that records each one and must wait for its commit
    (`send_reminder.delay_on_commit`)."""
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
    by_person: dict[int, list[Due]] = {}
    for due in dues:
        if (due.user.pk, due.kind) in muted or (due.kind, due.user.pk, due.occasion) in sent:
            continue
        if dry_run:
            counts[due.kind] += 1
            continue
        by_person.setdefault(due.user.pk, []).append(due)
    for person_dues in by_person.values():
        # One e-mail per person and scan: every reminder decided for them is recorded in one
        # transaction (each in its own savepoint), and one task is queued after its commit;
        # it sends them all in one e-mail (deliver).
        with transaction.atomic():
            decided = []
            for due in person_dues:
                try:
                    with transaction.atomic():
                        decided.append(
                            SentReminder.objects.create(
                                kind=due.kind,
                                recipient=due.user,
                                occasion=due.occasion,
                                workshop=due.workshop,
                                site=due.site,
                                deliverable=due.deliverable,
                                due_at=due.due_at,
                                queued_at=timezone.now(),
                            )
                        )
                except IntegrityError:
                    # Another scan decided to send this one first; its e-mail is on its way.
                    continue
                sent.add((due.kind, due.user.pk, due.occasion))
                counts[due.kind] += 1
            if decided:
                queue(decided[0].pk)
    return counts


def requeue_stalled(now: datetime.datetime | None = None, *, queue: Callable[[int], object]) -> int:
    """Queue again (with `queue`, as in dispatch) every reminder whose e-mail has not gone out
    REMINDER_REQUEUE_AFTER seconds after it was queued (a lost message, a killed worker); returns
    how many. A copy that turns up later as well is harmless: deliver() sends each row once."""
    now = now or timezone.now()
    stalled = SentReminder.objects.filter(
        delivered_at__isnull=True,
        queued_at__lt=now - datetime.timedelta(seconds=settings.REMINDER_REQUEUE_AFTER),
        sent_at__gte=now - GIVE_UP_AFTER,
    )
    ids = list(stalled.values_list("pk", flat=True)[:1000])
    with transaction.atomic():
        SentReminder.objects.filter(pk__in=ids).update(queued_at=now)
        for pk in ids:
            queue(pk)
    return len(ids)


def postpone(reminder_id: int, seconds: float) -> None:
    """The e-mail will be retried in `seconds`: the scan leaves it alone until then."""
    SentReminder.objects.filter(pk=reminder_id, delivered_at__isnull=True).update(
        queued_at=timezone.now() + datetime.timedelta(seconds=seconds)
    )


def _bundled_email(reminders: list[SentReminder]) -> dict:
    """One e-mail for several reminders to one person, in their language: each item as its
    own e-mail says it, under its subject, without the greeting and footer repeated."""
    person = reminders[0].recipient
    items = []
    with translation.override(person.language or settings.LANGUAGE_CODE):
        for reminder in reminders:
            one = render_email(
                f"workshops/email/{reminder.kind}",
                {**_context(reminder), "bundled": True},
                person.language,
            )
            subject = one["subject"].removeprefix(settings.EMAIL_SUBJECT_PREFIX)
            items.append({"subject": subject, "text": one["text"].strip()})
    return render_email(
        "workshops/email/reminders",
        {
            "person": person,
            "items": items,
            "settings_link": absolute(reverse("workshops:reminder_settings")),
        },
        person.language,
    )


def deliver(reminder_id: int) -> bool:
    """Send the e-mail of a decided reminder unless it has gone out; True if it went out now.

    Every other reminder of the same person that is waiting to go out (decided in the same
    scan, or stalled) goes in the same e-mail: one scan sends a person one e-mail. The rows
    are locked while the e-mail is sent and marked delivered in the same transaction: a copy
    of a task running at the same time skips the locked rows, a later copy finds them
    delivered. If the worker dies before the commit, the rows stay undelivered and are sent
    again (redelivered by the broker, or queued again by the scan)."""
    now = timezone.now()
    with transaction.atomic():
        reminder = (
            SentReminder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "workshop", "site", "deliverable")
            .filter(pk=reminder_id, delivered_at__isnull=True)
            .first()
        )
        if reminder is None:
            return False  # delivered already, being delivered right now, or gone
        person = reminder.recipient
        others = list(
            SentReminder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "workshop", "site", "deliverable")
            .filter(
                recipient=person,
                delivered_at__isnull=True,
                queued_at__lte=now,  # not one waiting for its retry
                sent_at__gte=now - GIVE_UP_AFTER,
            )
            .exclude(pk=reminder.pk)
            .order_by("due_at", "pk")
        )
        together = [reminder, *others]
        if len(together) == 1:
            rendered = render_email(
                f"workshops/email/{reminder.kind}", _context(reminder), person.language
            )
        else:
            rendered = _bundled_email(together)
        # Called, not queued: the e-mail leaves from this task, before the rows are marked.
        send_email(to=[person.email], **rendered)
        SentReminder.objects.filter(pk__in=[r.pk for r in together]).update(delivered_at=now)
    return True
