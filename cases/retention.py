"""Retention: the cases of a closed site are removed for good once the site has been closed
longer than its retention period (Programme.case_retention_days; the longest of the site's
programmes, or TRIAD_CASE_RETENTION_DAYS for a site in none).

Removal is deletion, not anonymisation: a case's value to others is in the aggregates the
site has already reported, and a pseudonymous row with dates and a school is easier to
re-identify than it looks. With each case go its timeline, consents, change history and its
lines in the access log (the log exists to account for the case; the RetentionRecord and a
security audit line say what was removed, when and why).

The access log is append-only, enforced on PostgreSQL by a trigger (pilots migration 0004)
that lets deletes through only while `triad.retention` is 'on' in the transaction: this
module is the one place that turns it on, and off again straight after."""

import datetime
import logging
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from infra import audit
from infra.models import AuditKind
from pilots.models import Phase, PhaseChange, PilotSite

from .models import Case, CaseAccess, RetentionRecord

log = logging.getLogger(__name__)


@contextmanager
def audit_deletes_allowed():
    """Inside: the database lets audit lines be deleted (PostgreSQL; elsewhere a no-op)."""
    postgres = connection.vendor == "postgresql"
    with transaction.atomic():
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('triad.retention', 'on', true)")
        try:
            yield
        finally:
            if postgres:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('triad.retention', 'off', true)")


def retention_days(site: PilotSite) -> int:
    longest = site.programmes.aggregate(days=Max("case_retention_days"))["days"]
    return longest if longest is not None else settings.TRIAD_CASE_RETENTION_DAYS


def closed_at(site: PilotSite) -> datetime.datetime | None:
    """When the site was last moved to Closed; None if it is not closed or no one recorded
    it (then nothing is removed: never without a known date)."""
    if site.phase != Phase.CLOSED:
        return None
    change = (
        PhaseChange.objects.filter(site=site, to_phase=Phase.CLOSED).order_by("-changed_at").first()
    )
    return change.changed_at if change else None


def due(now=None):
    """The closed sites with cases whose retention period is over: (site, closed, days)."""
    now = now or timezone.now()
    sites = PilotSite.objects.filter(phase=Phase.CLOSED, cases__isnull=False).distinct()
    for site in sites:
        closed = closed_at(site)
        days = retention_days(site)
        if closed is not None and closed + datetime.timedelta(days=days) <= now:
            yield site, closed, days


def remove_cases(site: PilotSite, *, closed, days) -> RetentionRecord:
    with audit_deletes_allowed():
        cases = Case.objects.filter(site=site)
        # The model's own guard refuses deletes; this is the one sanctioned path past it.
        accesses, _ = models.QuerySet.delete(CaseAccess.objects.filter(case__in=cases))
        count = cases.count()
        cases.delete()  # timeline, consents and history go with each case (CASCADE)
        record = RetentionRecord.objects.create(
            site=site,
            site_name=site.name,
            site_closed_at=closed,
            retention_days=days,
            cases_removed=count,
            access_lines_removed=accesses,
        )
        audit.record(
            AuditKind.RETENTION,
            site_slug=site.slug,
            detail={"cases": count, "access_lines": accesses, "retention_days": days},
        )
    log.info("Retention: removed %s cases of %s (closed %s)", count, site.slug, closed)
    return record


def apply(now=None) -> list[RetentionRecord]:
    return [remove_cases(site, closed=closed, days=days) for site, closed, days in due(now)]
