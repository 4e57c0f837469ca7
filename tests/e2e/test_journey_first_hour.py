"""The first hour of each role, from their home page: a working-group member logs a case,
adds two entries to its timeline in place and closes it as resolved at the first line, all on
the case's one page; a project lead sees what is due; a steering member what awaits them; a
coordinator the queue and the sites needing attention — and the accessibility statement.

The case journey counts its clicks (links and buttons; filling in fields aside) and writes
them to e2e-artifacts/first-hour-clicks.json."""

import datetime
import json
import re

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from cases.models import Case, Closure, Stage
from pilots.models import Phase, PlanDocument
from pilots.models.documents import DocumentKind
from tests.cases.factories import CaseFactory, PracticalTestFactory
from tests.pilots.factories import PASSWORD

from .browser import ARTIFACTS, choose, sign_in, sv

pytestmark = pytest.mark.e2e


@pytest.fixture
def testing_site(site_a, coordinator, lead_a, member_a, steering_a):
    """Site A running practical tests: one test waiting for a decision, a case open long, and
    the needs analysis waiting for the steering group."""
    site_a.set_phase(Phase.TESTING, by=coordinator)
    with scopes_disabled():
        PracticalTestFactory(site=site_a, stage=Stage.ACT, title="Gemensam drop-in-tid")
        CaseFactory(
            site=site_a,
            created_by=lead_a,
            first_contact_on=timezone.localdate() - datetime.timedelta(days=60),
        )
        document = PlanDocument.objects.create(site=site_a, kind=DocumentKind.NEEDS_ANALYSIS)
        document.add_version(sections={"needs": "Eleverna behöver nå hjälp tidigt."}, author=lead_a)
    return site_a


def test_first_hour_a_member_logs_and_closes_a_case_on_one_page(
    browser_for, testing_site, member_a
):
    member = browser_for("member")
    page = sign_in(member, member_a.email, PASSWORD)
    member.check("member home")
    clicks = 0

    page.get_by_role("link", name=sv("Log a case")).click()
    clicks += 1
    member.check("case form")
    expect(page.locator("#id_first_intervention_on")).to_have_count(0)  # derived, not typed
    choose(page.locator("#id_school"), "Skola A")
    choose(page.locator("#id_school_year"), sv("Year 7"))
    page.get_by_label(sv("The child or young person themself"), exact=True).check()
    page.get_by_label(sv("Worry or anxiety"), exact=True).check()
    page.get_by_role("button", name=sv("Log the case")).click()
    clicks += 1
    page.wait_for_url(re.compile(r".*/cases/\d+/$"))
    case = Case.objects.filter(site=testing_site).latest("pk")
    member.check("case page")
    # Entries are added in place: the page is never loaded again until the case closes.
    page.evaluate("window.triadSamePage = true")

    for kind, minutes in (
        (sv("First or follow-up contact"), "15"),
        (sv("Supportive conversation"), "40"),
    ):
        choose(page.locator("#id_actor"), sv("School and student health"))
        choose(page.locator("#id_kind"), kind)
        page.get_by_label(sv("Individual"), exact=True).check()
        page.locator("#id_minutes").fill(minutes)
        page.get_by_role("button", name=sv("Add to the timeline")).click()
        clicks += 1
        expect(page.locator("#case-work [role=status]")).to_be_visible()
    expect(page.locator("[aria-labelledby=timeline-heading] table tbody tr")).to_have_count(2)
    assert page.evaluate("window.triadSamePage === true"), "the page reloaded"
    first = case.events.get(kind="conversation").occurred_on.isoformat()
    expect(page.locator("#first-intervention")).to_contain_text(first)
    member.check("two entries in place")

    page.locator("input[name=closure][value=resolved]").check()
    choose(page.locator("#id_outcome"), sv("Improved"))
    page.get_by_role("button", name=sv("Close the case")).click()
    clicks += 1
    page.wait_for_url(f"**{case.get_absolute_url()}")
    expect(page.locator("main")).to_contain_text(sv("Resolved at the first line"))
    member.check("case closed")
    case.refresh_from_db()
    assert case.closure == Closure.RESOLVED and case.events.count() == 2
    assert case.first_intervention_on.isoformat() == first
    assert clicks == 5
    (ARTIFACTS / "first-hour-clicks.json").write_text(
        json.dumps({"log, two entries and close a case, from the home page": clicks}) + "\n"
    )

    page.get_by_role("link", name="Triad").first.click()
    member.check("member home after")
    page.get_by_role("link", name=sv("My open cases")).click()
    member.check("my open cases")


def test_first_hour_a_lead_sees_what_is_due(browser_for, testing_site, lead_a):
    lead = browser_for("lead")
    page = sign_in(lead, lead_a.email, PASSWORD)
    main = page.locator("main")
    expect(main).to_contain_text(sv("Due now"))
    lead.check("lead home")
    page.get_by_role("link", name=sv("See the cases")).click()
    expect(page.locator("main table tbody tr")).to_have_count(1)
    lead.check("cases open long")
    page.go_back()
    page.get_by_role("link", name=sv("Decide")).click()
    expect(main).to_contain_text("Gemensam drop-in-tid")
    lead.check("tests waiting for a decision")


def test_first_hour_a_steering_member_sees_what_awaits_them(browser_for, testing_site, steering_a):
    steering = browser_for("steering")
    page = sign_in(steering, steering_a.email, PASSWORD)
    expect(page.locator("main")).not_to_contain_text(sv("Log a case"))
    steering.check("steering home")
    page.get_by_role("link", name=sv("Read it and take a stand")).click()
    steering.check("the needs analysis")
    page.go_back()
    page.get_by_role("link", name=sv("The site's dashboard")).click()
    steering.check("site dashboard")


def test_first_hour_a_coordinator_sees_the_queue_and_the_sites(
    browser_for, testing_site, coordinator
):
    coord = browser_for("coordinator")
    page = sign_in(coord, coordinator.email, PASSWORD)
    expect(page.locator("main")).to_contain_text(sv("Sites needing attention"))
    coord.check("coordinator home")
    page.get_by_role("link", name=sv("Open the queue")).click()
    coord.check("registration queue")
    page.get_by_role("contentinfo").get_by_role("link", name=sv("Accessibility statement")).click()
    expect(page.locator("h1")).to_contain_text("Tillgänglighetsredogörelse")
    coord.check("accessibility statement")
    page.get_by_role("link", name=sv("Edit the statement")).click()
    coord.check("edit the statement")
