"""Journey 4: a coordinator reviews the national dashboard, opens a site, and downloads the
exports (CSV and Excel of every site, the site's PDF for its steering group)."""

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from tests.cases.factories import CaseFactory, PracticalTestFactory
from tests.pilots.factories import PASSWORD

from .browser import sign_in, sv


def _dashboards_resolve():
    try:
        reverse("dashboards:national")
    except NoReverseMatch:
        return False
    return True


pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not _dashboards_resolve(),
        reason="the national dashboard (dashboards:national) has not landed on this branch",
    ),
]


def test_journey_4_a_coordinator_reviews_the_national_dashboard(
    browser_for, coordinator, site_a, site_b
):
    test = PracticalTestFactory(site=site_a)
    for _ in range(3):
        CaseFactory(site=site_a, practical_test=test)
    CaseFactory(site=site_b)
    # What the nightly task does: a summary of every site.
    call_command("build_summaries")

    coord = browser_for("coordinator")
    page = sign_in(coord, coordinator.email, PASSWORD)
    page.locator("#main-nav").get_by_role("link", name=sv("Dashboard"), exact=True).click()
    page.wait_for_url("**/dashboards/")
    coord.check("national dashboard")
    table = page.locator("main table").last
    expect(table).to_contain_text(site_a.name)
    expect(table).to_contain_text(site_b.name)

    # The exports of every site, as the coordinator downloads them.
    with page.expect_download() as download:
        page.get_by_role("link", name=sv("Download CSV")).click()
    saved = coord.folder / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".csv"
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert {site_a.name, site_b.name} <= {cell for row in rows for cell in row}

    with page.expect_download() as download:
        page.get_by_role("link", name=sv("Download Excel")).click()
    saved = coord.folder / download.value.suggested_filename
    download.value.save_as(saved)
    sheet = openpyxl.load_workbook(saved).active
    names = {cell for row in sheet.iter_rows(values_only=True) for cell in row}
    assert {site_a.name, site_b.name} <= names

    # One site, opened from the table, and its PDF for the steering group.
    table.get_by_role("link", name=site_a.name).click()
    page.wait_for_url(f"**/sites/{site_a.slug}/dashboard/")
    # The browser asks for reduced motion (tests/e2e/conftest.py): the charts do not animate.
    assert page.evaluate("Chart.defaults.animation") is False
    coord.check("site dashboard")
    with page.expect_download() as download:
        page.get_by_role("link", name=sv("PDF for the steering group")).click()
    saved = coord.folder / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
