"""The monthly follow-up of the case access record (HSLF-FS 2016:40 4 kap. 9 §): the sample per
site and month, by rules and at random; a lead's own reads judged by another lead or, where
there is none, by the coordinators as counts; the coordinators never see a case code; the
leads download their site's review."""

import csv
import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases import access_review
from cases.models import (
    AccessAction,
    AccessReview,
    AccessReviewItem,
    CaseAccess,
    SampleReason,
    Verdict,
)
from cases.tasks import scan_access_reviews
from pilots.models import Role
from tests.cases.factories import CaseFactory
from tests.pilots.factories import MembershipFactory, UserFactory

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
MONTH = datetime.date(2026, 10, 1)
# Tuesday 13 October 2026, in the working day; and Saturday the 17th.
WEEKDAY = datetime.datetime(2026, 10, 13, 10, 0, tzinfo=STOCKHOLM)
SATURDAY = datetime.datetime(2026, 10, 17, 11, 0, tzinfo=STOCKHOLM)


def read(case, user, at=WEEKDAY, action=AccessAction.VIEWED):
    return CaseAccess.objects.create(
        site=case.site,
        case=case,
        case_code=case.code,
        user=user,
        user_email=user.email,
        user_name=user.full_name,
        action=action,
        at=at,
    )


def reasons(review):
    return {item.access_id: item.reason for item in review.items.all()}


@pytest.fixture
def case_a(site_a):
    return CaseFactory(site=site_a)


def test_each_rule_draws_its_reads(site_a, member_a, lead_a):
    open_case = CaseFactory(site=site_a)
    closed = CaseFactory(site=site_a, closed_on=datetime.date(2026, 10, 1), closure="resolved")
    by_day = read(open_case, member_a)
    of_closed = read(closed, member_a, at=WEEKDAY)
    at_night = read(open_case, member_a, at=WEEKDAY.replace(hour=23))
    at_weekend = read(open_case, member_a, at=SATURDAY)
    gone = UserFactory(full_name="Gunnar Gången")
    MembershipFactory(
        site=site_a,
        user=gone,
        role=Role.WORKING,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2026, 9, 30),
    )
    by_former = read(open_case, gone)
    outside = read(open_case, member_a, at=WEEKDAY.replace(month=9))  # another month

    review = access_review.draw(site_a, MONTH)

    drawn = reasons(review)
    assert drawn[of_closed.pk] == SampleReason.CLOSED
    assert drawn[at_night.pk] == drawn[at_weekend.pk] == SampleReason.OFF_HOURS
    assert drawn[by_former.pk] == SampleReason.FORMER
    assert drawn[by_day.pk] == SampleReason.RANDOM
    assert outside.pk not in drawn


def test_one_person_reading_many_cases_in_a_day_is_drawn(site_a, member_a):
    cases = CaseFactory.create_batch(access_review.MANY_A_DAY, site=site_a)
    for case in cases:
        read(case, member_a)
    review = access_review.draw(site_a, MONTH)
    assert list(review.items.values_list("reason", flat=True)).count(SampleReason.MANY) == (
        access_review.PER_RULE
    )


def test_a_month_is_drawn_once(site_a, case_a, member_a):
    read(case_a, member_a)
    first = access_review.draw(site_a, MONTH)
    read(case_a, member_a, at=SATURDAY)
    assert access_review.draw(site_a, MONTH) == first
    assert first.items.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessReview.objects.create(site=site_a, month=MONTH)


def test_the_leads_are_asked_by_email(
    site_a, case_a, member_a, lead_a, mailoutbox, django_capture_on_commit_callbacks
):
    read(case_a, member_a)
    with django_capture_on_commit_callbacks(execute=True):
        review = access_review.draw(site_a, MONTH)
    (mail,) = mailoutbox
    assert mail.to == [lead_a.email] and "Logguppföljning för oktober 2026" in mail.subject
    assert reverse("cases:access_review_detail", args=[site_a.slug, review.pk]) in mail.body
    assert case_a.code not in mail.body


