"""When the figures of a summary that depend on the date next move, for many sites at once.
Until then a summary stays true unless the site's data changes (dashboards/changes.py), so the
nightly build need not rebuild it. Each date below mirrors a figure that compares with today
or now:

- governance: an unfinished action is overdue from the day after its due date; a membership
  counts from its first day and stops counting (and may leave a vacancy) the day after its last;
- workshops: a published deliverable is due from its due moment;
- cases: the run chart runs to this week, so a site with cases moves every Monday.

tests/dashboards/test_incremental.py builds day after day and compares each incremental
summary with one built from scratch, so a date missing here shows as a difference."""

import datetime

from django.db.models import F, Min, Q
from django.utils import timezone

from pilots.models import Action, Membership
from workshops.models import Deliverable


def _midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def fresh_until(site_ids, now, with_cases) -> dict:
    """{site id: the first moment after `now` at which a figure moves, or None}. `with_cases`:
    the sites that have cases."""
    today = timezone.localdate(now)
    moments = {site_id: [] for site_id in site_ids}
    for row in (
        Action.objects.filter(site__in=site_ids, due_on__gte=today)
        .unfinished()
        .order_by()
        .values("site")
        .annotate(first=Min("due_on"))
    ):
        moments[row["site"]].append(_midnight(row["first"] + datetime.timedelta(days=1)))
    for row in (
        Membership.objects.filter(site__in=site_ids)
        .order_by()
        .values("site")
        .annotate(
            starts=Min("starts_on", filter=Q(starts_on__gt=today)),
            ends=Min("ends_on", filter=Q(ends_on__gte=today)),
        )
    ):
        if row["starts"]:
            moments[row["site"]].append(_midnight(row["starts"]))
        if row["ends"]:
            moments[row["site"]].append(_midnight(row["ends"] + datetime.timedelta(days=1)))
    for row in (
        Deliverable.objects.filter(
            workshop__is_published=True, workshop__programme__sites__in=site_ids, due_at__gte=now
        )
        .order_by()
        .values(site=F("workshop__programme__sites"))
        .annotate(first=Min("due_at"))
    ):
        moments[row["site"]].append(row["first"])
    monday = _midnight(today + datetime.timedelta(days=7 - today.weekday()))
    for site_id in with_cases:
        moments[site_id].append(monday)
    return {site_id: min(found, default=None) for site_id, found in moments.items()}
