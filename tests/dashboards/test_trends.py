"""Issue 14: the national dashboard's trends per month across every site, one small chart per
measure, and the site table sorted by any measure. The numbers the charts are drawn from are
checked against values worked out by hand from three sites' cases; small numbers are checked
as a coordinator (who may not see cases) reads the page and its export."""

import csv
import datetime
import io
import json
import math
import re

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Closure, RaisedBy, ReferralTo
from dashboards.models import SiteMonth
from dashboards.services import build_summaries
from tests.cases.factories import CaseConsentFactory, CaseFactory
from tests.pilots.factories import PilotSiteFactory, SchoolFactory

pytestmark = pytest.mark.django_db

NATIONAL = reverse("dashboards:national")
EXPORT = reverse("dashboards:national_export")
SEP, OCT, NOV = datetime.date(2018, 9, 3), datetime.date(2018, 10, 1), datetime.date(2018, 11, 5)


def case(site, day, *, child=False, closure="", consent=False, days=None):
    """A case first contacted on `day`: raised by the child or a guardian, closed as `closure`
    a week later (or open), with consent to share given or not, and a first intervention after
    `days` days (or none)."""
    made = CaseFactory(
        site=site,
        first_contact_on=day,
        raised_by=RaisedBy.CHILD if child else RaisedBy.GUARDIAN,
        first_intervention_on=None if days is None else day + datetime.timedelta(days=days),
        closure=closure,
        closed_on=day + datetime.timedelta(days=7) if closure else None,
        referred_to=ReferralTo.CAMHS if closure == Closure.REFERRED else "",
    )
    if consent:
        CaseConsentFactory(case=made)
    return made


def site_c():
    site = PilotSiteFactory(name="Område C", slug="site-c", case_code_prefix="CCC")
    SchoolFactory(site=site, name="Skola C")
    return site


def charts(page):
    data = re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', page)
    return {c["key"]: c for c in json.loads(data.group(1))["measures"]}


@pytest.fixture
def three_sites(site_a, site_b):
    """Three sites' cases over three months of 2018 (R resolved, F referred, O open; c the
    child raised it, g a guardian; + consent; dN an intervention after N days):

    September  A: c R + d4, g F d2            B: c R d6, c R, g R + d0
    October    A: c O                         C: c F + d5
    November                                  B: g R + d10, g R
    """
    c = site_c()
    R, F = Closure.RESOLVED, Closure.REFERRED
    case(site_a, SEP, child=True, closure=R, consent=True, days=4)
    case(site_a, SEP + datetime.timedelta(days=1), closure=F, days=2)
    case(site_b, SEP, child=True, closure=R, days=6)
    case(site_b, SEP + datetime.timedelta(days=2), child=True, closure=R)
    case(site_b, SEP + datetime.timedelta(days=3), closure=R, consent=True, days=0)
    case(site_a, OCT, child=True)
    case(c, OCT + datetime.timedelta(days=4), child=True, closure=F, consent=True, days=5)
    case(site_b, NOV, closure=R, consent=True, days=10)
    case(site_b, NOV + datetime.timedelta(days=1), closure=R)
    build_summaries()
    return site_a, site_b, c