def test_the_coordinators_are_asked_when_a_single_leads_reads_are_drawn(
    site_a, case_a, lead_a, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    read(case_a, lead_a)
    with django_capture_on_commit_callbacks(execute=True):
        review = access_review.draw(site_a, MONTH)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([lead_a.email, coordinator.email])
    (to_coordinator,) = [m for m in mailoutbox if m.to == [coordinator.email]]
    assert reverse("cases:access_review_coordinator", args=[review.pk]) in to_coordinator.body


def test_a_month_without_reads_draws_nothing(site_a):
    assert access_review.draw(site_a, MONTH) is None
    assert not AccessReview.objects.exists()


def test_the_daily_scan_draws_last_month_once(site_a, site_b, case_a, member_a):
    read(case_a, member_a)
    with time_machine.travel(datetime.datetime(2026, 11, 2, 4, 0, tzinfo=STOCKHOLM)):
        assert scan_access_reviews() == 1
        assert scan_access_reviews() == 0
    assert AccessReview.objects.get().month == MONTH


def test_the_scan_is_a_beat_entry():
    entry = settings.CELERY_BEAT_SCHEDULE["cases-access-reviews"]
    assert entry["task"] == "cases.tasks.scan_access_reviews"


def test_a_leads_own_reads_go_to_another_lead(site_a, case_a, lead_a, client_for):
    other = MembershipFactory(site=site_a, role=Role.LEAD, user__full_name="Lena Ledare").user
    own = read(case_a, lead_a)
    review = access_review.draw(site_a, MONTH)
    item = review.items.get(access=own)
    assert not item.for_coordinators

    url = reverse("cases:access_review_detail", args=[site_a.slug, review.pk])
    assert case_a.code not in client_for(lead_a).get(url).content.decode()
    item_url = reverse("cases:access_review_item", args=[site_a.slug, item.pk])
    assert client_for(lead_a).get(item_url).status_code == 404
    assert case_a.code in client_for(other).get(url).content.decode()


def test_a_single_leads_reads_go_to_the_coordinators_as_counts(
    site_a, case_a, lead_a, coordinator, client_for
):
    read(case_a, lead_a, at=SATURDAY)
    review = access_review.draw(site_a, MONTH)
    item = review.items.get()
    assert item.for_coordinators

    page = client_for(coordinator).get(reverse("cases:access_review_coordinator", args=[review.pk]))
    text = page.content.decode()
    assert "Bob Projektledare" in text and "Vid natt eller helg: 1" in text
    assert case_a.code not in text
    overview = client_for(coordinator).get(reverse("cases:access_review_overview"))
    assert site_a.name in overview.content.decode()
    assert case_a.code not in overview.content.decode()

    client_for(coordinator).post(
        reverse("cases:access_review_coordinator", args=[review.pk]),
        {"person": lead_a.email, "verdict": Verdict.JUSTIFIED, "note": "Jour i helgen."},
    )
    item.refresh_from_db()
    assert (item.verdict, item.reviewed_by) == (Verdict.JUSTIFIED, coordinator)


def test_the_lead_judges_a_read(site_a, case_a, lead_a, member_a, client_for):
    read(case_a, member_a)
    review = access_review.draw(site_a, MONTH)
    item = review.items.get()
    url = reverse("cases:access_review_item", args=[site_a.slug, item.pk])

    def form(verdict, note):
        return {f"item{item.pk}-verdict": verdict, f"item{item.pk}-note": note}

    refused = client_for(lead_a).post(url, form(Verdict.UNJUSTIFIED, ""))
    assert "Beskriv vad som inte var befogat" in refused.content.decode()
    pnr = client_for(lead_a).post(url, form(Verdict.UNJUSTIFIED, "640823-3234"))
    assert pnr.status_code == 200
    item.refresh_from_db()
    assert item.verdict == ""

    client_for(lead_a).post(url, form(Verdict.UNJUSTIFIED, "Fel ärende öppnat."))
    item.refresh_from_db()
    assert (item.verdict, item.note, item.reviewed_by) == (
        Verdict.UNJUSTIFIED,
        "Fel ärende öppnat.",
        lead_a,
    )
    listing = client_for(lead_a).get(reverse("cases:access_review_list", args=[site_a.slug]))
    assert "Klar" in listing.content.decode()


def test_the_lead_downloads_the_review_as_a_spreadsheet(
    site_a, case_a, lead_a, member_a, confirmed_client_for
):
    read(case_a, member_a)
    review = access_review.draw(site_a, MONTH)
    access_review.review_item(review.items.get(), verdict=Verdict.JUSTIFIED, note="Ok", by=lead_a)
    client = confirmed_client_for(lead_a)
    response = client.get(
        reverse("cases:access_review_export", args=[site_a.slug, review.pk]) + "?format=csv"
    )
    assert response.status_code == 200, response
    content = response.getvalue()
    assert content.startswith(b"\xef\xbb\xbf")  # opens in a Swedish Excel (infra/spreadsheets.py)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][4] == "Ärende"
    assert rows[1][4] == case_a.code and rows[1][6] == "Befogad"


def test_items_go_with_their_access_lines_after_five_years(site_a, case_a, member_a):
    from cases import retention

    read(case_a, member_a, at=datetime.datetime(2020, 3, 3, tzinfo=STOCKHOLM))
    access_review.draw(site_a, datetime.date(2020, 3, 1))
    assert AccessReviewItem.objects.count() == 1
    assert retention.remove_old_access_lines() == 1
    assert not AccessReviewItem.objects.exists()
