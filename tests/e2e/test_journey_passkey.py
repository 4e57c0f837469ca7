"""Journey 6: a working-group member who must have a second factor before case pages chooses a
passkey. The case list sends her to set one up; she confirms her password and a code sent to
her e-mail, adds a passkey with the browser's own dialogue (Chromium's virtual authenticator
stands in for the phone's fingerprint reader), signs out, and signs in again with her password
and the passkey — all under the real Content-Security-Policy, which must refuse nothing."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.pilots.factories import PASSWORD

from .browser import sign_in, sv

pytestmark = pytest.mark.e2e


def virtual_authenticator(browser):
    """A platform authenticator with a fingerprint reader that always says yes."""
    session = browser.context.new_cdp_session(browser.page)
    session.send("WebAuthn.enable")
    session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return session


def test_journey_6_a_member_sets_up_a_passkey_and_signs_in_with_it(
    browser_for, member_a, site_a, settings, mailoutbox
):
    settings.TRIAD_REQUIRE_MFA_FOR_CASES = True
    mia = browser_for("member")
    refused = []
    mia.page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    virtual_authenticator(mia)
    page = sign_in(mia, member_a.email, PASSWORD)

    # --- The case list sends her to set up a second factor first ---------------------------------
    mia.go(f"/sites/{site_a.slug}/cases/")
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    mia.check("password again")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form [type=submit]").click()

    # --- A code to her e-mail proves the address --------------------------------------------------
    page.wait_for_url(re.compile(r"/accounts/2fa/confirm-email/"))
    mia.check("confirm the e-mail address")
    page.get_by_role("button", name=sv("Send the code")).click()
    code = re.search(r"^\s*([A-Z]{4}-[A-Z]{4})\s*$", mailoutbox[-1].body, re.MULTILINE).group(1)
    mia.check("enter the e-mailed code")
    page.get_by_label(sv("Code from the e-mail")).fill(code)
    page.get_by_role("button", name=sv("Confirm the code")).click()

    # --- The app or a passkey: she takes the passkey -----------------------------------------------
    page.wait_for_url("**/2fa/totp/activate/")
    page.get_by_role("link", name="Lägg till en nyckel i stället").click()
    page.wait_for_url("**/2fa/webauthn/add/")
    mia.check("add a passkey")
    page.get_by_label(sv("Name the key")).fill("Jobbtelefonen")
    page.get_by_role("button", name=sv("Create the passkey")).click()
    page.wait_for_url("**/2fa/recovery-codes/")
    mia.check("recovery codes after the first passkey")
    mia.go("/accounts/2fa/webauthn/")
    expect(page.locator("main")).to_contain_text("Jobbtelefonen")
    mia.check("her passkeys")
    assert any("nyckel" in m.subject.lower() for m in mailoutbox), "no e-mail about the new key"

    # --- Signing in again: the password, then the passkey ---------------------------------------
    page.locator("#main-nav").get_by_role("button", name=re.compile("Mia")).click()
    page.get_by_role("button", name=sv("Sign out")).click()
    page.wait_for_url("**/accounts/login/")
    page = sign_in(mia, member_a.email, PASSWORD)
    page.wait_for_url("**/2fa/authenticate/")
    mia.check("second step with a passkey")
    page.get_by_role("button", name=sv("Use my passkey")).click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/")  # signed in: the start page
    mia.go(f"/sites/{site_a.slug}/cases/")
    expect(page.locator("h1")).to_be_visible()
    assert "/cases/" in page.url
    assert not refused, refused
