"""Logging a case, its timeline, closing, history and the guard — through the client."""

import datetime

import pytest
from django.utils import timezone

from cases.models import AccessAction, Case, CaseAccess, CaseChange, ChangeKind, Closure
from pilots.models import Actor
from tests.cases.conftest import case_data
from tests.cases.factories import CaseEventFactory, CaseFactory, PracticalTestFactory
from tests.pilots.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_member_logs_a_case_and_it_gets_the_next_site_code(client_for, member_a, site_a, urls):
    client = client_for(member_a)
    response = client.post(urls("case_create"), case_data(site_a))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == urls("case_detail", pk=case.pk)  # the one case page
    assert case.code == "AAA-2018-001"
    assert case.created_by == member_a
    assert case.concerns == ["worry", "sleep"]
    assert sorted(case.consents.values_list("actor", flat=True)) == sorted(Actor.values)
    client.post(urls("case_create"), case_data(site_a, first_contact_on="2018-10-01"))
    assert Case.objects.order_by("number").last().code == "AAA-2018-002"


def test_numbering_starts_again_each_year(client_for, member_a, site_a, urls):
    client = client_for(member_a)
    client.post(urls("case_create"), case_data(site_a, first_contact_on="2018-12-20"))
    client.post(urls("case_create"), case_data(site_a, first_contact_on="2019-01-08"))
    assert sorted(Case.objects.values_list("code", flat=True)) == ["AAA-2018-001", "AAA-2019-001"]


def test_codes_are_per_site(client_for, member_a, member_b, site_a, site_b, urls):
    client_for(member_a).post(urls("case_create"), case_data(site_a))
    client_for(member_b).post(f"/sites/{site_b.slug}/cases/new/", case_data(site_b))
    assert sorted(Case.objects.values_list("code", flat=True)) == ["AAA-2018-001", "BBB-2018-001"]


def test_a_case_is_logged_within_a_practical_test(client_for, member_a, site_a, urls):
    test = PracticalTestFactory(site=site_a)
    client_for(member_a).post(urls("case_create"), case_data(site_a, practical_test=test.pk))
    assert Case.objects.get().practical_test == test


def test_the_create_form_starts_from_the_test(client_for, member_a, site_a, urls):
    test = PracticalTestFactory(site=site_a)
    test.schools.set([site_a.schools.first()])
    response = client_for(member_a).get(urls("case_create") + f"?test={test.pk}")
    assert response.context["form"].initial["practical_test"] == test


def test_another_sites_school_cannot_be_chosen(client_for, member_a, site_a, site_b, urls):
    response = client_for(member_a).post(
        urls("case_create"), case_data(site_a, school=site_b.schools.first().pk)
    )
    assert response.status_code == 200
    assert "school" in response.context["form"].errors
    assert not Case.objects.exists()


def test_another_sites_test_cannot_be_chosen(client_for, member_a, site_a, site_b, urls):
    foreign = PracticalTestFactory(site=site_b)
    response = client_for(member_a).post(
        urls("case_create"), case_data(site_a, practical_test=foreign.pk)
    )
    assert "practical_test" in response.context["form"].errors
    assert not Case.objects.exists()


def test_a_school_that_left_the_work_is_not_offered(client_for, member_a, site_a, urls):
    SchoolFactory(site=site_a, name="Gamla skolan", is_active=False)
    form = client_for(member_a).get(urls("case_create")).context["form"]
    assert "Gamla skolan" not in [s.name for s in form.fields["school"].queryset]


def test_consent_is_recorded_per_actor(client_for, member_a, site_a, urls):
    data = case_data(site_a)
    data.update(
        {
            "consent-social-status": "given",
            "consent-social-given_by": "both",
            "consent-social-recorded_on": "2018-09-12",
            "consent-social-asked_by_role": "counsellor",
            "consent-health-status": "declined",
            "consent-health-recorded_on": "2018-09-13",
        }
    )
    client_for(member_a).post(urls("case_create"), data)
    consents = {c.actor: c for c in Case.objects.get().consents.all()}
    assert consents[Actor.SOCIAL].status == "given"
    assert consents[Actor.SOCIAL].asked_by_role == "counsellor"
    assert consents[Actor.HEALTH].status == "declined"
    assert consents[Actor.SCHOOL].status == "not_asked"


def test_an_answered_consent_needs_its_date(client_for, member_a, site_a, urls):
    data = case_data(site_a, **{"consent-social-status": "given"})
    response = client_for(member_a).post(urls("case_create"), data)
    assert response.status_code == 200
    assert not Case.objects.exists()


