"""A summary's figures, worked out by hand on known data (tests/dashboards/factories.py)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.models import SiteSummary, Trigger
from dashboards.services import build_summaries
from pilots.models import Phase
from tests.cases.factories import CaseFactory
from tests.pilots.factories import PilotSiteFactory

from .factories import known_site, many_cases


@pytest.fixture
def summary(site_a, site_b, lead_a, member_a, steering_a, member_b):
    known_site(site_a, lead_a, member_a, steering_a)
    many_cases(site_b, 12)  # built together: nothing of site B may count for site A
    build_summaries()
    return SiteSummary.objects.get(site=site_a, is_latest=True)


def test_case_figures_overall(summary):
    c = summary.payload["cases"]["all"]
    assert (c["total"], c["open"], c["closed"], c["resolved"], c["referred"]) == (4, 2, 2, 1, 1)
    assert c["self_referrals"] == 2 and c["self_referral_share"] == 50
    assert c["median_days"] == 4  # of 2, 10 and 4 days
    assert (c["resolved_share"], c["referred_share"]) == (50, 50)
    assert c["sip"] == 1
    assert c["with_consent"] == 2 and c["consent_share"] == 50
    assert (summary.cases_total, summary.cases_open, summary.median_days) == (4, 2, 4)


def test_case_figures_per_starting_point(summary):
    by = summary.payload["cases"]["by_starting_point"]
    # The first test serves two starting points: its two cases count towards both.
    for sp in ("early", "seek_help"):
        assert by[sp]["total"] == 2
        assert by[sp]["median_days"] == 6  # of 2 and 10
        assert by[sp]["self_referral_share"] == 50
        assert by[sp]["referred"] == 1
    assert by["promotive"]["total"] == 1 and by["promotive"]["median_days"] == 4
    assert by["not_psychiatrise"]["total"] == 0 and by["not_psychiatrise"]["median_days"] is None
    outside = summary.payload["cases"]["outside_tests"]
    assert outside["total"] == 1 and outside["open"] == 1 and outside["median_days"] is None


def test_referrals_consents_and_weeks(summary):
    cases = summary.payload["cases"]
    assert cases["referred_to"] == {"camhs": 1}
    assert cases["consent_by_actor"] == {
        "school": {"given": 2, "declined": 0},
        "social": {"given": 1, "declined": 0},
        "health": {"given": 0, "declined": 1},
    }
    assert [(w["week"], w["n"]) for w in cases["weekly"]] == [("2018-09-03", 2), ("2018-09-10", 2)]
    assert [(m["month"], m["n"]) for m in cases["monthly"]] == [("2018-09-01", 4)]


def test_practical_tests_by_step_and_decision(summary):
    tests = summary.payload["tests"]
    assert tests["total"] == 2
    assert tests["by_stage"] == {"plan": 0, "do": 1, "study": 0, "act": 0, "done": 1}
    assert tests["by_decision"] == {"adopt": 1, "adapt": 0, "abandon": 0}


def test_governance(summary):
    g = summary.payload["governance"]
    assert (g["meetings"], g["decisions"], g["decisions_without_action"]) == (1, 2, 1)
    assert g["actions_overdue"] == 1
    assert g["leads"] == 1
    # member_a (school), the social and the health person; the ended one is not counted.
    assert g["working"] == {"school": 1, "social": 1, "health": 1}
    # steering_a (school) and the successor from social services.
    assert g["steering"] == {"school": 1, "social": 1, "health": 0}
    assert g["hours"] == {
        "social": {"set_aside": 4.0, "planned": 8.0},
        "health": {"set_aside": 6.0, "planned": 6.0},
    }
    assert (g["vacancies"], g["handovers"]) == (1, 1)


def test_plans(summary):
    assert summary.payload["plans"] == {
        "needs_analysis": "draft",
        "project_plan": "approved",
        "action_plan": "missing",
    }


def test_workshops_and_deliverables(summary):
    w = summary.payload["workshops"]
    assert (w["workshops"], w["registered"], w["attended"], w["absent"], w["cancelled"]) == (
        1,
        2,
        1,
        1,
        1,
    )
    d = w["deliverables"]
    assert (d["total"], d["due"], d["accepted"], d["overdue"]) == (3, 2, 1, 1)
    assert summary.overdue_deliverables == 1


def test_general_interventions_reach(summary):
    assert summary.payload["interventions"] == [
        {
            "programme": "YAM",
            "schools": 1,
            "running": 1,
            "completed": 0,
            # 8A and 8B took part: 24 + 25 pupils, each class once however many sessions
            # it had; 8C has had none. Attendance is the pupils present: 45 + 20.
            "groups": 2,
            "pupils": 49,
            "sessions": 2,
            "attendance": 65,
        }
    ]


def test_work_per_starting_point_counts_tests_interventions_and_actions(summary):
    # t1 serves early and seek_help, t2 promotive; YAM promotive; the followed action seek_help
    # and not_psychiatrise; the other action none.
    assert summary.payload["starting_points"] == {
        "promotive": {"tests": 1, "interventions": 1, "actions": 0},
        "early": {"tests": 1, "interventions": 0, "actions": 0},
        "seek_help": {"tests": 1, "interventions": 0, "actions": 1},
        "not_psychiatrise": {"tests": 0, "interventions": 0, "actions": 1},
    }


def test_overdue_work_needs_attention(summary):
    assert summary.signs == ["overdue"]
    assert summary.attention == 1


def test_a_testing_site_without_cases_needs_attention(site_a):
    site_a.phase = Phase.TESTING
    site_a.save()
    (summary,) = build_summaries(site_a)
    assert summary.signs == ["no_cases"]


def test_a_long_wait_to_the_first_intervention_needs_attention(site_a):
    first = datetime.date(2018, 9, 3)
    CaseFactory(
        site=site_a,
        first_contact_on=first,
        first_intervention_on=first + datetime.timedelta(days=30),
    )
    (summary,) = build_summaries(site_a)
    assert summary.signs == ["long_wait"]


def test_a_new_build_becomes_the_latest_and_keeps_the_old_one(site_a):
    (first,) = build_summaries(site_a, trigger=Trigger.NIGHTLY)
    (second,) = build_summaries(site_a, trigger=Trigger.REFRESH)
    first.refresh_from_db()
    assert not first.is_latest and second.is_latest
    assert SiteSummary.objects.filter(site=site_a).count() == 2


def _queries_to_build(sites=None):
    with CaptureQueriesContext(connection) as queries:
        build_summaries(sites)
    return len(queries)


def test_a_build_runs_the_same_queries_however_many_sites_and_cases(site_a):
    many_cases(site_a, 3)
    small = _queries_to_build()
    for _ in range(5):
        many_cases(PilotSiteFactory(), 30)
    many_cases(site_a, 30, start=datetime.date(2019, 1, 7))
    assert _queries_to_build() == small
    # About twenty for the figures (the measures' points per week and per month are one each;
    # the interventions' reach two; the work per starting point one per kind of work), three
    # for the dates they move on, one for replaced PDFs, two for the months the national
    # trends add up (the replaced summaries' deleted, the new ones' written).
    assert small <= 35  # 34 on SQLite
