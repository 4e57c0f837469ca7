"""Issue 13, finding 6, on the dashboards: the site of the five-case test, as each person reads
its dashboard, its charts' data, the national table and its CSV and XLSX, the steering group's
PDF and the weekly digest. Cases per week stay exact for everyone."""

import csv
import datetime
import io
import json
import re

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import StartingPoint
from dashboards import digests
from dashboards.services import build_summaries
from dashboards.tables import NationalExportTable
from tests.cases.five_cases import five_case_test, text

from .pdf_text import pdf_text, weasyprint_text

pytestmark = pytest.mark.django_db

NOTE = "”1–4” betyder mellan ett och 4 ärenden"


@pytest.fixture
def world(site_a, site_b):
    five_case_test(site_a)
    build_summaries()
    return site_a


def site_url(name, site):
    return reverse(f"dashboards:{name}", kwargs={"site_slug": site.slug})


def charts(page):
    data = re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', page)
    return json.loads(data.group(1))


def tile(page, label):
    """The figure of a tile at the top of the site's dashboard."""
    match = re.search(rf"{re.escape(label)}</div><div class=\"fs-3\">([^<]*)</div>", page)
    return match.group(1)


def early(chart, dataset):
    labels = chart["starting_points"]["labels"]
    with translation.override("sv"):
        from dashboards.presenters import SHORT_STARTING_POINTS

        i = labels.index(str(SHORT_STARTING_POINTS[StartingPoint.EARLY]))
    return chart["starting_points"]["datasets"][dataset]["data"][i]


@pytest.mark.parametrize("who", ["lead_a", "member_a"])
def test_those_who_work_with_the_cases_read_the_dashboard_exact(request, world, client_for, who):
    page = client_for(request.getfixturevalue(who)).get(site_url("site", world)).content.decode()
    assert tile(page, "Påbörjade SIP") == "1"
    assert tile(page, "Öppna") == "2"
    assert "Barn- och ungdomspsykiatrin (BUP) 1 " in text(page) + " "
    chart = charts(page)
    assert (early(chart, 0), early(chart, 1), early(chart, 2)) == (2, 2, 1)
    assert chart["history"]["datasets"][1]["data"] == [2]
    assert NOTE not in text(page)


def test_steering_members_read_small_numbers_as_one_to_four_in_tables_and_chart_data(
    world, client_for, steering_a
):
    page = client_for(steering_a).get(site_url("site", world)).content.decode()
    assert tile(page, "Påbörjade SIP") == "1–4"
    assert tile(page, "Öppna") == "1–4"
    assert tile(page, "Egna kontakter") == "dolt"
    assert tile(page, "Mediandagar till första insats") == "dolt"
    words = text(page)
    assert "Barn- och ungdomspsykiatrin (BUP) 1–4" in words
    assert NOTE in words
    # The numbers the charts are drawn from carry none of the small ones.
    chart = charts(page)
    assert (early(chart, 0), early(chart, 1), early(chart, 2)) == (None, None, None)
    assert chart["history"]["datasets"][1]["data"] == [None]
    for dataset in chart["starting_points"]["datasets"]:
        assert not set(dataset["data"]) & {1, 2, 3, 4}
    # Cases per week and the site's count of cases are not breakdowns: exact.
    assert chart["measures"][0]["values"] == [1, 1, 1, 1, 1]
    # A share within one week of one case would show a small number: no such point is drawn.
    for measure in chart["measures"][1:]:
        assert set(measure["values"]) == {None}
        assert measure["left_out"] >= 1
    assert chart["history"]["datasets"][0]["data"] == [5]
    assert tile(page, "Ärenden") == "5"