def test_the_case_form_asks_for_nothing_that_identifies_a_child(client_for, member_a, urls):
    response = client_for(member_a).get(urls("case_create"))
    names = set(response.context["form"].fields)
    for cf in response.context["consent_forms"]:
        names |= set(cf.fields)
    forbidden = ("name", "personal", "number", "address", "phone", "email", "guardian")
    assert not [n for n in names if any(word in n for word in forbidden)]


# --- The guard -------------------------------------------------------------------------------


def test_pnr_in_a_timeline_note_is_refused(client_for, member_a, site_a, urls):
    case = CaseFactory(site=site_a)
    response = client_for(member_a).post(
        urls("case_timeline", pk=case.pk),
        {
            "occurred_on": "2018-09-14",
            "actor": "school",
            "level": "individual",
            "kind": "conversation",
            "minutes": "30",
            "note": "Samtal med eleven (640823-3234).",
        },
    )
    assert response.status_code == 200
    assert "note" in response.context["form"].errors
    assert "640823-****" in response.content.decode()
    assert not case.events.exists()


def test_pnr_in_reflections_is_refused_when_closing(client_for, member_a, site_a, urls):
    case = CaseFactory(site=site_a)
    response = client_for(member_a).post(
        urls("case_close", pk=case.pk),
        {
            "closed_on": "2018-10-01",
            "closure": "resolved",
            "outcome": "improved",
            "reflections": "Vårdnadshavare 19640823-3234 var nöjd.",
        },
    )
    assert response.status_code == 200
    assert "reflections" in response.context["form"].errors
    case.refresh_from_db()
    assert case.is_open


# --- Timeline ---------------------------------------------------------------------------------


def event_data(**overrides):
    data = {
        "occurred_on": "2018-09-14",
        "actor": "social",
        "level": "individual",
        "kind": "intervention",
        "minutes": "45",
        "note": "",
    }
    data.update(overrides)
    return data


def test_the_first_intervention_in_the_timeline_sets_the_date(client_for, member_a, site_a, urls):
    case = CaseFactory(site=site_a, first_contact_on=datetime.date(2018, 9, 12))
    client = client_for(member_a)
    client.post(
        urls("case_timeline", pk=case.pk), event_data(kind="contact", occurred_on="2018-09-12")
    )
    case.refresh_from_db()
    assert case.first_intervention_on is None
    client.post(urls("case_timeline", pk=case.pk), event_data(occurred_on="2018-09-19"))
    client.post(urls("case_timeline", pk=case.pk), event_data(occurred_on="2018-09-15"))
    case.refresh_from_db()
    assert case.first_intervention_on == datetime.date(2018, 9, 15)
    assert case.days_to_first_intervention == 3


def test_removing_the_first_intervention_moves_the_date(client_for, member_a, site_a, urls):
    case = CaseFactory(site=site_a, first_contact_on=datetime.date(2018, 9, 12))
    client = client_for(member_a)
    client.post(urls("case_timeline", pk=case.pk), event_data(occurred_on="2018-09-15"))
    client.post(urls("case_timeline", pk=case.pk), event_data(occurred_on="2018-09-20"))
    first = case.events.get(occurred_on=datetime.date(2018, 9, 15))
    client.post(urls("event_delete", pk=case.pk, event_pk=first.pk))
    case.refresh_from_db()
    assert case.first_intervention_on == datetime.date(2018, 9, 20)
    assert case.changes.filter(what=ChangeKind.EVENT_REMOVED).exists()


def test_an_entry_before_the_first_contact_is_refused(client_for, member_a, site_a, urls):
    case = CaseFactory(site=site_a, first_contact_on=datetime.date(2018, 9, 12))
    response = client_for(member_a).post(
        urls("case_timeline", pk=case.pk), event_data(occurred_on="2018-09-01")
    )
    assert "occurred_on" in response.context["form"].errors


def test_an_entry_of_another_case_answers_404(client_for, member_a, site_a, urls):
    case, other = CaseFactory(site=site_a), CaseFactory(site=site_a)
    event = CaseEventFactory(case=other)
    response = client_for(member_a).get(urls("event_edit", pk=case.pk, event_pk=event.pk))
    assert response.status_code == 404


def test_editing_an_entry_is_kept_in_the_history(client_for, member_a, site_a, urls):
    case = CaseFactory(site=site_a)
    event = CaseEventFactory(case=case, minutes=30)
    client_for(member_a).post(
        urls("event_edit", pk=case.pk, event_pk=event.pk),
        event_data(occurred_on=case.first_contact_on.isoformat(), kind="contact", minutes="50"),
    )
    event.refresh_from_db()
    assert event.minutes == 50
    assert case.changes.filter(what=ChangeKind.EVENT_CHANGED).exists()


