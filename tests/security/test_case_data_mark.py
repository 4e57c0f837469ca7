"""The one "shows case data" mark (cases/casedata.py): which pages carry it, that every page
that shows a case does, that it asks for the second factor before any case row is read, and
that it writes an access record for every response that shows case data — a re-rendered
invalid form included — and none for pages without it.

The URLs are found by walking the URLconf, with the permission matrix's objects (tests/matrix/)
to fill them in, so a new page is covered without anyone listing it here — except in MARKED,
which a new case page must join on purpose."""

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

import tests.test_permission_matrix as permission
from cases.casedata import mark_of, shows_case_data
from cases.models import AccessAction, Case, CaseAccess, CaseEvent
from cases.views.cases import CaseListView
from tests.cases.factories import CaseEventFactory, CaseFactory, PracticalTestFactory
from tests.pilots.factories import PASSWORD
from tests.world import build, people

# Every page that carries the mark, and how it counts the cases it shows. A new page that
# shows a case joins this list (test_a_page_that_shows_a_case_carries_the_mark says when).
MARKED = {
    "cases:test_detail": AccessAction.LISTED,
    "cases:case_list": AccessAction.LISTED,
    "cases:case_create": AccessAction.VIEWED,
    "cases:case_export": AccessAction.EXPORTED,
    "cases:case_detail": AccessAction.VIEWED,
    "cases:case_edit": AccessAction.VIEWED,
    "cases:case_close": AccessAction.VIEWED,
    "cases:case_timeline": AccessAction.VIEWED,
    "cases:event_edit": AccessAction.VIEWED,
    "cases:event_delete": AccessAction.VIEWED,
    "cases:consent_withdraw": AccessAction.VIEWED,
    "cases:case_history": AccessAction.VIEWED,
    "cases:case_access_log": AccessAction.LOG_VIEWED,
    "cases:case_access_log_export": AccessAction.LOG_EXPORTED,
    # The access review names the codes of the cases read: the second factor first.
    "cases:access_review_detail": AccessAction.LOG_VIEWED,
    "cases:access_review_item": AccessAction.LOG_VIEWED,
    "cases:access_review_export": AccessAction.LOG_EXPORTED,
}
# Marked pages that take a POST but no input about an existing case to get wrong.
NO_CASE_FORM = {
    "cases:case_create": "the form of a new case shows no case until it is saved",
    "cases:event_delete": "a confirmation button, no input",
    "cases:access_review_item": "judges a line of the access record (its copied code), and "
    "reads no case row",
}
CODE, NOTE = "MARK-CASE-A", "MARK-NOTE-A"


@pytest.fixture(autouse=True)
def _no_access_line_yet(request):
    """These tests count the lines requests write: the matrix world's access review (its
    drawn reads are access lines) is taken away first, the way retention would."""
    if "world" in request.fixturenames:
        from django.db import models

        from cases.retention import audit_deletes_allowed

        request.getfixturevalue("world")
        with audit_deletes_allowed():
            models.QuerySet.delete(CaseAccess.objects.all())


# Any statement that reads the case table itself (not its timeline, consents or accesses).
CASE_TABLE = re.compile(r'"cases_case"(?!\w)')
INVALID = {
    "occurred_on": "bad",
    "first_contact_on": "bad",
    "closed_on": "bad",
    "withdrawn_on": "bad",
}


def url_names():
    return sorted(n for n in permission.url_names() if not n.startswith(permission.ADMIN_NAMESPACE))


def view_of(name):
    return resolve(reverse(name, kwargs=permission._any_kwargs(name))).func


def marked_names():
    return {name: action for name in url_names() if (action := mark_of(view_of(name)))}


@pytest.fixture
def world(site_a, site_b, coordinator, lead_a, member_a, steering_a, member_b):
    """The permission matrix's world, with site A's case and note named so they can be found."""
    w = build(site_a, site_b, people(coordinator, lead_a, member_a, steering_a, member_b))
    Case.objects.filter(pk=w.a.case.pk).update(code=CODE)
    CaseEvent.objects.filter(pk=w.a.event.pk).update(note=NOTE)
    w.a.case.refresh_from_db()
    return w


