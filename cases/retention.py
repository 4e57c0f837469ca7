"""Retention: the cases of a closed site are removed for good once the site has been closed
longer than its retention period (Programme.case_retention_days; the longest of the site's
programmes, or TRIAD_CASE_RETENTION_DAYS for a site in none).

Removal is deletion, not anonymisation: a case's value to others is in the aggregates the
site has already reported, and a pseudonymous row with dates and a school is easier to
re-identify than it looks. With each case go its timeline, consents and change history; the
RetentionRecord and a security audit line say what was removed, when and why.

The case's lines in the access log stay (HSLF-FS 2016:40 4 kap. 9 §: who read what must still
be followed up after the case is gone): they carry the case's code, and their link to the case
is emptied (on_delete=SET_NULL). The same nightly run removes access lines once they are older
than TRIAD_ACCESS_LOG_RETENTION_YEARS, whether their case is still there or not.

Every period the job uses is read through `case_retention_of` and `access_log_cutoff` below, and
the page that tells people what Triad processes (pilots.processing) reads the same functions,
so the page cannot say one thing while the job does another.

The access log is append-only, enforced on PostgreSQL by a trigger (pilots migration 0004)
that lets deletes through only while `triad.retention` is 'on' in the transaction: this
module is the one place that turns it on, and off again straight after."""

import datetime
import logging
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, models, transaction
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


def default_case_retention_days() -> int:
    """The period of a site in no programme (and a new programme's default)."""
    return settings.TRIAD_CASE_RETENTION_DAYS


def case_retention_of(programme) -> int:
    """The days a programme's closed sites keep their cases."""
    return programme.case_retention_days


def retention_days(site: PilotSite) -> int:
    """The longest period of the site's programmes, or the default for a site in none."""
    periods = [case_retention_of(p) for p in site.programmes.all()]
    return max(periods) if periods else default_case_retention_days()


def access_log_years() -> int:
    return settings.TRIAD_ACCESS_LOG_RETENTION_YEARS


def access_log_cutoff(now=None) -> datetime.datetime:
    """Access lines written before this moment are removed."""
    now = timezone.localtime(now or timezone.now())
    year = now.year - access_log_years()
    # 29 February, five years on, is 28 February.
    day = min(now.day, 28) if now.month == 2 else now.day
    return now.replace(year=year, day=day)


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
        count = cases.count()
        # Timeline, consents and history go with each case (CASCADE); the access lines stay
        # with their link emptied (SET_NULL), which the database lets through only here.
        cases.delete()
        record = RetentionRecord.objects.create(
            site=site,
            site_name=site.name,
            site_closed_at=closed,
            retention_days=days,
            cases_removed=count,
            access_lines_removed=0,
        )
        audit.record(
            AuditKind.RETENTION,
            site_slug=site.slug,
            detail={"cases": count, "access_lines": 0, "retention_days": days},
        )
    log.info("Retention: removed %s cases of %s (closed %s)", count, site.slug, closed)
    return record


def remove_old_access_lines(now=None) -> int:
    """Remove the access lines older than the access log's period (with any review of them);
    a security audit line says how many. Returns the number removed."""
    cutoff = access_log_cutoff(now)
    old = CaseAccess.objects.filter(at__lt=cutoff)
    if not old.exists():
        return 0
    with audit_deletes_allowed():
        # The model's own guard refuses deletes; this is the one sanctioned path past it.
        removed, by_model = models.QuerySet.delete(old)
        lines = by_model.get(CaseAccess._meta.label, 0)
        audit.record(
            AuditKind.RETENTION,
            detail={"access_lines": lines, "older_than_years": access_log_years()},
        )
    log.info("Retention: removed %s access lines written before %s", lines, cutoff)
    return lines


def apply(now=None) -> list[RetentionRecord]:
    records = [remove_cases(site, closed=closed, days=days) for site, closed, days in due(now)]
    remove_old_access_lines(now)
    return records