def test_the_national_table_hides_small_numbers_and_keeps_cases_per_week(
    world, client_for, coordinator
):
    page = client_for(coordinator).get(reverse("dashboards:national")).content.decode()
    row = re.search(r"<tr>\s*<td><a href=\"/sites/site-a/dashboard/\">.*?</tr>", page, re.S)
    cells = re.findall(r'<td class="text-end">([^<]*)</td>', row.group(0))
    cases, open_, median, self_share, resolved_share = cells[:5]
    assert (cases, open_, median, self_share, resolved_share) == (
        "5",
        "1–4",
        "dolt",
        "dolt",
        "dolt",
    )
    # The national count of open cases is site A's alone: it would give it away.
    assert "dolt öppna" in text(page)
    assert charts(page)["sparks"][str(world.summaries.get().pk)] == [1, 1, 1, 1, 1]
    assert NOTE in text(page)


def _columns():
    with translation.override("sv"):
        return {
            key: str(NationalExportTable.base_columns[key].verbose_name)
            for key in ("cases_total", "cases_open", "cases_closed", "sip", "self_referral_share")
        }


def test_the_national_csv_and_xlsx_hide_small_numbers(world, client_for, coordinator):
    """A hidden figure leaves its cell empty (a numeric column holds only numbers) and the
    row's note column says what the page shows instead."""
    client = client_for(coordinator)
    url = reverse("dashboards:national_export")
    names = _columns()
    expected = {"cases_total": "5", "cases_open": "", "cases_closed": "", "sip": ""}
    expected["self_referral_share"] = ""
    hidden = {"Öppna: 1–4", "Avslutade: 1–4", "Påbörjade SIP: 1–4", "Egna kontakter (%): dolt"}

    content = client.get(url, {"format": "csv"}).getvalue().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content), delimiter=";"))
    row = next(r for r in rows if r[str(_site_heading())] == world.name)
    assert {key: row[name] for key, name in names.items()} == expected
    assert hidden <= set(row["Dolda tal"].split("; "))

    book = openpyxl.load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).getvalue()))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    row = next([c.value for c in r] for r in sheet.iter_rows(min_row=2) if r[0].value == world.name)
    got = {key: row[header.index(name)] for key, name in names.items()}
    assert got == {**dict.fromkeys(expected), "cases_total": 5}
    assert hidden <= set(row[header.index("Dolda tal")].split("; "))


def _site_heading():
    with translation.override("sv"):
        return NationalExportTable.base_columns["site"].verbose_name


@pytest.mark.parametrize("who", ["lead_a", "steering_a"])
def test_the_steering_groups_pdf_hides_small_numbers_whoever_downloads_it(
    request, world, client_for, who
):
    response = client_for(request.getfixturevalue(who)).get(site_url("site_pdf", world))
    words = pdf_text(response.content)
    # The row of all cases: 5 cases, 1–4 open, shares and median hidden, 1–4 SIPs, no consent.
    row = "Alla ärenden 5 1–4 dolt dolt dolt dolt 1–4 0 "
    assert row in words, words
    assert row in weasyprint_text(response.content)  # read without poppler too
    assert NOTE in words
    assert "Självskada" not in words
    # Cases per week stay exact: five weeks of one.
    # (The table may run over a page break, its heading repeated: each week is checked alone.)
    weeks = ["2018-09-10 1", "2018-09-17 1", "2018-09-24 1", "2018-10-01 1", "2018-10-08 1"]
    assert (
        all(week in words for week in weeks)
        and "Nya ärenden (Seriediagram, läst med Anhøjs regler.)" in words
    )


def test_the_digest_hides_small_numbers_from_steering_members_only(
    world, lead_a, steering_a, django_capture_on_commit_callbacks
):
    monday = datetime.date(2026, 11, 30)
    moment = timezone.make_aware(datetime.datetime.combine(monday, datetime.time(8)))
    with django_capture_on_commit_callbacks(execute=True):
        digests.dispatch(moment)
    body = {m.to[0]: m.body for m in mail.outbox}
    assert "Påbörjade SIP: 1\n" in body[lead_a.email]
    assert "Påbörjade SIP: 1–4\n" in body[steering_a.email]
    assert "Ärenden: 5 (1–4 öppna)" in body[steering_a.email]
