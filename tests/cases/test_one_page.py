"""The one case page: log a case, add two entries in place (htmx) and close it as resolved
at the first line, without leaving the case's page — and the first intervention is derived
from the timeline and shown there, never typed."""

import pytest

from cases.models import AccessAction, Case, CaseAccess, Closure
from tests.cases.conftest import case_data

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def entry(**overrides):
    return {
        "occurred_on": "2018-09-12",
        "actor": "school",
        "level": "individual",
        "kind": "contact",
        "minutes": "20",
        "note": "",
        **overrides,
    }


def test_the_create_form_does_not_ask_for_the_first_intervention(client_for, member_a, urls):
    body = client_for(member_a).get(urls("case_create")).content.decode()
    assert 'name="first_intervention_on"' not in body


def test_a_case_is_logged_filled_in_and_closed_on_its_one_page(client_for, member_a, urls, site_a):
    client = client_for(member_a)
    response = client.post(urls("case_create"), case_data(site_a))
    case = Case.objects.get()
    assert response.url == case.get_absolute_url()

    page = client.get(response.url).content.decode()
    timeline = urls("case_timeline", pk=case.pk)
    assert f'hx-post="{timeline}"' in page  # the entry form adds in place
    assert f'action="{urls("case_close", pk=case.pk)}"' in page  # and the closing is here too
    assert "Ingen insats i tidslinjen ännu" in page

    first = client.post(timeline, entry(), **HTMX)
    fragment = first.content.decode()
    assert first.status_code == 200
    assert "<html" not in fragment and 'id="case-work"' in fragment
    assert "Händelsen är tillagd i tidslinjen." in fragment

    second = client.post(timeline, entry(occurred_on="2018-09-14", kind="conversation"), **HTMX)
    fragment = second.content.decode()
    case.refresh_from_db()
    assert str(case.first_intervention_on) == "2018-09-14"
    assert "2018-09-14</time> (2 dagar efter första kontakt)" in fragment
    assert case.events.count() == 2

    closed = client.post(
        urls("case_close", pk=case.pk),
        {"closed_on": "2018-09-20", "closure": Closure.RESOLVED, "outcome": "improved"},
    )
    assert closed.url == case.get_absolute_url()
    case.refresh_from_db()
    assert case.closure == Closure.RESOLVED
    # Each step in place still leaves its trace in the case's access record.
    actions = set(CaseAccess.objects.filter(case=case).values_list("action", flat=True))
    assert {AccessAction.CREATED, AccessAction.CHANGED, AccessAction.VIEWED} <= actions


def test_an_entry_with_errors_comes_back_in_place_with_the_message(client_for, member_a, urls):
    from tests.cases.factories import CaseFactory

    case = CaseFactory(site=member_a.memberships.first().site)
    response = client_for(member_a).post(
        urls("case_timeline", pk=case.pk), entry(occurred_on="1999-01-01"), **HTMX
    )
    fragment = response.content.decode()
    assert response.status_code == 200
    assert 'id="case-work"' in fragment and "is-invalid" in fragment
    assert not case.events.exists()


def test_the_history_keeps_an_abbreviation_in_capitals():
    """Finding: "Sip påbörjad" in a case's history."""
    from django.utils import translation

    from cases import history

    with translation.override("sv"):
        line = history.display(Case, {"field": "sip_started", "old": False, "new": True})
    assert str(line["label"]) == "SIP påbörjad"