# --- Closing ----------------------------------------------------------------------------------


def test_the_closing_form_offers_today_as_the_closing_date(client_for, member_a, site_a, urls):
    case = CaseFactory(site=site_a)
    page = client_for(member_a).get(urls("case_close", pk=case.pk)).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in page


def test_a_referral_closes_the_case_with_where_and_why(client_for, member_a, site_a, urls):
    case = CaseFactory(site=site_a)
    client_for(member_a).post(
        urls("case_close", pk=case.pk),
        {
            "closed_on": "2018-10-01",
            "closure": "referred",
            "referred_to": "camhs",
            "referral_reason": "Behov av specialiserad bedömning.",
            "outcome": "unknown",
        },
    )
    case.refresh_from_db()
    assert case.closure == Closure.REFERRED
    assert case.referred_to == "camhs"
    assert case.changes.filter(what=ChangeKind.CLOSED).exists()


def test_a_referral_must_say_where(client_for, member_a, site_a, urls):
    case = CaseFactory(site=site_a)
    response = client_for(member_a).post(
        urls("case_close", pk=case.pk),
        {"closed_on": "2018-10-01", "closure": "referred", "outcome": "unknown"},
    )
    assert "referred_to" in response.context["form"].errors


def test_resolved_at_the_first_line_clears_a_referral(client_for, member_a, site_a, urls):
    case = CaseFactory(site=site_a)
    client_for(member_a).post(
        urls("case_close", pk=case.pk),
        {
            "closed_on": "2018-10-01",
            "closure": "resolved",
            "referred_to": "camhs",
            "outcome": "improved",
        },
    )
    case.refresh_from_db()
    assert (case.closure, case.referred_to) == (Closure.RESOLVED, "")


def test_a_closed_case_can_be_reopened(client_for, member_a, site_a, urls):
    case = CaseFactory(site=site_a, closed_on=datetime.date(2018, 10, 1), closure=Closure.RESOLVED)
    client_for(member_a).post(urls("case_close", pk=case.pk), {"action": "reopen"})
    case.refresh_from_db()
    assert case.is_open
    assert case.changes.filter(what=ChangeKind.REOPENED).exists()


# --- Editing and history ----------------------------------------------------------------------


def test_a_change_is_kept_in_the_history_and_shown(client_for, member_a, site_a, urls):
    client = client_for(member_a)
    client.post(urls("case_create"), case_data(site_a))
    case = Case.objects.get()
    client.post(
        urls("case_edit", pk=case.pk),
        case_data(
            site_a,
            school_year="9",
            concerns=["low_mood"],
            **{
                "consent-health-status": "given",
                "consent-health-recorded_on": "2018-09-20",
            },
        ),
    )
    change = CaseChange.objects.get(what=ChangeKind.CHANGED)
    fields = {c["field"] for c in change.changes}
    assert {"school_year", "concerns", "consent:health:status"} <= fields
    page = client.get(urls("case_history", pk=case.pk)).content.decode()
    assert "Year 9" in page or "Åk 9" in page or "årskurs 9" in page.lower()
    assert change.changed_by == member_a


def test_saving_without_changes_writes_no_history(client_for, member_a, site_a, urls):
    client = client_for(member_a)
    client.post(urls("case_create"), case_data(site_a))
    case = Case.objects.get()
    client.post(urls("case_edit", pk=case.pk), case_data(site_a))
    assert not CaseChange.objects.filter(what=ChangeKind.CHANGED).exists()


# --- Audit ------------------------------------------------------------------------------------


def test_opening_a_case_is_recorded(client_for, member_a, site_a, urls):
    case = CaseFactory(site=site_a)
    client_for(member_a).get(urls("case_detail", pk=case.pk))
    access = CaseAccess.objects.get()
    assert (access.user, access.case, access.action) == (member_a, case, AccessAction.VIEWED)
    assert access.user_email == member_a.email
    assert access.case_code == case.code


def test_a_listing_line_says_who_what_where_and_when(client_for, member_a, site_a, urls):
    before = timezone.now()
    cases = [CaseFactory(site=site_a) for _ in range(2)]
    client_for(member_a).get(urls("case_list") + "?status=open")
    lines = list(CaseAccess.objects.order_by("pk"))
    assert [(line.case, line.site, line.case_code) for line in lines] == [
        (case, site_a, case.code) for case in sorted(cases, key=lambda c: c.pk)
    ]
    for line in lines:
        assert (line.user, line.user_email, line.user_name) == (
            member_a,
            member_a.email,
            member_a.get_full_name(),
        )
        assert line.action == AccessAction.LISTED
        assert line.path == urls("case_list")  # never the query string (issue 13)
        assert before <= line.at <= timezone.now()


