"""After seed_demo: a coordinator sees the ten sites side by side, a lead sees the run chart, and
the charts find in the seeded data the story it tells: improvement where a site's rhythm
changed, nothing where it ran flat."""

import datetime
import re
import statistics
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled

from cases.models import Case, Intervention, PracticalTest, StartingPoint
from dashboards import spc
from dashboards.models import SiteSummary
from demo.programme.case_stories import INTERVENTIONS
from demo.programme.casework import TESTING_SITES
from demo.programme.sites import SITES
from pilots.models import User
from tests.once import for_the_module, own_copy_of_files


@pytest.fixture(scope="module")
def demo_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seeded once for the module (tests/once.py): the tests read it, or change it in their
    own savepoint."""
    with for_the_module(django_db_blocker, tmp_path_factory) as media:
        call_command("seed_demo", stdout=StringIO())
        yield media


@pytest.fixture
def demo(demo_once, db, settings, tmp_path):
    own_copy_of_files(demo_once, tmp_path, settings)


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
    classes count once however many sessions they had (Karlstad's four year-8 classes reach 96
    pupils over three sessions, never 96 + 92 + 88), as the demo's plan of them says."""
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
        _, _, groups, _, _, _, sessions = INTERVENTIONS[intervention.site.slug]
        if sessions:  # every group took part in every session
            sizes = [size for _, size in groups]
            assert (row["groups"], row["pupils"]) == (len(groups), sum(sizes))
        else:  # prepared in the autumn: the groups are recorded, not yet reached
            assert (row["groups"], row["pupils"]) == (0, 0)
        assert row["sessions"] == len(sessions)
        assert row["attendance"] == sum(present for _, present in sessions)
    karlstad = next(i for i in interventions if i.site.slug == "karlstad")
    assert (karlstad.programme.short_name, karlstad.groups.count()) == ("YAM", 4)


# What each site's rhythm (demo.programme.case_stories) changed, and in which direction an
# improvement runs: the charts must find these and nothing at the sites that ran flat.
IMPROVED = {
    "malmo": {"days": "down", "resolved": "up"},
    "uppsala": {"resolved": "up", "consent": "up"},
    "orebro": {"self": "up"},
    "gavle": {"self": "up"},
}
FLAT = ["umea", "linkoping", "sundsvall", "karlstad", "boras", "vaxjo"]
CHANGED_ON = {
    "malmo": datetime.date(2018, 10, 1),
    "uppsala": datetime.date(2018, 9, 24),
    "orebro": datetime.date(2018, 9, 17),
    "gavle": datetime.date(2018, 10, 8),
}


def _charts(client, slug):
    """The measures' charts on the site's dashboard, as its project lead sees them."""
    client.force_login(User.objects.get(email=f"lead@{slug}.example.org"))
    response = client.get(reverse("dashboards:site", kwargs={"site_slug": slug}))
    assert response.status_code == 200
    return {c["key"]: c for c in response.context["charts"]["measures"]}


def _mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values)


def test_the_improving_sites_charts_show_the_improvement_under_anhoejs_rules(demo, client):
    for slug, changed in IMPROVED.items():
        charts = _charts(client, slug)
        for key, direction in changed.items():
            chart = charts[key]
            assert chart["rules"] == "anhoej"
            assert chart["judgeable"] and chart["signal"], (slug, key, chart["summary"])
            # The signal is the change: the weeks after it differ from those before, as meant.
            split = next(
                i for i, w in enumerate(chart["labels"]) if w >= CHANGED_ON[slug].isoformat()
            )
            before, after = _mean(chart["values"][:split]), _mean(chart["values"][split:])
            assert after < before if direction == "down" else after > before, (slug, key)
        # The verdict is spc's own on the numbers drawn.
        days = charts["days"]
        assert spc.analyse(days["values"], chart="i").signal == days["signal"]


def test_the_flat_sites_charts_show_no_signal_but_can_be_judged(demo, client):
    for slug in FLAT:
        charts = _charts(client, slug)
        assert charts["cases"]["judgeable"], slug
        assert sum(c["judgeable"] for c in charts.values()) >= 4, slug
        assert not [k for k, c in charts.items() if c["signal"]], slug


def test_every_demo_site_has_enough_weeks_to_judge_and_its_chart_counts_its_cases(demo, client):
    for slug, *_ in SITES:
        charts = _charts(client, slug)
        cases = charts["cases"]
        assert cases["unit"] == "week"
        assert len(cases["labels"]) >= 15 and cases["useful"] >= 10, slug
        with scopes_disabled():
            weeks = Counter(
                (c - datetime.timedelta(days=c.weekday())).isoformat()
                for c in Case.objects.filter(site__slug=slug).values_list(
                    "first_contact_on", flat=True
                )
            )
        assert {w: n for w, n in zip(cases["labels"], cases["values"], strict=True) if n} == weeks


def test_the_five_sites_that_ran_tests_show_figures_of_their_own(demo):
    figures = set()
    for summary in SiteSummary.objects.latest_per_site().filter(site__slug__in=TESTING_SITES):
        c = summary.payload["cases"]["all"]
        figures.add((c["total"], c["resolved_share"], c["consent_share"], c["median_days"]))
        assert summary.payload["tests"]["total"] >= 1
    assert len(figures) == len(TESTING_SITES) == 5
    assert len({total for total, *_rest in figures}) == 5


def test_a_test_page_states_its_result_against_its_prediction(demo, client):
    client.force_login(User.objects.get(email="coordinator@example.org"))
    with scopes_disabled():
        test = PracticalTest.objects.get(site__slug="malmo", cycle=1)
        days = [c.days_to_first_intervention for c in test.cases.all()]
    median = statistics.median(d for d in days if d is not None)
    page = client.get(test.get_absolute_url()).content.decode()
    assert "Förutsägelse: mediandagar till första insats högst 7." in page
    verdict = "som förutsagt" if median <= 7 else "över förutsägelsen"
    assert f"Resultat: {median:g} dagar — {verdict}." in page
    # What the study found is written from the test's cases, so it names the same median.
    assert f"Median {median:g} dagar".replace(".", ",") in test.study_results
    assert test.study_results in page


def test_the_charts_write_their_figures_as_swedish_numbers(demo, client):
    """Points, centre lines and limits with a decimal comma and at most one decimal, in the
    tables under the charts and in the sentence that sums each chart up (not 7,6667 or 59.2)."""
    charts = _charts(client, "malmo")
    page = client.get(reverse("dashboards:site", kwargs={"site_slug": "malmo"})).content.decode()
    cells = re.findall(r'<td class="text-end">([^<]*)</td>', page)
    decimals = [c for c in cells if re.fullmatch(r"-?\d+,\d", c)]
    assert decimals, "the days chart's table has means with a decimal"
    assert not [c for c in cells if re.search(r"\d\.\d|\d,\d\d", c)]
    sentences = [c["summary"] for c in charts.values()]
    assert not [s for s in sentences if re.search(r"\d\.\d", s)]
    assert any(re.search(r"(Mittlinje|Median) \d+,\d;", s) for s in sentences), sentences
