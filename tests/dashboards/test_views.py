"""The dashboards through the client: what each person sees, the exports, and query bounds."""

import datetime

import tablib
from django.urls import reverse

from dashboards.services import build_summaries
from pilots.models import Phase
from tests.cases.factories import CaseFactory
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
    assert 'id="chart-run"' in page
    for case in site_a.cases.all():
        assert case.code not in page
    assert "/cases/" not in page.split('id="main"')[1]


def test_the_site_dashboard_marks_a_shift_in_the_run_chart(site_a, lead_a, client):
    # Six quiet weeks, then six busy ones: a shift on both sides of the median.
    monday = datetime.date(2018, 8, 6)
    for week in range(12):
        for _ in range(1 if week < 6 else 4):
            CaseFactory(site=site_a, first_contact_on=monday + datetime.timedelta(weeks=week))
    build_summaries(site_a)
    client.force_login(lead_a)
    response = client.get(site_url("site", site_a))
    charts = response.context["charts"]["run"]
    assert charts["values"] == [1] * 6 + [4] * 6
    assert all(charts["shift"])


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
    with django_assert_max_num_queries(10):
        assert client.get(NATIONAL).status_code == 200
    _grow(sites=8, cases_each=20)
    with django_assert_max_num_queries(10):
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