def test_a_list_records_each_case_shown(client_for, member_a, site_a, urls):
    cases = [CaseFactory(site=site_a) for _ in range(3)]
    client_for(member_a).get(urls("case_list"))
    listed = set(
        CaseAccess.objects.filter(action=AccessAction.LISTED).values_list("case", flat=True)
    )
    assert listed == {c.pk for c in cases}


def test_changes_and_logging_are_recorded(client_for, member_a, site_a, urls):
    client = client_for(member_a)
    client.post(urls("case_create"), case_data(site_a))
    case = Case.objects.get()
    client.post(urls("case_timeline", pk=case.pk), event_data(occurred_on="2018-09-13"))
    actions = list(CaseAccess.objects.filter(case=case).values_list("action", flat=True))
    assert actions.count(AccessAction.CREATED) == 1
    assert actions.count(AccessAction.CHANGED) == 1


def test_the_access_record_cannot_be_changed_or_deleted(site_a, member_a):
    from cases.models import AppendOnlyError

    case = CaseFactory(site=site_a)
    access = CaseAccess.objects.create(
        site=site_a,
        case=case,
        case_code=case.code,
        user=member_a,
        user_email=member_a.email,
        action=AccessAction.VIEWED,
    )
    access.action = AccessAction.EXPORTED
    with pytest.raises(AppendOnlyError):
        access.save()
    with pytest.raises(AppendOnlyError):
        access.delete()
    with pytest.raises(AppendOnlyError):
        CaseAccess.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        CaseAccess.objects.update(action=AccessAction.EXPORTED)


def test_the_access_log_shows_who_did_what(client_for, lead_a, member_a, site_a, urls, client):
    case = CaseFactory(site=site_a)
    client_for(member_a).get(urls("case_detail", pk=case.pk))
    client.force_login(lead_a)
    page = client.get(urls("case_access_log", pk=case.pk)).content.decode()
    assert member_a.email in page
    assert CaseAccess.objects.filter(user=lead_a, action=AccessAction.LOG_VIEWED).exists()


def test_the_access_log_downloads_as_csv(
    client_for, confirmed_client_for, lead_a, member_a, site_a, urls
):
    case = CaseFactory(site=site_a)
    other = CaseFactory(site=site_a)
    client_for(member_a).get(urls("case_detail", pk=other.pk))
    client = confirmed_client_for(lead_a)
    client.get(urls("case_detail", pk=case.pk))
    response = client.get(urls("case_access_log_export", pk=case.pk) + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert f"loggutdrag-{case.code}" in response["Content-Disposition"]
    body = response.content.decode()
    assert lead_a.email in body
    assert member_a.email not in body  # only this case's log
    assert CaseAccess.objects.filter(case=case, action=AccessAction.LOG_EXPORTED).exists()


def test_the_access_log_downloads_as_xlsx(confirmed_client_for, lead_a, site_a, urls):
    import io

    import openpyxl

    case = CaseFactory(site=site_a)
    client = confirmed_client_for(lead_a)
    client.get(urls("case_detail", pk=case.pk))
    response = client.get(urls("case_access_log_export", pk=case.pk) + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    # The header and the opening; the download itself is recorded once the file is made.
    assert sheet.max_row == 2
    assert CaseAccess.objects.filter(case=case, action=AccessAction.LOG_EXPORTED).count() == 1


# --- Who sees cases ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "steering_a", "member_b"])
@pytest.mark.parametrize(
    "page", ["case_detail", "case_timeline", "case_history", "case_access_log", "case_edit"]
)
def test_people_who_may_not_see_cases_get_404(request, client_for, site_a, urls, who, page):
    case = CaseFactory(site=site_a)
    response = client_for(request.getfixturevalue(who)).get(urls(page, pk=case.pk))
    assert response.status_code == 404
    assert not CaseAccess.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "steering_a"])
def test_no_case_link_in_the_menu_for_those_who_may_not_see_cases(
    request, client_for, site_a, urls, who
):
    page = client_for(request.getfixturevalue(who)).get(urls("test_list")).content.decode()
    assert urls("case_list") not in page


def test_another_sites_case_through_own_site_is_404(client_for, member_a, site_a, site_b, urls):
    foreign = CaseFactory(site=site_b)
    assert client_for(member_a).get(urls("case_detail", pk=foreign.pk)).status_code == 404


def test_mfa_is_required_for_case_pages_when_switched_on(
    client_for, member_a, site_a, urls, settings
):
    settings.TRIAD_REQUIRE_MFA_FOR_CASES = True
    response = client_for(member_a).get(urls("case_list"))
    assert response.status_code == 302
    assert "totp" in response.url
