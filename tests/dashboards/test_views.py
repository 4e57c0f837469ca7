"""The dashboards through the client: what each person sees, the exports, and query bounds."""

import datetime

import tablib
from django.urls import reverse

from dashboards.models import ChartSettings
from dashboards.services import build_summaries
from pilots.models import Phase
from tests.cases.factories import CaseFactory, PracticalTestFactory
from tests.pilots.factories import PilotSiteFactory

from .factories import known_site, many_cases

NATIONAL = reverse("dashboards:national")


def site_url(name, site):
    return reverse(f"dashboards:{name}", kwargs={"site_slug": site.slug})


def test_coordinator_sees_every_site_with_what_needs_attention_first(
    site_a, site_b, lead_a, member_a, steering_a, coordinator, client
):
    known_site(site_a, lead_a, member_a, steering_a)  # has an overdue deliverable
    build_summaries()
    client.force_login(coordinator)
    page = client.get(NATIONAL).content.decode()
    assert site_a.name in page and site_b.name in page
    assert page.index(site_a.name) < page.index(site_b.name)
    # Drill-down goes to the site's aggregates, never to a case.
    assert site_url("site", site_a) in page
    assert "/cases/" not in page
    assert 'id="dashboard-charts"' in page


def test_the_national_table_filters_by_phase(site_a, site_b, coordinator, client):
    site_b.phase = Phase.TESTING
    site_b.save()
    build_summaries()
    client.force_login(coordinator)
    page = client.get(NATIONAL, {"phase": Phase.TESTING}).content.decode()
    assert site_b.name in page and site_a.name not in page


def test_the_national_table_filters_by_region(site_a, site_b, coordinator, client):
    build_summaries()
    client.force_login(coordinator)
    page = client.get(NATIONAL, {"region": site_a.region_id}).content.decode()
    assert site_a.name in page and site_b.name not in page