def url_of(world, name):
    return reverse(name, kwargs=permission.ROWS[name].kwargs(world, world.a))


def shows_the_case(response):
    if response.status_code != 200:
        return False
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode("utf-8", errors="replace")
    return CODE in text or NOTE in text


# --- Which pages carry the mark ----------------------------------------------------------------


def test_the_marked_pages_are_those_listed():
    assert marked_names() == MARKED


def test_every_case_page_carries_the_mark():
    assert set(permission.case_page_names()) <= set(MARKED)


def test_the_mark_is_read_from_a_view_class_or_a_function():
    assert mark_of(CaseListView.as_view()) == AccessAction.LISTED

    @shows_case_data(AccessAction.EXPORTED)
    def download(request):
        raise AssertionError

    assert mark_of(download) == AccessAction.EXPORTED
    assert mark_of(lambda request: None) is None


def test_a_page_that_shows_a_case_carries_the_mark(world, client, lead_a):
    """Every URL of the URLconf, opened by a project lead with the password just confirmed:
    a page that shows site A's case code or timeline note must carry the mark and record the
    case; a page without the mark writes no access record."""
    client.force_login(lead_a)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    unmarked_showing, recorded_without_mark, shown_without_record = [], [], []
    for name in url_names():
        url = url_of(world, name)
        with transaction.atomic():
            before = CaseAccess.objects.count()
            response = client.get(url)
            written = CaseAccess.objects.filter(case=world.a.case).count() - before
            transaction.set_rollback(True)
        marked = name in MARKED
        if shows_the_case(response) and not marked:
            unmarked_showing.append(name)
        if not marked and written:
            recorded_without_mark.append(name)
        if marked and shows_the_case(response) and not written:
            shown_without_record.append(name)
    assert not unmarked_showing, f"pages that show a case without the mark: {unmarked_showing}"
    assert not recorded_without_mark, f"unmarked pages that wrote a record: {recorded_without_mark}"
    assert not shown_without_record, (
        f"marked pages that showed a case unrecorded: {shown_without_record}"
    )


# --- The second factor first --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["lead_a", "member_a"])
def test_without_a_second_factor_no_marked_page_reads_a_case_row(
    who, world, client, request, settings
):
    """With the setting on, every marked URL, GET and POST: sent to set up the second factor
    before the view runs — no statement reads the case table, no case code is shown, nothing
    is recorded."""
    settings.TRIAD_REQUIRE_MFA_FOR_CASES = True
    client.force_login(request.getfixturevalue(who))
    for name in MARKED:
        url = url_of(world, name)
        for method in ("get", "post"):
            with CaptureQueriesContext(connection) as queries:
                response = getattr(client, method)(url, INVALID if method == "post" else None)
            where = f"{method.upper()} {url}"
            assert response.status_code == 302, where
            assert response.url == reverse("mfa_activate_totp"), where
            assert CODE.encode() not in response.content, where
            read = [q["sql"] for q in queries.captured_queries if CASE_TABLE.search(q["sql"])]
            assert not read, f"{where} read case rows: {read}"
    assert not CaseAccess.objects.exists()


def test_the_test_page_asks_for_the_second_factor_before_its_case_table(
    client_for, member_a, site_a, settings
):
    """Finding 2: the test page listed its cases — code, school, year, first contact, status —
    to a member without a second factor."""
    settings.TRIAD_REQUIRE_MFA_FOR_CASES = True
    test = PracticalTestFactory(site=site_a)
    case = CaseFactory(site=site_a, practical_test=test)
    url = reverse("cases:test_detail", kwargs={"site_slug": site_a.slug, "pk": test.pk})
    response = client_for(member_a).get(url)
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    assert case.code.encode() not in response.content


def test_the_test_page_shows_aggregates_to_a_steering_member_without_a_gate(
    client_for, steering_a, site_a, settings
):
    settings.TRIAD_REQUIRE_MFA_FOR_CASES = True
    test = PracticalTestFactory(site=site_a)
    case = CaseFactory(site=site_a, practical_test=test)
    url = reverse("cases:test_detail", kwargs={"site_slug": site_a.slug, "pk": test.pk})
    response = client_for(steering_a).get(url)
    assert response.status_code == 200
    assert case.code not in response.content.decode()
    assert not CaseAccess.objects.exists()


