"""The nightly build rebuilds only the sites whose summary is out of date (dashboards/changes.py):
one change marks its site, a build rebuilds only it, the next build nothing; the day passing a
date the figures depend on marks the site too; a refresh or `--site` builds regardless. And
night after night, the summaries so kept equal summaries built from scratch."""

import datetime
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import CaseConsent, ConsentStatus
from cases.retention import remove_cases
from dashboards import tasks
from dashboards.models import SiteSummary
from dashboards.services import build_changed_summaries, build_summaries, collect, out_of_date
from pilots.models import Phase, PilotSite, PlanDocument, Role
from tests.cases.factories import (
    CaseEventFactory,
    CaseFactory,
    InterventionSessionFactory,
    PracticalTestFactory,
)
from tests.pilots.factories import ActionFactory, MembershipFactory, PilotSiteFactory
from workshops.models import Registration
from workshops.services import take_attendance

from .factories import known_site, many_cases
from .world import fill


def stale():
    return set(out_of_date().values_list("pk", flat=True))


@pytest.fixture
def built(site_a, site_b):
    fill(site_a, "YAM")
    fill(site_b, "PALS")
    build_summaries()
    assert stale() == set()
    return site_a


def _edit_case(site):
    case = site.cases.first()
    case.closed_on = case.first_contact_on + datetime.timedelta(days=9)
    case.closure = "resolved"
    case.save()


def _decline_consent(site):
    consent = CaseConsent.objects.filter(case__site=site).first()
    consent.status = ConsentStatus.DECLINED
    consent.save()


def _plan(site):
    document = PlanDocument.objects.filter(site=site).first()
    document.add_version(sections={"aim": "Tidigare insatser."}, author=None)


def _attendance(site):
    """Through the workshop service, which marks everyone with two bulk UPDATEs."""
    registration = Registration.objects.get(site=site)
    take_attendance(registration.workshop, [registration.pk], by=None)


def _retention(site):
    """Old cases removed for good: a raw DELETE of their access lines, then the cases."""
    remove_cases(site, closed=timezone.now(), days=0)


CHANGES = {
    "a case logged": lambda site: CaseFactory(site=site),
    "a case edited": _edit_case,
    "a case deleted": lambda site: site.cases.first().delete(),
    "a timeline entry": lambda site: CaseEventFactory(case=site.cases.first()),
    "a consent declined": _decline_consent,
    "a plan's new version": _plan,
    "a practical test": lambda site: PracticalTestFactory(site=site),
    "workshop attendance": _attendance,
    "a general intervention's session": lambda site: InterventionSessionFactory(
        intervention=site.interventions.first()
    ),
    "the site's phase": lambda site: site.set_phase(Phase.TESTING, by=None),
    "a member leaving": lambda site: site.memberships.filter(role=Role.LEAD).update(
        ends_on=timezone.localdate() - datetime.timedelta(days=1)
    ),
    "old cases removed": _retention,
}


@pytest.mark.parametrize("change", CHANGES)
def test_one_change_marks_its_site_and_only_it_is_rebuilt(built, site_b, change):
    site_a = built
    CHANGES[change](site_a)
    assert stale() == {site_a.pk}
    summaries, skipped = build_changed_summaries()
    assert [s.site_id for s in summaries] == [site_a.pk] and skipped == 1
    assert stale() == set()
    assert build_changed_summaries() == ([], 2)


def test_a_site_without_a_summary_is_built(built):
    new = PilotSiteFactory()
    assert stale() == {new.pk}
    summaries, skipped = build_changed_summaries()
    assert [s.site_id for s in summaries] == [new.pk] and skipped == 2


def test_a_refresh_and_the_command_for_one_site_build_regardless(built, site_b):
    site_a = built
    tasks.build_site_summary.delay(site_a.pk)
    call_command("build_summaries", "--site", site_b.slug, stdout=io.StringIO())
    assert SiteSummary.objects.filter(site=site_a).count() == 2
    assert SiteSummary.objects.filter(site=site_b).count() == 2