def test_the_national_overview_downloads_as_csv_and_xlsx(site_a, site_b, coordinator, client):
    CaseFactory(site=site_a)
    build_summaries()
    client.force_login(coordinator)
    csv = client.get(reverse("dashboards:national_export"), {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    rows = csv.getvalue().decode("utf-8-sig").splitlines()
    assert len(rows) == 3 and any(r.startswith(f'"{site_a.name}"') for r in rows)

    xlsx = client.get(reverse("dashboards:national_export"), {"format": "xlsx"})
    data = tablib.Dataset().load(xlsx.getvalue(), format="xlsx")
    assert sorted(data.get_col(0)) == sorted([site_a.name, site_b.name])
    # The rule set each site's charts are read by: Anhøj's unless its lead chose the IHI's.
    ChartSettings.objects.create(site=site_b, rules="ihi")
    data = tablib.Dataset().load(
        client.get(reverse("dashboards:national_export"), {"format": "xlsx"}).getvalue(),
        format="xlsx",
    )
    rules = dict(zip(data.get_col(0), data["Diagrammen läses med"], strict=True))
    assert rules == {
        site_a.name: "Anhøjs regler (som i qicharts2)",
        site_b.name: "IHI:s regler för seriediagram",
    }


def test_the_pdf_is_a_pdf_in_swedish(site_a, lead_a, member_a, steering_a, client):
    known_site(site_a, lead_a, member_a, steering_a)
    build_summaries(site_a)
    client.force_login(steering_a)
    response = client.get(site_url("site_pdf", site_a))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_pdf_template_is_rendered_in_swedish(
    site_a, lead_a, member_a, steering_a, client, monkeypatch
):
    """Whatever the reader's language, the steering group's PDF is in Swedish."""
    from django.template import loader

    rendered = {}
    real = loader.render_to_string

    def capture(name, context=None, *args, **kwargs):
        html = real(name, context, *args, **kwargs)
        rendered[name] = html
        return html

    monkeypatch.setattr("dashboards.pdfs.render_to_string", capture)
    build_summaries(site_a)
    steering_a.language = "en"
    steering_a.save()
    client.force_login(steering_a)
    client.get(site_url("site_pdf", site_a))
    html = rendered["dashboards/site_pdf.html"]
    assert "Lägesbild för" in html and "Progress at" not in html


def test_steering_members_see_aggregates_and_no_case(site_a, lead_a, member_a, steering_a, client):
    known_site(site_a, lead_a, member_a, steering_a)
    build_summaries(site_a)
    client.force_login(steering_a)
    page = client.get(site_url("site", site_a)).content.decode()
    assert 'id="chart-measure-cases"' in page
    for case in site_a.cases.all():
        assert case.code not in page
    assert "/cases/" not in page.split('id="main"')[1]


def test_the_site_dashboard_reads_its_run_chart_by_anhoejs_rules_and_says_so(
    site_a, lead_a, client
):
    # Six quiet weeks (1 case), then six busy ones (4): 12 points, median (1 + 4) / 2 = 2.5,
    # none on it, so 12 useful. Runs 6 and 6, one crossing. Limits for 12: longest run
    # round(log2 12) + 3 = round(3.58) + 3 = 7; crossings: Binomial(11, 0.5) P(X ≤ 2) =
    # 67/2048 = 0.033, P(X ≤ 3) = 232/2048 = 0.113, so 3. One crossing < 3: a signal.
    monday = datetime.date(2018, 8, 6)
    for week in range(12):
        for _ in range(1 if week < 6 else 4):
            CaseFactory(site=site_a, first_contact_on=monday + datetime.timedelta(weeks=week))
    build_summaries(site_a)
    client.force_login(lead_a)
    response = client.get(site_url("site", site_a))
    cases = response.context["charts"]["measures"][0]
    assert cases["values"] == [1] * 6 + [4] * 6
    assert cases["centre"] == [2.5] * 12
    assert (cases["useful"], cases["judgeable"], cases["signal"]) == (12, True, True)
    assert cases["rules"] == "anhoej" and not any(cases["shift"])
    words = " ".join(response.content.decode().split())
    assert "Seriediagram, läst med Anhøjs regler." in words
    assert "längsta serie 6 (gräns 7); 1 korsningar (minst 3 väntade)." in words


def test_a_chart_with_fewer_than_ten_useful_points_says_it_cannot_judge_yet(site_a, lead_a, client):
    # Five weeks of 1, 2, 1, 2, 1: median 1, the three 1s lie on it: 2 useful points.
    monday = datetime.date(2018, 8, 6)
    for week, n in enumerate([1, 2, 1, 2, 1]):
        for _ in range(n):
            CaseFactory(site=site_a, first_contact_on=monday + datetime.timedelta(weeks=week))
    build_summaries(site_a)
    client.force_login(lead_a)
    response = client.get(site_url("site", site_a))
    cases = response.context["charts"]["measures"][0]
    assert (cases["useful"], cases["judgeable"], cases["signal"]) == (2, False, False)
    words = " ".join(response.content.decode().split())
    assert "Kan inte bedömas än" in words
    assert "För få användbara punkter för att bedöma än: 2" in words


def test_only_leads_and_coordinators_see_the_refresh_button(
    site_a, lead_a, member_a, coordinator, client
):
    build_summaries(site_a)
    refresh = site_url("site_refresh", site_a)
    for person, shown in ((lead_a, True), (coordinator, True), (member_a, False)):
        client.force_login(person)
        assert (refresh in client.get(site_url("site", site_a)).content.decode()) is shown


def _grow(sites, cases_each):
    for _ in range(sites):
        many_cases(PilotSiteFactory(phase=Phase.TESTING), cases_each)
    build_summaries()


def test_the_national_page_runs_a_fixed_number_of_queries(
    site_a, site_b, coordinator, client, django_assert_max_num_queries
):
    client.force_login(coordinator)
    build_summaries()
    # Ten for the table, two for the trends (the sums per month, the sites' small counts).
    with django_assert_max_num_queries(12):
        assert client.get(NATIONAL).status_code == 200
    _grow(sites=8, cases_each=20)
    with django_assert_max_num_queries(12):
        page = client.get(NATIONAL)
    assert page.content.decode().count('class="spark"') == 10


def test_the_site_dashboard_runs_a_fixed_number_of_queries(
    site_a, lead_a, member_a, steering_a, client, django_assert_max_num_queries
):
    client.force_login(lead_a)
    build_summaries(site_a)
    with django_assert_max_num_queries(12):
        assert client.get(site_url("site", site_a)).status_code == 200
    known_site(site_a, lead_a, member_a, steering_a)
    many_cases(site_a, 60)
    for _ in range(5):
        build_summaries(site_a)
    with django_assert_max_num_queries(12):
        assert client.get(site_url("site", site_a)).status_code == 200


def test_the_national_table_sorts_by_a_column(site_a, site_b, coordinator, client):
    many_cases(site_b, 3)
    build_summaries()
    client.force_login(coordinator)
    page = client.get(NATIONAL, {"o": "-cases"}).content.decode()
    assert page.index(site_b.name) < page.index(site_a.name)
    page = client.get(NATIONAL, {"o": "cases"}).content.decode()
    assert page.index(site_a.name) < page.index(site_b.name)


def test_the_national_page_shows_a_rebuilt_summary_at_once(site_a, coordinator, client):
    build_summaries()
    client.force_login(coordinator)
    assert client.get(NATIONAL).context["body"].count('<td class="text-end">7</td>') == 0
    many_cases(site_a, 7)
    build_summaries(site_a)
    assert '<td class="text-end">7</td>' in client.get(NATIONAL).context["body"]


def test_a_lead_chooses_the_ihi_rules_a_baseline_and_a_split_and_the_charts_follow(
    site_a, lead_a, client
):
    # 14 weeks: ten of 2, then four of 6. Frozen on the first ten points the median is 2 and
    # those ten lie on it; only the four of 6 are useful (all above): too few to judge.
    monday = datetime.date(2018, 8, 6)
    for week in range(14):
        for _ in range(2 if week < 10 else 6):
            CaseFactory(site=site_a, first_contact_on=monday + datetime.timedelta(weeks=week))
    build_summaries(site_a)
    client.force_login(lead_a)
    url = site_url("chart_settings", site_a)
    response = client.post(url, {"rules": "ihi", "baseline_points": "10", "split_test": ""})
    assert response.status_code == 302
    page = client.get(site_url("site", site_a))
    cases = page.context["charts"]["measures"][0]
    assert cases["rules"] == "ihi" and cases["centre"] == [2] * 14
    assert (cases["useful"], cases["judgeable"]) == (4, False)
    assert "Seriediagram, läst med IHI:s regler för seriediagram." in " ".join(
        page.content.decode().split()
    )
    # A baseline shorter than ten points is refused, with a message rather than an error.
    refused = client.post(url, {"rules": "anhoej", "baseline_points": "3"})
    assert refused.status_code == 200 and "minst 10" in refused.content.decode()
    # A test of the site splits the charts at its start: weeks 0–9 and 10–13.
    test = PracticalTestFactory(site=site_a, starts_on=monday + datetime.timedelta(weeks=10))
    client.post(url, {"rules": "anhoej", "baseline_points": "", "split_test": test.pk})
    cases = client.get(site_url("site", site_a)).context["charts"]["measures"][0]
    assert cases["phases"] == [0, 10]
    assert cases["centre"] == [2] * 10 + [6] * 4


def test_a_test_of_another_site_cannot_split_the_charts(site_a, site_b, lead_a, client):
    other = PracticalTestFactory(site=site_b)
    client.force_login(lead_a)
    response = client.post(
        site_url("chart_settings", site_a), {"rules": "anhoej", "split_test": other.pk}
    )
    assert response.status_code == 200
    assert not ChartSettings.objects.filter(site=site_a).exists()


def test_a_site_without_a_summary_is_on_the_national_dashboard_and_its_build_is_asked_for(
    site_a, coordinator, client, django_capture_on_commit_callbacks
):
    build_summaries(site_a)
    new = PilotSiteFactory(name="Nyantagna kommunen")
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(reverse("dashboards:national")).content.decode()
    assert "Nyantagna kommunen" in page and "ingen sammanställning än" in page
    # Built at once (the worker runs eagerly in tests): the next visit lists it in the table.
    assert new.summaries.filter(is_latest=True).exists()
    page = client.get(reverse("dashboards:national")).content.decode()
    assert "ingen sammanställning än" not in page
    assert reverse("dashboards:site", kwargs={"site_slug": new.slug}) in page