# --- The access record for what the response shows ----------------------------------------------


def case_form_names():
    """Marked pages whose view takes a POST about an existing case."""
    return sorted(
        name
        for name in MARKED
        if name not in NO_CASE_FORM
        and permission.accepts_post(name)
        and "pk" in permission._any_kwargs(name)
    )


def test_the_case_forms_are_found():
    assert {
        "cases:case_edit",
        "cases:case_close",
        "cases:case_timeline",
        "cases:event_edit",
    } <= set(case_form_names())


@pytest.mark.parametrize("name", case_form_names())
@pytest.mark.parametrize("who", ["lead_a", "member_a"])
def test_an_invalid_form_that_shows_the_case_is_recorded(name, who, world, client, request):
    """Finding 1: a POST with invalid input re-renders the page with the case's data (the
    whole timeline, on the timeline page) and wrote no access record."""
    person = request.getfixturevalue(who)
    client.force_login(person)
    url = url_of(world, name)
    response = client.post(url, INVALID)
    assert response.status_code == 200, url
    assert CODE in response.content.decode(), url
    (access,) = CaseAccess.objects.filter(user=person)
    assert (access.case, access.action, access.path) == (world.a.case, AccessAction.VIEWED, url)
    assert access.case_code == CODE


def test_the_timeline_re_rendered_with_a_bad_date_shows_every_note_and_is_recorded(
    client_for, member_a, site_a
):
    case = CaseFactory(site=site_a)
    CaseEventFactory(case=case, note="Samtal om sömn")
    url = reverse("cases:case_timeline", kwargs={"site_slug": site_a.slug, "pk": case.pk})
    response = client_for(member_a).post(url, {"occurred_on": "bad"})
    assert "Samtal om sömn" in response.content.decode()
    assert CaseAccess.objects.get(user=member_a).action == AccessAction.VIEWED


def test_the_list_records_the_rows_of_the_page_shown(client_for, member_a, site_a):
    cases = [CaseFactory(site=site_a) for _ in range(27)]
    client_for(member_a).get(reverse("cases:case_list", kwargs={"site_slug": site_a.slug}))
    recorded = CaseAccess.objects.filter(user=member_a, action=AccessAction.LISTED)
    assert recorded.count() == 25
    assert set(recorded.values_list("case", flat=True)) <= {c.pk for c in cases}


def test_the_test_page_records_each_case_of_its_table(client_for, lead_a, site_a):
    test = PracticalTestFactory(site=site_a)
    shown = {CaseFactory(site=site_a, practical_test=test).pk for _ in range(3)}
    CaseFactory(site=site_a)  # another test's: not on the page
    client_for(lead_a).get(
        reverse("cases:test_detail", kwargs={"site_slug": site_a.slug, "pk": test.pk})
    )
    recorded = CaseAccess.objects.filter(user=lead_a, action=AccessAction.LISTED)
    assert set(recorded.values_list("case", flat=True)) == shown


def test_a_saved_change_is_recorded_once_as_a_change(client_for, member_a, site_a):
    case = CaseFactory(site=site_a)
    url = reverse("cases:case_timeline", kwargs={"site_slug": site_a.slug, "pk": case.pk})
    data = {"occurred_on": "2018-09-13", "actor": "school", "level": "individual"}
    response = client_for(member_a).post(url, {**data, "kind": "conversation", "minutes": "30"})
    assert response.status_code == 302
    assert list(CaseAccess.objects.values_list("action", flat=True)) == [AccessAction.CHANGED]


def test_a_new_case_is_recorded_as_logged(client_for, member_a, site_a):
    from tests.cases.conftest import case_data

    url = reverse("cases:case_create", kwargs={"site_slug": site_a.slug})
    assert client_for(member_a).post(url, case_data(site_a)).status_code == 302
    (access,) = CaseAccess.objects.all()
    assert (access.case, access.action) == (Case.objects.get(), AccessAction.CREATED)
