"""Journey 2: a working-group member plans a practical test, logs its five cases (the guard
refuses a personal identity number on the way), and closes the cycle with a decision. A member
of another site who is handed the journey's addresses gets 404 on every one of them. And a case
can be logged with the keyboard alone."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from cases.models import Case, PracticalTest
from tests.pilots.factories import PASSWORD

from .browser import choose, sign_in, site_menu, sv

pytestmark = pytest.mark.e2e

PNR = "20121212-1212"  # Skatteverket's own test number: valid, and nobody's

# (school year, who raised it, concern, how it closed or None for open)
CASES = [
    (sv("Year 7"), sv("The child or young person themself"), sv("Worry or anxiety"), "resolved"),
    (sv("Year 8"), sv("School staff"), sv("School absence"), "referred"),
    (sv("Year 7"), sv("A guardian"), sv("Low mood"), None),
    (sv("Year 9"), sv("Student health"), sv("Sleep"), None),
    (
        sv("Year 8"),
        sv("The child or young person themself"),
        sv("Stress or performance pressure"),
        None,
    ),
]


def test_journey_2_a_member_runs_a_practical_test_with_five_cases(
    browser_for, site_a, member_a, member_b
):
    member = browser_for("member")
    page = sign_in(member, member_a.email, PASSWORD)
    member.check("member home")
    page.get_by_role("link", name=site_a.name).first.click()
    page.wait_for_url(f"**/sites/{site_a.slug}/")
    member.check("site home")

    # --- Plan -----------------------------------------------------------------------------
    site_menu(page, sv("Practical tests"), exact=False)
    member.check("practical tests empty")
    page.get_by_role("link", name=sv("Plan a practical test")).click()
    member.check("plan form")
    page.locator("#id_title").fill("Gemensam första samtalstid på Skola A")
    page.get_by_label(
        sv("More chances for children and young people to seek help themselves")
    ).check()
    page.locator("#id_change_idea").fill(
        "Kurator, socialsekreterare och BUP-sköterska har en gemensam drop-in-tid varje tisdag."
    )
    page.locator("#id_aim").fill("Att elever får ett första samtal inom en vecka.")
    page.locator("#id_prediction").fill(
        "Minst fyra av fem ärenden får en första insats inom sju dagar."
    )
    page.locator("#id_measures").fill("Dagar från första kontakt till första insats.")
    page.locator("#id_who_what_when").fill("Arbetsgruppen, vecka 10–14.")
    page.get_by_label("Skola A").check()
    page.get_by_label(member_a.full_name).check()
    page.locator("main form [type=submit]").last.click()
    test = PracticalTest.objects.get(site=site_a)
    page.wait_for_url(f"**/sites/{site_a.slug}/tests/{test.pk}/")
    member.check("test planned")
    foreign_urls = [page.url]

    # --- Five cases, each with its first contact on the timeline --------------------------
    for number, (year, raised_by, concern, closure) in enumerate(CASES, start=1):
        page.get_by_role("link", name=sv("Log a case")).click()
        if number == 1:
            member.check("case form")
        choose(page.locator("#id_school_year"), year)
        page.get_by_label(raised_by, exact=True).check()
        page.get_by_label(concern, exact=True).check()
        page.get_by_role("button", name=sv("Log the case")).click()
        # The one case page: the timeline is added to in place, the closing form below it.
        page.wait_for_url(re.compile(r".*/cases/\d+/$"))
        case = Case.objects.filter(site=site_a).latest("pk")
        if number == 1:
            member.check("case logged")
            foreign_urls += [page.url, page.url + "timeline/"]

        choose(page.locator("#id_actor"), sv("School and student health"))
        choose(page.locator("#id_kind"), sv("Supportive conversation"))
        page.get_by_label(sv("Individual"), exact=True).check()
        page.locator("#id_minutes").fill("40")
        if number == 1:
            # The guard: a personal identity number in the note is refused, on that field.
            page.locator("#id_note").fill(f"Eleven {PNR} kom själv till kuratorn.")
            page.get_by_role("button", name=sv("Add to the timeline")).click()
            expect(page.locator("#id_note")).to_have_class(re.compile("is-invalid"))
            expect(page.locator("main")).to_contain_text("121212-****")
            member.check("personal number refused")
            assert not case.events.exists()
        page.locator("#id_note").fill("Eleven kom själv till kuratorn på drop-in-tiden.")
        page.get_by_role("button", name=sv("Add to the timeline")).click()
        expect(page.locator("[aria-labelledby=timeline-heading] table tbody")).to_contain_text(
            "Eleven kom själv till kuratorn på drop-in-tiden."
        )
        assert case.events.count() == 1
        if number == 1:
            member.check("timeline entry")

        if closure:
            page.locator(f"input[name=closure][value={closure}]").check()
            if closure == "referred":
                choose(page.locator("#id_referred_to"), sv("Child and adolescent psychiatry (BUP)"))
                page.locator("#id_referral_reason").fill("Behov av utredning.")
            choose(page.locator("#id_outcome"), sv("Improved"))
            page.get_by_role("button", name=sv("Close the case")).click()
            page.wait_for_url(f"**{case.get_absolute_url()}")
            expect(page.locator("main")).to_contain_text(
                sv("Resolved at the first line") if closure == "resolved" else sv("Referred onward")
            )
            member.check(f"case {number} closed")
        page.goto(member.base_url + test.get_absolute_url())

    assert test.cases.count() == 5
    member.check("test with five cases")

    # --- The site's case list: the five, then only the three still open, by school -----------
    site_menu(page, sv("Cases"))
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(5)
    member.check("case list")
    with translation.override("sv"):
        open_label = translation.pgettext("case status", "Open")
    choose(page.locator("#id_status"), open_label)
    page.get_by_role("button", name=sv("Show matching")).click()
    expect(rows).to_have_count(3)
    page.get_by_role("link", name=sv("School"), exact=True).click()
    expect(page.locator("main th[aria-sort=ascending]")).to_contain_text(sv("School"))
    expect(rows).to_have_count(3)
    member.check("open cases by school")
    foreign_urls.append(page.url)
    page.goto(member.base_url + test.get_absolute_url())

    # --- Do, study, act --------------------------------------------------------------------
    page.get_by_role("link", name=sv("Go on: do")).first.click()
    member.check("do")
    page.locator("#id_what_happened").fill("Drop-in-tiden användes av fem elever under fem veckor.")
    page.locator("main form [name=advance]").click()
    page.get_by_role("link", name=sv("Study the result")).first.click()
    member.check("study")
    page.locator("#id_study_results").fill("Fyra av fem fick en första insats inom en vecka.")
    page.locator("#id_learning").fill("Eleverna hittade dit själva när tiden var fast.")
    page.locator("main form [name=advance]").click()
    page.get_by_role("link", name=sv("Record the decision")).first.click()
    member.check("act")
    page.get_by_label(sv("Adopt: make it the way we work")).check()
    page.locator("#id_decision_reason").fill("Förutsägelsen höll.")
    page.locator("#id_next_steps").fill("Drop-in-tiden blir ordinarie från hösten.")
    page.get_by_role("button", name=sv("Save the decision and close the cycle")).click()
    page.wait_for_url(f"**/sites/{site_a.slug}/tests/{test.pk}/")
    member.check("cycle closed")
    test.refresh_from_db()
    assert test.is_done and test.decision == "adopt"
    page.get_by_role("link", name=sv("Printable page")).click()
    member.check("printable page")
    foreign_urls.append(page.url)

    # --- A member of another site follows the copied addresses: 404, the same as nothing ---
    other = browser_for("other-site-member")
    sign_in(other, member_b.email, PASSWORD)
    for url in foreign_urls:
        response = other.page.goto(url)
        assert response.status == 404, url
    expect(other.page.locator("h1")).to_contain_text(sv("We could not find that page"))
    other.check("404 for another site")


def test_case_logging_works_with_the_keyboard_alone(browser_for, site_a, member_a):
    member = browser_for("keyboard")
    sign_in(member, member_a.email, PASSWORD)
    page = member.go(f"/sites/{site_a.slug}/cases/new/")
    keyboard = page.keyboard

    def tab_to(selector, limit=80):
        """Press Tab until the field has focus, the way a keyboard user moves on."""
        for _ in range(limit):
            if page.evaluate("s => document.activeElement.matches(s)", selector):
                return
            keyboard.press("Tab")
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("#id_school")
    keyboard.press("ArrowDown")
    tab_to("#id_school_year")
    keyboard.press("ArrowDown")
    keyboard.press("ArrowDown")
    tab_to("input[name=raised_by]")
    keyboard.press("Space")
    tab_to("input[name=concerns]")
    keyboard.press("Space")
    member.check("case form filled by keyboard")
    tab_to("main form button[type=submit]", limit=120)
    keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/cases/\d+/$"))
    member.check("case logged by keyboard")
    case = Case.objects.get(site=site_a)
    assert case.concerns and case.raised_by and case.school.site == site_a
