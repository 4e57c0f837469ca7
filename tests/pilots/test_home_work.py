"""Each role's home page leads to its work for the site's phase — with counts and links only:
no case code, no case row, so it needs no second factor and writes no access record."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from cases.models import CaseAccess, Stage
from pilots.models import Phase
from pilots.models.documents import DocumentKind
from tests.cases.factories import CaseFactory, PracticalTestFactory

pytestmark = pytest.mark.django_db

HOME = "pilots:home"


@pytest.fixture
def testing_site(site_a, coordinator, member_a, lead_a, steering_a):
    site_a.set_phase(Phase.TESTING, by=coordinator)
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=90)
    with scopes_disabled():
        PracticalTestFactory(site=site_a)
        PracticalTestFactory(site=site_a, stage=Stage.ACT)
        CaseFactory(
            site=site_a, created_by=member_a, first_contact_on=long_ago, code="AAA-2018-101"
        )
        CaseFactory(site=site_a, created_by=member_a, code="AAA-2018-102", first_contact_on=today)
        CaseFactory(site=site_a, created_by=lead_a, code="AAA-2018-103", first_contact_on=today)
    return site_a


def site_url(name, site, query=""):
    return reverse(name, kwargs={"site_slug": site.slug}) + query


def no_case_shown(html):
    assert not re.search(r"AAA-\d{4}-\d{3}", html), "a home page shows no case code"
    assert not CaseAccess.objects.exists(), "a home page writes no access record"


def test_member_at_a_testing_site_logs_a_case_in_one_click(client_for, member_a, testing_site):
    html = client_for(member_a).get(reverse(HOME)).content.decode()
    assert f'href="{site_url("cases:case_create", testing_site)}"' in html
    assert "Logga ett ärende" in html
    mine = site_url("cases:case_list", testing_site, "?status=open&amp;mine=me")
    assert re.search(rf'href="{re.escape(mine)}"[^>]*>.*?Mina öppna ärenden.*?>2<', html, re.S)
    assert f'href="{site_url("cases:test_list", testing_site)}"' in html
    no_case_shown(html)


def test_my_open_cases_are_the_ones_i_logged(client_for, member_a, testing_site):
    url = site_url("cases:case_list", testing_site, "?status=open&mine=me")
    html = client_for(member_a).get(url).content.decode()
    assert "AAA-2018-101" in html and "AAA-2018-102" in html
    assert "AAA-2018-103" not in html


def test_lead_sees_what_is_due(client_for, lead_a, testing_site):
    html = client_for(lead_a).get(reverse(HOME)).content.decode()
    assert "1 praktiskt test väntar på beslut" in html
    assert site_url("cases:test_list", testing_site, "?stage=act") in html
    assert "1 ärende har varit öppet i mer än 42 dagar." in html
    no_case_shown(html)


def test_steering_member_sees_what_awaits_them_with_the_action(
    client_for, steering_a, lead_a, testing_site
):
    from pilots.models import PlanDocument

    with scopes_disabled():
        document = PlanDocument.objects.create(site=testing_site, kind=DocumentKind.NEEDS_ANALYSIS)
        document.add_version(sections={"needs": "Behoven i korthet."}, author=lead_a)
    html = client_for(steering_a).get(reverse(HOME)).content.decode()
    assert "Läs och ta ställning" in html
    assert "Se vad de visar" in html  # the test waiting for a decision
    assert site_url("dashboards:site", testing_site) in html
    assert site_url("dashboards:site_pdf", testing_site) in html
    assert "Logga ett ärende" not in html
    no_case_shown(html)


def test_coordinator_sees_the_sites_needing_attention(client_for, coordinator, site_a):
    html = client_for(coordinator).get(reverse(HOME)).content.decode()
    assert "Områden som behöver uppmärksamhet" in html
    assert reverse("dashboards:national") in html


def test_a_role_title_that_repeats_the_role_is_not_shown_twice(client_for, site_a):
    from pilots.models import Role
    from tests.pilots.factories import MembershipFactory

    lead = MembershipFactory(site=site_a, role=Role.LEAD, title="Projektledare").user
    html = client_for(lead).get(reverse(HOME)).content.decode()
    assert "Projektledare (Projektledare)" not in html
    assert "Projektledare" in html


def test_lead_sees_decisions_without_an_action_as_due(client_for, lead_a, testing_site):
    import datetime as dt

    from pilots.models import Decision, SteeringMeeting

    with scopes_disabled():
        meeting = SteeringMeeting.objects.create(site=testing_site, held_on=dt.date(2026, 1, 1))
        Decision.objects.create(meeting=meeting, text="Införa drop-in-tid.")
    html = client_for(lead_a).get(reverse(HOME)).content.decode()
    due = html.split("Att göra nu", 1)[1].split("</ul>", 1)[0]
    assert "1 styrgruppsbeslut saknar ännu en åtgärd" in due
