"""Journey: an organisation signs in with its own accounts. A coordinator connects the
organisation's identity provider — OpenID Connect (panva's oidc-provider) in one journey, SAML
2.0 (Debian's SimpleSAMLphp, by its metadata address) in the other, both running on loopback —
an invited person follows the invitation through that provider and lands at their site, and
next time signs in from the login page by typing their address. The provider's own pages are
photographed, not checked: they are not Triad's."""

import pytest
from playwright.sync_api import expect

from accounts import services
from pilots.models import Role, User
from tests.idp import servers
from tests.pilots.factories import PASSWORD, OrganisationFactory

from .browser import choose, path_in, sign_in, sv

pytestmark = pytest.mark.e2e

OIDC_SLUG = "e2e-oidc"
SAML_SLUG = "e2e-saml"


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    missing = servers.oidc_missing()
    if missing:
        pytest.fail(f"The OpenID Connect provider cannot start: {missing} (make idp).")
    server = servers.start_oidc(
        tmp_path_factory.mktemp("e2e-oidc"),
        [f"{live_server.url}/accounts/oidc/{OIDC_SLUG}/login/callback/"],
    )
    yield server
    server.stop()


@pytest.fixture(scope="session")
def saml_provider(live_server, tmp_path_factory):
    missing = servers.saml_missing()
    if missing:
        pytest.fail(f"The SAML identity provider cannot start: {missing} (make idp).")
    server = servers.start_saml(tmp_path_factory.mktemp("e2e-saml"))
    servers.add_saml_sp(server, live_server.url, SAML_SLUG)
    yield server
    server.stop()


def connect_provider(browser, coordinator, organisation, fill_protocol):
    page = sign_in(browser, coordinator.email, PASSWORD)
    browser.go("/identity-providers/")
    browser.check("identity providers, none yet")
    page.get_by_role("link", name=sv("Connect an identity provider")).click()
    choose(page.locator("#id_organisation"), organisation.name)
    page.locator("#id_name").fill("Skolkommunen")
    page.locator("#id_email_domains").fill("skola.example")
    fill_protocol(page)
    browser.check("connecting the provider")
    page.get_by_role("button", name=sv("Save")).click()
    page.wait_for_url("**/identity-providers/")
    expect(page.locator("main")).to_contain_text("skola.example")
    browser.check("provider connected")


def invited_person_signs_in_through_provider(browser_for, site, coordinator, mailoutbox, login):
    email = servers.PEOPLE[login][0]
    services.invite(email=email, invited_by=coordinator, site=site, role=Role.WORKING)
    mail = next(m for m in mailoutbox if email in m.to)
    person = browser_for(login)
    page = person.go(path_in(mail, r"/invitation/\S+/"))
    person.check("invitation offers the organisation's account")
    page.locator("#federated-invitation").click()
    page.wait_for_selector("input[name=password]")
    page.screenshot(path=person.folder / f"{login}-provider-sign-in.png", full_page=True)
    for name in ("login", "username"):  # oidc-provider's form, SimpleSAMLphp's
        if page.locator(f"input[name={name}]").count():
            page.locator(f"input[name={name}]").fill(login)
    page.locator("input[name=password]").fill("x")
    page.locator("button[type=submit], input[type=submit]").first.click()
    page.wait_for_url(f"**/sites/{site.slug}/**")
    person.check("at the site after signing in through the provider")
    user = User.objects.get(email=email)
    assert user.socialaccount_set.count() == 1
    assert not user.has_usable_password()

    # Next time: from the login page, by the address alone.
    page.context.clear_cookies()
    page = person.go("/accounts/login/")
    page.locator("#federated-login-link").click()
    person.check("sign in with the organisation's account")
    page.get_by_label(sv("Your work e-mail address")).fill(email)
    page.get_by_role("button", name=sv("Continue")).click()
    page.wait_for_selector("input[name=password]")
    page.screenshot(path=person.folder / f"{login}-provider-sign-in-again.png", full_page=True)
    for name in ("login", "username"):
        if page.locator(f"input[name={name}]").count():
            page.locator(f"input[name={name}]").fill(login)
    page.locator("input[name=password]").fill("x")
    page.locator("button[type=submit], input[type=submit]").first.click()
    expect(page).to_have_url(f"{person.base_url}/")  # the start page
    person.check("signed in again through the provider")
    return page


def test_journey_federated_sign_in_through_openid_connect(
    browser_for, coordinator, site_a, mailoutbox, oidc_provider
):
    organisation = OrganisationFactory(name="Skolkommunen OIDC")

    def oidc(page):
        choose(page.locator("#id_protocol"), "OpenID Connect")
        page.locator("#id_slug").fill(OIDC_SLUG)
        page.locator("#id_issuer").fill(oidc_provider.base)
        page.locator("#id_client_id").fill(servers.OIDC_CLIENT_ID)
        page.locator("#id_secret").fill(servers.OIDC_SECRET)

    connect_provider(browser_for("coordinator"), coordinator, organisation, oidc)
    invited_person_signs_in_through_provider(browser_for, site_a, coordinator, mailoutbox, "anna")


def test_journey_federated_sign_in_through_saml(
    browser_for, coordinator, site_a, mailoutbox, saml_provider
):
    organisation = OrganisationFactory(name="Skolkommunen SAML")

    def saml(page):
        choose(page.locator("#id_protocol"), "SAML 2.0")
        page.locator("#id_slug").fill(SAML_SLUG)
        page.locator("#id_metadata_url").fill(saml_provider.extra["metadata"])

    connect_provider(browser_for("coordinator"), coordinator, organisation, saml)
    invited_person_signs_in_through_provider(browser_for, site_a, coordinator, mailoutbox, "bertil")
