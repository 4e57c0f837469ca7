"""Journey 6: with the second factor required (TRIAD_REQUIRE_MFA_FOR_CASES, on in production), a
working-group member who signs in with a password alone follows the site's practical tests
and sees them counted, but every page that shows a case row — the test's case table, the case
list, a case, its timeline, withdrawing a consent — sends them to set up the authenticator
first, and no case code reaches the browser or the access record. Once the authenticator is
on, the same pages open and each read is recorded."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import CaseAccess
from tests.cases.factories import (
    CaseConsentFactory,
    CaseEventFactory,
    CaseFactory,
    PracticalTestFactory,
)
from tests.pilots.factories import PASSWORD

from .browser import sign_in, site_menu, sv

pytestmark = pytest.mark.e2e
# Where the gate sends them: setting up the authenticator, behind allauth's password check.
TO_SET_UP = re.compile(r"/(2fa/totp/activate|accounts/reauthenticate)/")


def test_journey_7_a_member_without_a_second_factor_sees_no_case_row(
    browser_for, site_a, member_a, settings, mailoutbox
):
    settings.TRIAD_REQUIRE_MFA_FOR_CASES = True
    test = PracticalTestFactory(site=site_a, title="Gemensam drop-in på Skola A")
    case = CaseFactory(site=site_a, practical_test=test)
    CaseEventFactory(case=case, note="Samtal om oro inför prov")
    consent = CaseConsentFactory(case=case)
    base = f"/sites/{site_a.slug}"
    case_pages = [
        f"{base}/tests/{test.pk}/",
        f"{base}/cases/",
        f"{base}/cases/{case.pk}/",
        f"{base}/cases/{case.pk}/timeline/",
        f"{base}/cases/{case.pk}/consents/{consent.pk}/withdraw/",
    ]

    member = browser_for("member")
    page = sign_in(member, member_a.email, PASSWORD)
    page.get_by_role("link", name=site_a.name).first.click()
    site_menu(page, sv("Practical tests"), exact=False)
    expect(page.locator("main")).to_contain_text(test.title)
    member.check("tests counted")

    # The test's page has a table of its cases: the authenticator comes first.
    page.get_by_role("link", name=test.title).click()
    page.wait_for_url(TO_SET_UP)
    expect(page.locator("main")).to_contain_text(
        sv("Set up two-factor authentication before you open cases.")
    )
    member.check("sent to set up the authenticator")
    assert case.code not in page.content()
    for path in case_pages:
        page = member.go(path)
        page.wait_for_url(TO_SET_UP)
        assert case.code not in page.content(), path
        assert "Samtal om oro" not in page.content(), path
    assert not CaseAccess.objects.exists()

    # With the authenticator on, the same pages show the case, and each read is recorded.
    if "/reauthenticate/" in page.url:
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form [type=submit]").click()
    # Adding a second factor while one is required takes a code sent to her e-mail as well.
    page.get_by_role("button", name=sv("Send the code")).click()
    code = re.search(r"^\s*([A-Z]{4}-[A-Z]{4})\s*$", mailoutbox[-1].body, re.MULTILINE).group(1)
    page.get_by_label(sv("Code from the e-mail")).fill(code)
    page.get_by_role("button", name=sv("Confirm the code")).click()
    page.wait_for_url("**/totp/activate/")
    member.check("set up the authenticator")
    import pyotp

    secret = page.locator("#authenticator_secret").inner_text().strip()
    page.locator("input[name=code]").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name=sv("Turn on two-factor authentication")).click()
    page.wait_for_url("**/2fa/recovery-codes/")
    page = member.go(case_pages[0])
    expect(page.get_by_role("link", name=case.code)).to_be_visible()
    member.check("the test's cases")
    page.get_by_role("link", name=case.code).click()
    expect(page.locator("main")).to_contain_text("Samtal om oro inför prov")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(case.code))
    member.check("the case")
    assert CaseAccess.objects.filter(user=member_a, case=case).count() == 2
