"""After seed_demo: a coordinator sees the ten sites side by side, a lead sees the run chart."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from dashboards.models import SiteSummary
from demo.programme.sites import SITES
from pilots.models import User


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_has_a_summary_of_each_site(demo):
    latest = SiteSummary.objects.latest_per_site()
    assert sorted(s.site.slug for s in latest) == sorted(slug for slug, *_ in SITES)
    assert latest.get(site__slug="malmo").cases_total > 0


def test_a_coordinator_sees_the_ten_demo_sites_side_by_side(demo, client):
    client.force_login(User.objects.get(email="coordinator@example.org"))
    page = client.get(reverse("dashboards:national")).content.decode()
    assert page.count('class="spark"') == 10
    for slug, *_ in SITES:
        assert reverse("dashboards:site", kwargs={"site_slug": slug}) in page


def test_a_demo_lead_sees_the_run_chart_of_their_site(demo, client):
    client.force_login(User.objects.get(email="lead@malmo.example.org"))
    response = client.get(reverse("dashboards:site", kwargs={"site_slug": "malmo"}))
    page = response.content.decode()
    assert 'id="chart-measure-cases"' in page
    cases = response.context["charts"]["measures"][0]
    assert sum(cases["values"]) == response.context["summary"].all["total"]
    # At least three measures, each with the site's tests marked at their dates.
    drawn = [c for c in response.context["charts"]["measures"] if any(c["values"])]
    assert len(drawn) >= 3
    assert all(c["marks"] for c in drawn)
