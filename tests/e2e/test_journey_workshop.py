"""Journey 3: a coordinator creates a workshop and asks for preparation work; the reminder
e-mails go out; a project lead registers their people and delivers the work; the coordinator
reviews it and, on the day, marks who came."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.pilots.factories import PASSWORD
from tests.workshops.factories import PDF, ProgrammeFactory
from workshops.models import Delivery, Registration, Workshop

from .browser import choose, sign_in, site_menu, sv

pytestmark = pytest.mark.e2e


def local(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def typed(moment):
    """How a datetime-local field takes a moment."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def dispatch_reminders(at):
    """What the beat's periodic scan does, as if at `at`; returns the e-mails it sent."""
    before = len(mail.outbox)
    call_command("dispatch_reminders", f"--at={timezone.localtime(at).isoformat()}")
    return mail.outbox[before:]


def show_email(browser, message, step):
    """Put an HTML e-mail in the browser, to see it as the recipient does."""
    html = next(content for content, kind in message.alternatives if kind == "text/html")
    browser.page.set_content(html)
    browser.steps += 1
    browser.page.screenshot(
        path=browser.folder / f"{browser.who}-{browser.steps:02d}-{step}.png",
        full_page=True,
    )


def test_journey_3_a_workshop_from_invitation_to_attendance(
    browser_for, coordinator, site_a, lead_a, member_a, mailoutbox
):
    programme = ProgrammeFactory(name="Piloterna 2027", sites=[site_a])
    day = timezone.localdate() + datetime.timedelta(days=10)
    starts = local(day, 9)

    # --- The coordinator creates the workshop and asks for the project plan -----------------
    coord = browser_for("coordinator")
    page = sign_in(coord, coordinator.email, PASSWORD)
    page.locator("#main-nav").get_by_role("link", name=sv("Workshops"), exact=True).click()
    coord.check("workshop programme")
    page.get_by_role("link", name=programme.name).first.click()
    coord.check("programme")
    page.get_by_role("link", name=sv("Add workshop")).click()
    coord.check("new workshop form")
    page.locator("#id_title").fill("Workshop 1: Nulägesanalys och behov")
    page.locator("#id_theme").fill("Vad ser vi i skolorna i dag, och vad vill vi förändra?")
    page.locator("#id_starts_at").fill(typed(starts))
    page.locator("#id_ends_at").fill(typed(local(day, 16)))
    page.locator("#id_place").fill("Folkets hus, Stockholm")
    page.locator("#id_agenda").fill("09.00 Välkommen\n10.00 Nulägesanalys i triaden\n13.00 Behov")
    page.locator("#id_seats_per_site").fill("5")
    page.locator("#id_registration_opens_at").fill(
        typed(timezone.now() - datetime.timedelta(hours=1))
    )
    page.locator("#id_registration_closes_at").fill(typed(local(day - datetime.timedelta(2), 12)))
    page.locator("#id_is_published").check()
    page.locator("main form [type=submit]").last.click()
    workshop = Workshop.objects.get(programme=programme)
    page.wait_for_url(f"**/workshops/{workshop.pk}/")
    coord.check("workshop created")

    page.get_by_role("link", name=sv("Add deliverable")).click()
    coord.check("new deliverable form")
    choose(page.locator("#id_kind"), sv("Project plan"))
    page.locator("#id_title").fill("Projektplan")
    page.locator("#id_description").fill("Projektplanen som den ser ut före workshoppen.")
    page.locator("#id_due_at").fill(typed(local(day - datetime.timedelta(3), 17)))
    page.locator("main form [type=submit]").last.click()
    page.wait_for_url(f"**/workshops/{workshop.pk}/")
    coord.check("deliverable added")

    # --- The scan sends "registration has opened" to everyone invited from the site ---------
    opened = dispatch_reminders(timezone.now())
    recipients = {address for m in opened for address in m.to}
    assert {lead_a.email, member_a.email} <= recipients, [m.subject for m in opened]
    assert all(workshop.title in m.body for m in opened)
    lead = browser_for("lead")
    show_email(lead, next(m for m in opened if lead_a.email in m.to), "email-registration-open")

    # --- The lead registers their people and delivers the plan ------------------------------
    page = sign_in(lead, lead_a.email, PASSWORD)
    lead.go(site_a.get_absolute_url())
    site_menu(page, sv("Workshops"))
    lead.check("site workshops")
    page.get_by_role("link", name=re.compile(sv("Register people"))).first.click()
    lead.check("register people")
    page.get_by_label(lead_a.full_name).check()
    page.get_by_label(member_a.full_name).check()
    page.get_by_role("button", name=sv("Register the ticked people")).click()
    page.wait_for_load_state("load")
    lead.check("people registered")
    assert Registration.objects.filter(workshop=workshop, site=site_a).count() == 2

    site_menu(page, sv("Workshops"))
    page.get_by_role("link", name="Projektplan").first.click()
    lead.check("deliverable")
    page.get_by_role("link", name=sv("Deliver"), exact=True).click()
    lead.check("deliver form")
    page.locator("input[type=file]").set_input_files(
        {"name": "projektplan.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.locator("#id_note").fill("Version 2, beslutad i styrgruppen.")
    page.locator("main form [type=submit]").last.click()
    page.wait_for_load_state("load")
    lead.check("delivered")
    delivery = Delivery.objects.get(site=site_a)

    # --- A week before, the registered get their reminder, once -----------------------------
    week_before = starts - datetime.timedelta(days=7)
    reminders = dispatch_reminders(week_before)
    reminded = {address for m in reminders for address in m.to}
    assert {lead_a.email, member_a.email} <= reminded, [m.subject for m in reminders]
    assert dispatch_reminders(week_before) == []
    show_email(lead, next(m for m in reminders if member_a.email in m.to), "email-week-before")

    # --- The coordinator reviews the delivery ------------------------------------------------
    page = coord.go(programme.get_absolute_url())
    page.get_by_role("link", name=sv("Sites' progress")).click()
    coord.check("sites progress")
    page.get_by_role("link", name=re.compile("^" + sv("Review"))).first.click()
    coord.check("review delivery")
    page.locator("input[name=status][value=accepted]").check()
    page.locator("#id_comment").fill("Tack, planen är tydlig.")
    page.locator("main form [type=submit]").last.click()
    page.wait_for_load_state("load")
    coord.check("delivery reviewed")
    delivery.refresh_from_db()
    assert delivery.status == "accepted"

    # --- On the day, the coordinator signs in again and marks who came -----------------------
    with time_machine.travel(local(day, 10), tick=True):
        sign_in(coord, coordinator.email, PASSWORD)
        coord.go(workshop.get_absolute_url())
        page.get_by_role("link", name=sv("Attendance")).first.click()
        coord.check("attendance")
        page.get_by_label(re.compile(lead_a.full_name)).check()
        page.get_by_label(re.compile(member_a.full_name)).check()
        page.get_by_role("button", name=sv("Save attendance")).click()
        page.wait_for_load_state("load")
        expect(page.locator("main")).to_contain_text(sv("Per site"))
        coord.check("attendance taken")
    assert Registration.objects.filter(workshop=workshop, attended=True).count() == 2
