"""A case's first intervention is a stored column (Case.first_intervention_on) that follows its
timeline: the earliest intervention on or after the first contact, or none. Every way the
timeline or the first contact changes keeps it so, and every measure reads the column."""

import datetime

import pytest

from cases.models import Case, ChangeKind
from dashboards.services import build_summaries
from tests.cases.conftest import case_data
from tests.cases.factories import CaseFactory
from tests.cases.test_cases import event_data

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def case(site_a):
    return CaseFactory(site=site_a, first_contact_on=D(2018, 9, 12))


@pytest.fixture
def timeline(client_for, member_a, urls, case):
    """Adds an entry to the case's timeline through its form; returns the entry."""
    client = client_for(member_a)

    def add(day, kind="intervention"):
        client.post(urls("case_timeline", pk=case.pk), event_data(occurred_on=day, kind=kind))
        return case.events.latest("pk")

    return add


def first_intervention(case):
    case.refresh_from_db()
    return case.first_intervention_on


def test_adding_entries_sets_the_earliest_intervention(case, timeline):
    timeline("2018-09-12", kind="contact")
    assert first_intervention(case) is None
    timeline("2018-09-19")
    timeline("2018-09-15", kind="conversation")
    assert first_intervention(case) == D(2018, 9, 15)


def test_editing_the_first_intervention_moves_or_clears_the_date(
    client_for, member_a, urls, case, timeline
):
    first = timeline("2018-09-15")
    timeline("2018-09-20")
    edit = urls("event_edit", pk=case.pk, event_pk=first.pk)
    client = client_for(member_a)
    client.post(edit, event_data(occurred_on="2018-09-25"))
    assert first_intervention(case) == D(2018, 9, 20)
    client.post(edit, event_data(occurred_on="2018-09-13"))
    assert first_intervention(case) == D(2018, 9, 13)
    # No longer an intervention: the next one is the first.
    client.post(edit, event_data(occurred_on="2018-09-13", kind="contact"))
    assert first_intervention(case) == D(2018, 9, 20)


def test_an_only_intervention_turned_into_a_contact_leaves_none(
    client_for, member_a, urls, case, timeline
):
    only = timeline("2018-09-15")
    assert first_intervention(case) == D(2018, 9, 15)
    client_for(member_a).post(
        urls("event_edit", pk=case.pk, event_pk=only.pk),
        event_data(occurred_on="2018-09-15", kind="follow_up"),
    )
    assert first_intervention(case) is None


def test_removing_the_only_intervention_leaves_none(client_for, member_a, urls, case, timeline):
    only = timeline("2018-09-15")
    client_for(member_a).post(urls("event_delete", pk=case.pk, event_pk=only.pk))
    assert first_intervention(case) is None
    assert case.changes.filter(what=ChangeKind.EVENT_REMOVED).exists()


def test_a_later_first_contact_moves_the_first_intervention_with_it(
    client_for, member_a, site_a, urls, case, timeline
):
    timeline("2018-09-15")
    timeline("2018-09-22")
    response = client_for(member_a).post(
        urls("case_edit", pk=case.pk), case_data(site_a, first_contact_on="2018-09-18")
    )
    assert response.status_code == 302
    assert first_intervention(case) == D(2018, 9, 22)
    # Written to the case's history like any other change of its facts.
    change = case.changes.filter(what=ChangeKind.CHANGED).latest("pk")
    assert "first_intervention_on" in {c["field"] for c in change.changes}


def test_the_measures_read_the_stored_column(site_a, case, timeline):
    timeline("2018-09-19")
    timeline("2018-09-15")
    other = CaseFactory(site=site_a, first_contact_on=D(2018, 9, 12))
    # Set from the timeline of each case: 3 days and (without entries) none.
    assert Case.objects.filter(pk=other.pk, first_intervention_on__isnull=True).exists()
    [summary] = build_summaries(site_a)
    cases = summary.payload["cases"]
    assert cases["all"]["median_days"] == 3
    assert cases["all"]["with_intervention"] == 1
    assert sum(week["reached"] for week in cases["weekly"]) == 1
    assert sum(week["days"] for week in cases["weekly"]) == 3