def test_the_trends_add_up_every_sites_months_as_worked_out_by_hand(
    three_sites, coordinator, client, settings
):
    # Every figure shown, so the arithmetic can be read in full (small numbers: below).
    settings.TRIAD_SMALL_NUMBER_THRESHOLD = 1
    client.force_login(coordinator)
    page = client.get(NATIONAL).content.decode()
    trend = charts(page)
    assert list(trend) == ["cases", "days", "resolved", "self", "consent"]
    for chart in trend.values():
        assert chart["labels"] == ["2018-09-01", "2018-10-01", "2018-11-01"]
        assert chart["rules"] == "anhoej" and chart["left_out"] == 0

    # New cases: 5, 2, 2. A run chart around their median, 2.
    assert trend["cases"]["chart"] == "run"
    assert trend["cases"]["values"] == [5, 2, 2]
    assert trend["cases"]["centre"] == [2, 2, 2]

    # Days to first intervention: all days over all cases with one. September (4+2+6+0)/4 = 3,
    # October 5/1, November 10/1. An I chart: centre the mean 6; moving ranges 2 and 5, mean
    # 3.5, so σ = 3.5/1.128 and the limits 6 ± 3σ.
    days = trend["days"]
    assert days["chart"] == "i" and days["values"] == [3, 5, 10]
    sigma = 3.5 / 1.128
    assert days["centre"] == [6, 6, 6]
    assert days["lower"] == [round(6 - 3 * sigma, 4)] * 3
    assert days["upper"] == [round(6 + 3 * sigma, 4)] * 3

    # Resolved at the first line, of the closed: September A 1 of 2 and B 3 of 3, so 4 of 5,
    # 80 % (not the sites' 50 % and 100 % averaged, 75 %); October 0 of 1; November 2 of 2.
    # A P chart: centre 6 of 8; each month's limits from its own number of closed cases.
    resolved = trend["resolved"]
    assert resolved["chart"] == "p" and resolved["values"] == [80, 0, 100]
    assert resolved["centre"] == [75, 75, 75]
    p = 0.75
    expected_lower = [max(0, p - 3 * math.sqrt(p * (1 - p) / n)) for n in (5, 1, 2)]
    expected_upper = [min(1, p + 3 * math.sqrt(p * (1 - p) / n)) for n in (5, 1, 2)]
    assert resolved["lower"] == [round(v * 100, 4) for v in expected_lower]
    assert resolved["upper"] == [round(v * 100, 4) for v in expected_upper]
    assert resolved["lower"][0] == pytest.approx(16.9052, abs=1e-4)

    # Raised by the child, of all cases: 3 of 5, 2 of 2, 0 of 2; centre 5 of 9.
    assert trend["self"]["values"] == [60, 100, 0]
    assert trend["self"]["centre"] == [round(500 / 9, 4)] * 3
    # Consent to share: 2 of 5, 1 of 2, 1 of 2; centre 4 of 9.
    assert trend["consent"]["values"] == [40, 50, 50]
    assert trend["consent"]["centre"] == [round(400 / 9, 4)] * 3

    # Each small chart names its chart and its rule set, in Swedish.
    words = " ".join(page.split())
    assert "Trender per månad för alla områden" in words
    assert "P-diagram, läst med Anhøjs regler." in words
    assert "I-diagram (XmR), läst med Anhøjs regler." in words


def test_the_trends_may_be_read_by_the_ihi_rules(three_sites, coordinator, client):
    client.force_login(coordinator)
    page = client.get(NATIONAL, {"rules": "ihi"}).content.decode()
    assert {c["rules"] for c in charts(page).values()} == {"ihi"}
    assert "Seriediagram, läst med IHI:s regler för seriediagram." in " ".join(page.split())
    # An unknown rule set is ignored: Anhøj's.
    page = client.get(NATIONAL, {"rules": "magic"})
    assert page.status_code == 200
    assert {c["rules"] for c in charts(page.content.decode()).values()} == {"anhoej"}


def test_the_trends_are_read_from_the_summaries_months_not_the_cases(
    three_sites, coordinator, client, settings
):
    settings.TRIAD_SMALL_NUMBER_THRESHOLD = 1
    site_a, site_b, c = three_sites
    # Each site's latest summary keeps its months with cases, and only the latest's count.
    assert SiteMonth.objects.filter(summary__is_latest=True).count() == 5
    case(site_a, SEP, child=True)  # logged after the build: not in the trends until rebuilt
    client.force_login(coordinator)
    assert charts(client.get(NATIONAL).content.decode())["cases"]["values"] == [5, 2, 2]
    build_summaries(site_a)
    assert SiteMonth.objects.count() == 5
    assert charts(client.get(NATIONAL).content.decode())["cases"]["values"] == [6, 2, 2]


def test_the_table_filters_do_not_change_the_trends(three_sites, coordinator, client, settings):
    settings.TRIAD_SMALL_NUMBER_THRESHOLD = 1
    site_a = three_sites[0]
    client.force_login(coordinator)
    page = client.get(NATIONAL, {"region": site_a.region_id}).content.decode()
    assert "Område B" not in page.split('id="sites-heading"')[1]
    assert charts(page)["cases"]["values"] == [5, 2, 2]


