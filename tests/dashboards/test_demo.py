"""After seed_demo: a coordinator sees the ten sites side by side, a lead sees the run chart."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled

from cases.models import Intervention, StartingPoint
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


def test_the_demos_general_interventions_count_each_class_once_under_promotive_work(demo, client):
    """Every demo site with PALS or YAM shows it under promotive and preventive work; YAM's
    four year-8 classes reach 96 pupils over three sessions, never 96 + 92 + 88."""
    with scopes_disabled():
        interventions = list(Intervention.objects.select_related("site", "programme"))
    assert {i.programme.short_name for i in interventions} == {"PALS", "YAM"}
    client.force_login(User.objects.get(email="coordinator@example.org"))
    for intervention in interventions:
        response = client.get(
            reverse("dashboards:site", kwargs={"site_slug": intervention.site.slug})
        )
        summary = response.context["summary"]
        promotive = summary.work_per_starting_point()[0]
        assert promotive["title"] == StartingPoint.PROMOTIVE.label
        assert promotive["interventions"] >= 1
        [row] = summary.interventions
        if intervention.programme.short_name == "YAM":
            assert (row["groups"], row["pupils"], row["sessions"]) == (4, 96, 3)
            assert row["attendance"] == 96 + 92 + 88
        else:  # PALS is prepared in the autumn: the whole school is recorded, not reached.
            assert (row["groups"], row["pupils"], row["sessions"]) == (0, 0, 0)
