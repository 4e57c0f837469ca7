"""The weekly digest: each site's latest summary, by e-mail, to its project leads and its
steering group. Celery beat runs the scan every hour (and `dispatch()` can be called by hand);
from Monday morning each week, it sends every digest of that week not sent before.

Exactly once, as workshops' reminders: the SentDigest row (unique per site, person and week)
is written in the same transaction as the decision to send, and the e-mail is queued only after
that commit. A second scan or a retried task finds the row and sends nothing."""

import datetime
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from infra.mail import absolute, send_templated
from pilots.models import Membership, Role

from .models import SentDigest, SiteSummary

# The digest of a week falls due at this hour local time on its Monday.
DIGEST_HOUR = 7
RECIPIENT_ROLES = (Role.LEAD, Role.STEERING)


def week_key(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def due_from(at: datetime.datetime) -> datetime.datetime:
    """When this week's digest falls due: Monday at DIGEST_HOUR, local time."""
    day = timezone.localdate(at)
    monday = day - datetime.timedelta(days=day.weekday())
    return timezone.make_aware(datetime.datetime.combine(monday, datetime.time(DIGEST_HOUR)))


def dispatch(at: datetime.datetime | None = None) -> int:
    """Send each digest due at `at` (now by default) that has not been sent; returns how many."""
    at = at or timezone.now()
    if at < due_from(at):
        return 0
    day = timezone.localdate(at)
    week = week_key(day)
    summaries = {s.site_id: s for s in SiteSummary.objects.latest_per_site().select_related("site")}
    if not summaries:
        return 0
    memberships = (
        Membership.objects.active(day)
        .filter(site__in=summaries, role__in=RECIPIENT_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("site", "user")
    )
    sent = set(SentDigest.objects.filter(week=week).values_list("site_id", "recipient_id"))
    # A lead sees the site's figures exact, a steering member with small numbers hidden.
    roles = defaultdict(set)
    for m in memberships:
        roles[m.site_id, m.user_id].add(m.role)
    count = 0
    for m in memberships:
        if (m.site_id, m.user_id) in sent:
            continue
        summary = summaries[m.site_id]
        try:
            with transaction.atomic():
                SentDigest.objects.create(
                    site_id=m.site_id, recipient=m.user, week=week, summary=summary
                )
                send_templated(
                    m.user.email,
                    "dashboards/email/digest",
                    _context(summary, m.user, week, roles[m.site_id, m.user_id]),
                    language=m.user.language,
                )
        except IntegrityError:
            # Another scan decided to send this one first; its e-mail is on its way.
            continue
        sent.add((m.site_id, m.user_id))
        count += 1
    return count


def _context(summary, person, week, roles):
    from .presenters import SummaryView

    slug = summary.site.slug
    return {
        "person": person,
        "site": summary.site,
        "week": week,
        "summary": SummaryView(summary, viewer=roles),
        "dashboard_link": absolute(reverse("dashboards:site", kwargs={"site_slug": slug})),
        "pdf_link": absolute(reverse("dashboards:site_pdf", kwargs={"site_slug": slug})),
    }