# --- Small numbers ------------------------------------------------------------------------------


@pytest.fixture
def small_site(site_a, site_b):
    """Site A logged two cases in September: one the child raised, resolved, with consent and
    an intervention after three days; one a guardian raised, still open. Site B logged ten in
    September and ten in October, five of each kind in every respect."""
    case(site_a, SEP, child=True, closure=Closure.RESOLVED, consent=True, days=3)
    case(site_a, SEP + datetime.timedelta(days=1))
    for day in (SEP, OCT):
        for i in range(10):
            half = i % 2 == 0
            case(
                site_b,
                day + datetime.timedelta(days=i),
                child=half,
                closure=Closure.RESOLVED if half else Closure.REFERRED,
                consent=half,
                days=2 if half else 4,
            )
    build_summaries()
    return site_a


def test_a_site_with_two_cases_shows_no_small_number_in_the_trends(site_a, coordinator, client):
    case(site_a, SEP, child=True, closure=Closure.RESOLVED, consent=True, days=3)
    case(site_a, SEP + datetime.timedelta(days=1))
    build_summaries()
    client.force_login(coordinator)
    page = client.get(NATIONAL).content.decode()
    trend = charts(page)
    # Its count of cases per month is not a breakdown: exact.
    assert trend["cases"]["values"] == [2]
    # 1 of 1 resolved, 1 of 2 raised by the child, 1 of 2 with consent, 3 days over one case:
    # none is drawn, nor a limit that would tell its denominator.
    for key in ("days", "resolved", "self", "consent"):
        chart = trend[key]
        assert chart["values"] == [None] and chart["left_out"] == 1, key
        assert chart["lower"] == [None] and chart["upper"] == [None], key
        assert [row["value"] for row in chart["rows"]] == [None], key
    words = " ".join(page.split())
    assert "1 punkt ritas inte: den skulle visa ett litet tal." in words


def test_a_national_sum_that_would_give_a_small_site_away_is_not_drawn(
    small_site, coordinator, client
):
    """In September the sums are large (6 of 12 raised by the child), but site B's own 5 of 10
    is drawn on its chart, so 6 of 12 would tell that site A's is 1 of 2. October is site B's
    alone and is drawn."""
    client.force_login(coordinator)
    trend = charts(client.get(NATIONAL).content.decode())
    assert trend["cases"]["values"] == [12, 10]
    for key in ("days", "resolved", "self", "consent"):
        assert trend[key]["values"][0] is None, key
        assert trend[key]["left_out"] == 1, key
    assert trend["self"]["values"][1] == 50
    assert trend["resolved"]["values"][1] == 50
    assert trend["days"]["values"][1] == 3


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_trends_download_as_a_spreadsheet_with_small_numbers_hidden(
    small_site, coordinator, client, export_format
):
    client.force_login(coordinator)
    response = client.get(EXPORT, {"table": "trends", "format": export_format})
    assert response.status_code == 200
    if export_format == "csv":
        content = response.getvalue().decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
        rows = [[c.value for c in r] for r in sheet.iter_rows()]
    header, september, october = rows
    assert header[:4] == ["Månad", "Områden med ärenden", "Nya ärenden", "Dagar till första insats"]
    assert header[-2:] == ["Diagrammen läses med", "Dolda tal"]
    consent = header.index("Samtycke till att dela (%)")
    if export_format == "csv":
        assert september[:3] == ["2018-09-01", "2", "12"]
        assert (september[consent], october[consent]) == ("", "50")
        assert october[1:4] == ["1", "10", "3"]
    else:
        assert september[:3] == [datetime.datetime(2018, 9, 1), 2, 12]
        assert (september[consent], october[consent]) == (None, 50)
    assert september[-2] == "Anhøjs regler"
    assert "Samtycke till att dela (%): dolt" in september[-1]
    assert not october[-1]


# --- Sorting ------------------------------------------------------------------------------------


def _order(page, names):
    table = page.split('id="sites-heading"')[1]
    return sorted(names, key=table.index)