def test_the_nightly_task_builds_only_what_changed(built, site_b):
    CaseFactory(site=site_b)
    assert tasks.build_all_summaries.delay().get() == 1
    assert SiteSummary.objects.filter(site=site_b).count() == 2


def test_new_code_outdates_every_summary(built, site_b, monkeypatch):
    monkeypatch.setattr("dashboards.services.code_version", lambda: "a-new-release")
    assert stale() == {built.pk, site_b.pk}


def test_a_summary_is_out_of_date_once_an_action_falls_due(site_a, site_b):
    today = timezone.localdate()
    ActionFactory(site=site_a, due_on=today + datetime.timedelta(days=2))
    build_summaries()
    last_day = timezone.make_aware(datetime.datetime.combine(today, datetime.time(23)))
    with time_machine.travel(last_day + datetime.timedelta(days=2), tick=False):
        assert stale() == set()  # due today: not yet overdue
    with time_machine.travel(last_day + datetime.timedelta(days=3), tick=False):
        assert stale() == {site_a.pk}


def _as_stored(payload):
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder))


def test_night_after_night_the_kept_summaries_equal_ones_built_from_scratch(
    site_a, site_b, lead_a, member_a, steering_a
):
    """Dates in the coming fortnight of every kind a figure compares with today: an action
    falls due, a deliverable is due, members start and leave, weeks turn in the run chart."""
    known_site(site_a, lead_a, member_a, steering_a)
    today = timezone.localdate()
    CaseFactory(site=site_a, first_contact_on=today - datetime.timedelta(days=2))
    MembershipFactory(site=site_b, ends_on=today + datetime.timedelta(days=3))
    MembershipFactory(site=site_b, starts_on=today + datetime.timedelta(days=6))
    ActionFactory(site=site_b, due_on=today + datetime.timedelta(days=4))
    sites = list(PilotSite.objects.select_related("region").order_by("pk"))
    night = timezone.make_aware(datetime.datetime.combine(today, datetime.time(2, 30)))
    rebuilt = []
    for day in range(1, 15):
        with time_machine.travel(night + datetime.timedelta(days=day), tick=False):
            if day == 8:
                CaseFactory(site=site_b, first_contact_on=timezone.localdate())
            built, _skipped = build_changed_summaries()
            rebuilt.append(len(built))
            fresh = collect(sites, timezone.now())
            for site in sites:
                kept = SiteSummary.objects.get(site=site, is_latest=True).payload
                assert kept == _as_stored(fresh[site.pk]), (day, site.name)
    # Not every night rebuilt every site: the comparison above was of kept summaries.
    assert 0 in rebuilt and sum(rebuilt) < 2 * len(rebuilt)


def _queries(build):
    with CaptureQueriesContext(connection) as queries:
        build()
    return len(queries)


def test_a_nightly_build_runs_the_same_queries_however_many_sites_changed(site_a):
    many_cases(site_a, 3)
    one = _queries(build_changed_summaries)
    for _ in range(6):
        many_cases(PilotSiteFactory(), 20)
    assert _queries(build_changed_summaries) == one
    CaseFactory(site=site_a)
    assert _queries(build_changed_summaries) == one
    assert _queries(build_changed_summaries) < one  # nothing to build


def _json_line(*args):
    out = io.StringIO()
    call_command("build_summaries", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_command_prints_what_it_built_and_skipped_as_json(site_a, site_b):
    line = _json_line("--changed-only", "--json")
    assert {k: line[k] for k in ("mode", "built", "skipped", "sites")} == {
        "mode": "changed",
        "built": 2,
        "skipped": 0,
        "sites": 2,
    }
    assert line["seconds"] >= 0 and line["queries"] > 10
    CaseFactory(site=site_a)
    assert (_json_line("--json")["built"], _json_line("--json")["built"]) == (1, 0)
    line = _json_line("--all", "--json")
    assert (line["mode"], line["built"], line["skipped"]) == ("all", 2, 0)
