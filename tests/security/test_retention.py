"""Retention: once a site has been closed longer than its programme's retention period, the
nightly task removes its cases for good, with their timelines, and records that it did. The
access lines of the cases stay (their link to the case emptied) and go after five years."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cases import retention
from cases.models import AccessAction, Case, CaseAccess, CaseEvent, RetentionRecord
from cases.tasks import apply_retention
from infra.models import AuditEvent, AuditKind
from pilots.models import Phase, PhaseChange
from tests.cases.factories import CaseEventFactory, CaseFactory
from tests.workshops.factories import ProgrammeFactory


def close(site, days_ago):
    site.set_phase(Phase.CLOSED, by=None)
    PhaseChange.objects.filter(site=site, to_phase=Phase.CLOSED).update(
        changed_at=timezone.now() - datetime.timedelta(days=days_ago)
    )


@pytest.fixture
def cases_a(site_a, member_a, client_for):
    """Two cases at site A, each read once (so each has an access line)."""
    cases = [CaseFactory(site=site_a), CaseFactory(site=site_a)]
    for case in cases:
        CaseEventFactory(case=case)
        client_for(member_a).get(case.get_absolute_url())
    assert CaseAccess.objects.filter(action=AccessAction.VIEWED).count() == 2
    return cases


def test_a_site_closed_longer_than_its_programmes_period_loses_its_cases(cases_a, site_a, site_b):
    ProgrammeFactory(sites=[site_a], case_retention_days=90)
    CaseFactory(site=site_b)
    close(site_a, days_ago=91)

    assert apply_retention() == 2
    assert not Case.objects.filter(site=site_a).exists()
    assert not CaseEvent.objects.filter(case__site=site_a).exists()
    assert Case.objects.filter(site=site_b).count() == 1  # an open site keeps its cases

    record = RetentionRecord.objects.get()
    assert (record.site, record.cases_removed, record.access_lines_removed) == (site_a, 2, 0)
    assert record.retention_days == 90
    event = AuditEvent.objects.get(kind=AuditKind.RETENTION)
    assert event.site_slug == site_a.slug and event.detail["cases"] == 2


def test_within_the_period_nothing_is_removed(cases_a, site_a):
    ProgrammeFactory(sites=[site_a], case_retention_days=90)
    close(site_a, days_ago=89)
    assert apply_retention() == 0
    assert Case.objects.filter(site=site_a).count() == 2
    assert not RetentionRecord.objects.exists()


def test_an_open_site_keeps_its_cases_however_old(cases_a, site_a):
    ProgrammeFactory(sites=[site_a], case_retention_days=30)
    site_a.set_phase(Phase.REPORTING, by=None)
    Case.objects.filter(site=site_a).update(first_contact_on=datetime.date(2018, 1, 8))
    assert apply_retention() == 0
    assert Case.objects.filter(site=site_a).count() == 2


def test_a_site_closed_without_a_recorded_date_is_left_alone(cases_a, site_a):
    site_a.phase = Phase.CLOSED
    site_a.save()
    assert retention.closed_at(site_a) is None
    assert apply_retention() == 0


def test_the_longest_programme_period_holds(cases_a, site_a):
    ProgrammeFactory(sites=[site_a], case_retention_days=60)
    ProgrammeFactory(sites=[site_a], case_retention_days=400)
    close(site_a, days_ago=100)
    assert retention.retention_days(site_a) == 400
    assert apply_retention() == 0


def test_a_site_in_no_programme_uses_the_setting(cases_a, site_a, settings):
    settings.TRIAD_CASE_RETENTION_DAYS = 10
    close(site_a, days_ago=11)
    assert apply_retention() == 2


def test_a_new_programme_takes_its_period_from_the_setting(settings, db):
    settings.TRIAD_CASE_RETENTION_DAYS = 500
    assert ProgrammeFactory().case_retention_days == 500


def test_a_second_run_finds_nothing_more(cases_a, site_a):
    close(site_a, days_ago=settings.TRIAD_CASE_RETENTION_DAYS + 1)
    assert apply_retention() == 2
    assert apply_retention() == 0
    assert RetentionRecord.objects.count() == 1


def test_the_task_runs_nightly_from_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["cases-retention"]
    assert entry["task"] == "cases.tasks.apply_retention"
    assert entry["schedule"] <= 24 * 60 * 60


def test_coordinators_set_a_programmes_period_in_its_form(client_for, coordinator, site_a):
    programme = ProgrammeFactory(sites=[site_a])
    client_for(coordinator).post(
        reverse("workshops:programme_update", kwargs={"pk": programme.pk}),
        {
            "name": programme.name,
            "description": "",
            "sites": [site_a.pk],
            "case_retention_days": 45,
        },
    )
    programme.refresh_from_db()
    assert programme.case_retention_days == 45


def test_outside_retention_the_access_log_stays_append_only(cases_a):
    """Retention opens the door for its own deletes only; after it, the guards hold again."""
    from cases.models import AppendOnlyError

    with retention.audit_deletes_allowed():
        pass
    with pytest.raises(AppendOnlyError):
        CaseAccess.objects.all().delete()


def test_access_lines_outlive_their_cases(cases_a, site_a):
    """HSLF-FS 2016:40 4 kap. 9 §: who read a case can still be followed up after it is gone."""
    codes = sorted(case.code for case in cases_a)
    close(site_a, days_ago=settings.TRIAD_CASE_RETENTION_DAYS + 1)
    assert apply_retention() == 2
    assert not Case.objects.filter(site=site_a).exists()
    lines = CaseAccess.objects.filter(site=site_a, action=AccessAction.VIEWED)
    assert sorted(lines.values_list("case_code", flat=True)) == codes
    assert set(lines.values_list("case", flat=True)) == {None}


def test_access_lines_go_after_five_years_and_not_before(cases_a, site_a):
    now = timezone.now()
    line = CaseAccess.objects.filter(action=AccessAction.VIEWED).first()
    # Written five years and a day ago, as a backdated line (the record is append-only).
    with retention.audit_deletes_allowed():
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO cases_caseaccess (site_id, case_id, case_code, user_id, user_email,"
                " user_name, action, at, path) SELECT site_id, case_id, case_code, user_id,"
                " user_email, user_name, action, %s, path FROM cases_caseaccess WHERE id = %s",
                [now - datetime.timedelta(days=5 * 366), line.pk],
            )
            cursor.execute(
                "INSERT INTO cases_caseaccess (site_id, case_id, case_code, user_id, user_email,"
                " user_name, action, at, path) SELECT site_id, case_id, case_code, user_id,"
                " user_email, user_name, action, %s, path FROM cases_caseaccess WHERE id = %s",
                [now - datetime.timedelta(days=5 * 365 - 2), line.pk],
            )
    before = CaseAccess.objects.count()
    assert retention.remove_old_access_lines(now) == 1
    assert CaseAccess.objects.count() == before - 1
    assert retention.remove_old_access_lines(now) == 0
    event = AuditEvent.objects.filter(kind=AuditKind.RETENTION).get()
    assert event.detail == {"access_lines": 1, "older_than_years": 5}