@pytest.fixture
def sortable(site_a, site_b, settings):
    """Three sites whose measures each order them differently:

    site   cases  median days  raised by child  resolved  consent
    A      3      1            1 of 3 (33 %)    2 of 2    3 of 3
    B      1      9            1 of 1 (100 %)   0 of 1    0 of 1
    C      2      5            0 of 2 (0 %)     1 of 2    1 of 2
    """
    settings.TRIAD_SMALL_NUMBER_THRESHOLD = 1
    c = site_c()
    R, F = Closure.RESOLVED, Closure.REFERRED
    case(site_a, SEP, child=True, closure=R, consent=True, days=1)
    case(site_a, SEP, closure=R, consent=True, days=1)
    case(site_a, SEP, consent=True)
    case(site_b, SEP, child=True, closure=F, days=9)
    case(c, SEP, closure=R, consent=True, days=5)
    case(c, SEP, closure=F, days=5)
    build_summaries()
    return site_a, site_b, c


@pytest.mark.parametrize(
    ("key", "ascending"),
    [
        ("site", "ABC"),
        ("cases", "BCA"),
        ("median", "ACB"),
        ("self", "CAB"),
        ("resolved", "BCA"),
        ("consent", "BCA"),
    ],
)
def test_the_site_table_sorts_by_each_measure_both_ways(
    sortable, coordinator, client, key, ascending
):
    names = [f"Område {letter}" for letter in "ABC"]
    client.force_login(coordinator)
    up = _order(client.get(NATIONAL, {"o": key}).content.decode(), names)
    down = _order(client.get(NATIONAL, {"o": f"-{key}"}).content.decode(), names)
    assert up == [f"Område {letter}" for letter in ascending]
    assert down == up[::-1]


def test_each_heading_links_to_its_order_and_back(sortable, coordinator, client):
    client.force_login(coordinator)
    page = client.get(NATIONAL, {"o": "-consent"}).content.decode()
    heading = re.search(r'<th scope="col" aria-sort="descending"[^>]*><a href="([^"]+)"', page)
    assert heading and "o=consent" in heading.group(1)
    assert "o=-resolved" in page and "o=-self" in page and "o=-median" in page


@pytest.mark.parametrize("unknown", ["bogus", "-", "--cases", "payload", "site__name"])
def test_an_unknown_order_is_ignored(sortable, coordinator, client, unknown):
    client.force_login(coordinator)
    response = client.get(NATIONAL, {"o": unknown})
    assert response.status_code == 200
    default = client.get(NATIONAL).content.decode()
    names = [f"Område {letter}" for letter in "ABC"]
    assert _order(response.content.decode(), names) == _order(default, names)


def test_a_hidden_figure_sorts_last_by_name_whichever_way(small_site, coordinator, client):
    """Site A's share raised by the child (1 of 2) is hidden; were it sorted by its value, its
    place between the others would tell it."""
    other = site_c()
    for i in range(12):
        case(other, SEP + datetime.timedelta(days=i), child=i < 7)  # 7 of 12, 58 %
    build_summaries()
    names = ["Område A", "Område B", "Område C"]
    client.force_login(coordinator)
    up = _order(client.get(NATIONAL, {"o": "self"}).content.decode(), names)
    down = _order(client.get(NATIONAL, {"o": "-self"}).content.decode(), names)
    assert up == ["Område B", "Område C", "Område A"]
    assert down == ["Område C", "Område B", "Område A"]


# --- Queries ------------------------------------------------------------------------------------


def _queries(client, url, params):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)  # a streamed body queries as it is read
    return len(queries)


def test_the_trends_run_as_many_queries_with_ten_times_the_sites_and_cases(
    small_site, coordinator, client
):
    client.force_login(coordinator)
    pages = [(NATIONAL, {}), (EXPORT, {"table": "trends", "format": "csv"})]
    few = [_queries(client, url, params) for url, params in pages]
    for n in range(10):
        site = PilotSiteFactory(name=f"Område {n:02d}", slug=f"site-{n:02d}")
        SchoolFactory(site=site)
        for i in range(n + 1):
            case(site, NOV + datetime.timedelta(days=i), child=i % 2 == 0, closure=Closure.RESOLVED)
    build_summaries()
    assert [_queries(client, url, params) for url, params in pages] == few
    assert charts(client.get(NATIONAL).content.decode())["cases"]["values"] == [12, 10, 55]
