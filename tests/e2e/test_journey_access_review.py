"""Journey: the monthly access-log follow-up and a person's own data. A project lead opens the
sample drawn for last month from the site's menu, judges a colleague's weekend read of a case
(justified, with a note), sees it counted as reviewed; then downloads what Triad holds about
them as a PDF and as JSON, both read back here. Screenshots at 1366 and 375 px."""

import datetime
import json
import zoneinfo
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cases import access_review
from cases.models import AccessAction, AccessReviewItem, CaseAccess, Verdict
from tests.cases.factories import CaseFactory
from tests.dashboards.pdf_text import pdf_text
from tests.pilots.factories import PASSWORD

from .browser import sign_in, site_menu, sv

pytestmark = pytest.mark.e2e
WIDTHS = (1366, 375)


def shoot(browser, step):
    """The page at the two widths people use most (a laptop, a phone)."""
    page = browser.page
    size = page.viewport_size
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": size["height"]})
        page.screenshot(path=browser.folder / f"{browser.who}-{step}-{width}px.png", full_page=True)
    page.set_viewport_size(size)


def test_journey_access_review_and_own_data(browser_for, site_a, lead_a, member_a):
    case = CaseFactory(site=site_a)
    saturday = datetime.datetime(2026, 10, 17, 22, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Stockholm"))
    CaseAccess.objects.create(
        site=site_a,
        case=case,
        case_code=case.code,
        user=member_a,
        user_email=member_a.email,
        user_name=member_a.full_name,
        action=AccessAction.VIEWED,
        at=saturday,
    )
    review = access_review.draw(site_a, datetime.date(2026, 10, 1))

    lead = browser_for("lead")
    page = sign_in(lead, lead_a.email, PASSWORD)
    page.get_by_role("link", name=site_a.name).first.click()
    site_menu(page, sv("Access log follow-up"))
    expect(page.locator("main")).to_contain_text("0 / 1")
    shoot(lead, "reviews")

    page.get_by_role("link", name=sv("Open the review")).click()
    item = page.locator(".review-item")
    expect(item).to_contain_text(case.code)
    expect(item).to_contain_text(sv("At night or at the weekend"))
    lead.check("the reads drawn")
    shoot(lead, "reads")

    item.get_by_label(sv("Justified"), exact=True).check()
    item.get_by_label(sv("note").capitalize()).fill("Jour under helgen, avtalat med rektor.")
    item.get_by_role("button", name=sv("Save the judgement")).click()
    expect(page.locator("#review-progress")).to_contain_text("1")
    expect(page.locator(".review-item")).to_contain_text(sv("Justified"))
    lead.check("the read judged")
    shoot(lead, "judged")
    judged = AccessReviewItem.objects.get(review=review)
    assert (judged.verdict, judged.reviewed_by) == (Verdict.JUSTIFIED, lead_a)

    # What Triad holds about the lead, from the footer's page to the files.
    page.locator("footer").get_by_role("link", name=sv("What Triad processes")).click()
    expect(page.locator("#retention")).to_be_visible()
    page.get_by_role("link", name=sv("Download the data Triad holds about you")).click()
    shoot(lead, "own-data")
    with page.expect_download() as pdf_download:
        page.locator("#own-data-pdf").click()
    text = pdf_text(Path(pdf_download.value.path()).read_bytes())
    assert lead_a.full_name in text and lead_a.email in text
    with page.expect_download() as json_download:
        page.locator("#own-data-json").click()
    data = json.loads(Path(json_download.value.path()).read_text(encoding="utf-8"))
    sections = {s["key"]: s for s in data["sections"]}
    assert sections["cases.AccessReviewItem.reviewed_by"]["rows"][0]["Bedömning"] == sv("Justified")
