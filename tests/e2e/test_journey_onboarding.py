"""Journey 1: a municipality comes in. The applicant registers interest, a coordinator accepts
it, and the new project lead follows the invitation, sets a password and two-factor
authentication, and sets up the site: the triad, the schools, the steering and working groups."""

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from pilots.models import Membership, PilotSite, Role
from tests.pilots.factories import PASSWORD

from .browser import choose, path_in, sign_in, site_menu, sv

pytestmark = pytest.mark.e2e

LEAD_EMAIL = "anna.lind@vaxjo.example.se"
LEAD_PASSWORD = "Sommarängen-2018-triad"


def test_journey_1_a_municipality_comes_in_and_sets_up_its_site(
    browser_for, coordinator, live_server, mailoutbox
):
    # --- The applicant registers interest on the public form --------------------------------
    applicant = browser_for("applicant")
    page = applicant.go("/accounts/login/")
    applicant.check("login page")
    page.get_by_role("link", name=sv("Register interest")).click()
    applicant.check("registration form")
    page.locator("#id_municipality_name").fill("Växjö")
    page.locator("#id_region_name").fill("Region Kronoberg")
    page.get_by_label(sv("Named schools")).check()
    page.locator("#id_schools").fill("Sommarängens skola")
    page.locator("#id_contact_name").fill("Anna Lind")
    page.locator("#id_contact_title").fill("Verksamhetschef elevhälsa")
    page.locator("#id_contact_organisation").fill("Utbildningsförvaltningen")
    page.locator("#id_contact_email").fill(LEAD_EMAIL)
    page.locator("#id_contact_phone").fill("0470-41 000")
    page.locator("#id_local_needs").fill(
        "Många elever väntar länge på stöd. Vi vill pröva ett gemensamt första steg på skolan."
    )
    page.locator("#id_consent_to_store").check()
    page.locator("#registration-form [type=submit]").click()
    page.wait_for_url("**/intresseanmalan/skickad/")
    applicant.check("registration sent")
    confirmation = next(m for m in mailoutbox if LEAD_EMAIL in m.to)
    follow_path = path_in(confirmation, r"/intresseanmalan/[^/\s]+/")
    applicant.go(follow_path)
    applicant.check("following the registration")

    # --- A coordinator accepts it ------------------------------------------------------------
    coord = browser_for("coordinator")
    page = sign_in(coord, coordinator.email, PASSWORD)
    coord.check("coordinator home")
    coord.go("/registrations/")
    coord.check("registration queue")
    page.get_by_role("link", name="Växjö").click()
    coord.check("registration detail")
    page.get_by_role("link", name=sv("Accept and create the site…")).click()
    coord.check("accept registration")
    page.locator("main form [type=submit]").click()
    site = PilotSite.objects.get(municipality__name="Växjö")
    page.wait_for_url(f"**/sites/{site.slug}/")
    coord.check("new site")
    invitation_mail = next(m for m in mailoutbox if LEAD_EMAIL in m.to and "/invitation/" in m.body)
    # The applicant's own page now says the municipality is in.
    page = applicant.go(follow_path)
    expect(page.locator("main")).to_contain_text(sv("Accepted as a pilot site"))
    applicant.check("registration accepted")

    # --- The new project lead follows the invitation and sets a password --------------------
    lead = browser_for("lead")
    page = lead.go(path_in(invitation_mail, r"/invitation/\S+/"))
    lead.check("invitation")
    page.locator("#id_full_name").fill("Anna Lind")
    page.locator("#id_password1").fill(LEAD_PASSWORD)
    page.locator("#id_password2").fill(LEAD_PASSWORD)
    page.get_by_role("button", name=sv("Create my account and accept")).click()
    page.wait_for_url(f"**/sites/{site.slug}/")
    lead.check("site home first visit")

    # --- ... and two-factor authentication, with a code computed from the key shown ---------
    page.get_by_role("button", name=re.compile("Anna")).click()
    page.get_by_role("link", name=sv("Two-factor authentication")).click()
    lead.check("mfa overview")
    page.get_by_role("link", name=sv("Set up the authenticator app")).click()
    if "/reauthenticate/" in page.url:
        lead.check("reauthenticate")
        page.locator("#id_password").fill(LEAD_PASSWORD)
        page.locator("main form [type=submit]").click()
    page.wait_for_url("**/totp/activate/")
    lead.check("totp setup")
    secret = page.locator("#authenticator_secret").inner_text().strip()
    totp = pyotp.TOTP(secret)
    page.locator("input[name=code]").fill(totp.now())
    page.get_by_role("button", name=sv("Turn on two-factor authentication")).click()
    # allauth shows the recovery codes straight after: the way back in without the phone.
    page.wait_for_url("**/2fa/recovery-codes/")
    lead.check("recovery codes")

    # Signing in again takes the code. The code just used may not be used twice; the next
    # time step's code is within the accepted tolerance.
    page.locator("#main-nav").get_by_role("button", name=re.compile("Anna")).click()
    page.get_by_role("button", name=sv("Sign out")).click()
    page.wait_for_url("**/accounts/login/")
    sign_in(lead, LEAD_EMAIL, LEAD_PASSWORD, totp=lambda: totp.at(time.time() + 30))
    page.wait_for_url("**/")
    expect(page.locator("#main-nav")).to_contain_text("Anna")

    # --- The lead sets up the site ---------------------------------------------------------
    lead.go(site.get_absolute_url())
    # Units for the triad: the municipality's student health and social services, the
    # region's child and youth clinic.
    for name, actor, parent in [
        ("Elevhälsan Växjö", sv("School and student health"), "Växjö"),
        ("Individ- och familjeomsorgen", sv("Social services"), "Växjö"),
        ("Barn- och ungdomshälsan", sv("Healthcare"), "Region Kronoberg"),
    ]:
        lead.go(f"/sites/{site.slug}/organisations/new/")
        page.locator("#id_name").fill(name)
        page.locator("#id_actor").select_option(label=actor)
        choose(page.locator("#id_parent"), parent)
        if actor == sv("School and student health"):
            lead.check("new unit")
        page.locator("main form [type=submit]").click()
        page.wait_for_url(f"**/sites/{site.slug}/organisations/")
    lead.check("organisations")

    lead.go(site.get_absolute_url())
    page.get_by_role("link", name=sv("Edit the site")).first.click()
    lead.check("edit site")
    choose(page.locator("#id_school_actor"), "Elevhälsan Växjö")
    choose(page.locator("#id_social_actor"), "Individ- och familjeomsorgen")
    choose(page.locator("#id_health_actor"), "Barn- och ungdomshälsan")
    page.locator("main form [type=submit]").click()
    page.wait_for_url(f"**/sites/{site.slug}/")

    site_menu(page, sv("Schools"))
    page.get_by_role("link", name=sv("Add a school")).click()
    lead.check("new school")
    page.locator("#id_name").fill("Teleborgsskolan")
    page.locator("#id_school_type").select_option(label=sv("Lower secondary (7–9)"))
    page.locator("#id_pupils").fill("420")
    page.locator("main form [type=submit]").click()
    page.wait_for_url(f"**/sites/{site.slug}/schools/")
    lead.check("schools")
    expect(page.get_by_role("cell", name="Teleborgsskolan", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Sommarängens skola", exact=True)).to_be_visible()

    # The groups: a steering-group manager and a working-group counsellor are invited.
    for group, menu, role, email, name, actor, title in [
        (
            "steering-group",
            sv("Steering group"),
            sv("Steering-group member"),
            "per.berg@vaxjo.example.se",
            "Per Berg",
            sv("Social services"),
            "Socialchef",
        ),
        (
            "working-group",
            sv("Working group"),
            sv("Working-group member"),
            "sara.ek@vaxjo.example.se",
            "Sara Ek",
            sv("School and student health"),
            "Skolkurator",
        ),
    ]:
        site_menu(page, menu)
        lead.check(f"{group} empty")
        page.get_by_role("link", name=sv("Invite a member")).first.click()
        page.locator("#id_email").fill(email)
        page.locator("#id_full_name").fill(name)
        page.get_by_label(role, exact=True).check()
        page.locator("#id_actor").select_option(label=actor)
        page.locator("#id_title").fill(title)
        lead.check(f"invite {group}")
        page.locator("main form [type=submit]").click()
        page.wait_for_load_state("load")
        lead.check(f"invited {group}")

    # The counsellor accepts, and the working group has its first member.
    sara_mail = next(m for m in mailoutbox if "sara.ek@vaxjo.example.se" in m.to)
    sara = browser_for("working-member")
    sara.go(path_in(sara_mail, r"/invitation/\S+/"))
    sara.page.locator("#id_password1").fill("Skolkurator-2018-triad")
    sara.page.locator("#id_password2").fill("Skolkurator-2018-triad")
    sara.page.get_by_role("button", name=sv("Create my account and accept")).click()
    sara.page.wait_for_url(f"**/sites/{site.slug}/")
    sara.check("member site home")

    lead.go(f"/sites/{site.slug}/working-group/")
    lead.check("working group")
    expect(page.get_by_role("cell", name="Sara Ek", exact=True)).to_be_visible()
    assert Membership.objects.filter(site=site, role=Role.WORKING, user__full_name="Sara Ek")
    lead.go(site.get_absolute_url())
    lead.check("site home after setup")
