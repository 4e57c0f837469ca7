"""The case list (filters, sorting, pagination, bounded queries) and the CSV/XLSX export."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import AccessAction, CaseAccess, Closure
from tests.cases.factories import CaseEventFactory, CaseFactory, PracticalTestFactory

pytestmark = pytest.mark.django_db

FREE_TEXT = "Hemlig reflektion om samarbetet"


def body(response):
    """What a download sends (the CSV streams; the XLSX is a file)."""
    return b"".join(response.streaming_content)


def codes(response):
    return [row.record.code for row in response.context["table"].paginated_rows]


def test_the_list_filters_by_test_status_and_concern(client_for, member_a, site_a, urls):
    test = PracticalTestFactory(site=site_a)
    in_test = CaseFactory(site=site_a, practical_test=test, concerns=["absence"])
    closed = CaseFactory(
        site=site_a,
        closed_on=datetime.date(2018, 10, 1),
        closure=Closure.RESOLVED,
        concerns=["worry"],
    )
    client = client_for(member_a)
    assert codes(client.get(urls("case_list") + f"?practical_test={test.pk}")) == [in_test.code]
    assert codes(client.get(urls("case_list") + "?status=closed")) == [closed.code]
    assert codes(client.get(urls("case_list") + "?concern=absence")) == [in_test.code]
    assert codes(client.get(urls("case_list") + "?practical_test=null")) == [closed.code]


def test_the_list_sorts_by_days_to_first_intervention(client_for, member_a, site_a, urls):
    start = datetime.date(2018, 9, 10)
    slow = CaseFactory(
        site=site_a,
        first_contact_on=start,
        first_intervention_on=start + datetime.timedelta(days=12),
    )
    fast = CaseFactory(
        site=site_a,
        first_contact_on=start,
        first_intervention_on=start + datetime.timedelta(days=1),
    )
    response = client_for(member_a).get(urls("case_list") + "?sort=days_to_intervention")
    assert codes(response) == [fast.code, slow.code]


def test_the_list_is_paginated(client_for, member_a, site_a, urls):
    for _ in range(30):
        CaseFactory(site=site_a)
    response = client_for(member_a).get(urls("case_list"))
    assert len(codes(response)) == 25
    assert CaseAccess.objects.filter(action=AccessAction.LISTED).count() == 25
    assert len(codes(client_for(member_a).get(urls("case_list") + "?page=2"))) == 5


def test_sorting_and_page_links_keep_the_filters(client_for, member_a, site_a, urls):
    for _ in range(30):
        CaseFactory(site=site_a, concerns=["worry"])
    body = (
        client_for(member_a)
        .get(urls("case_list") + "?concern=worry&sort=school&page=2")
        .content.decode()
    )
    # The sorted column says so to screen readers; its link turns the order round, keeps the
    # filter and starts again from the first page.
    assert 'aria-sort="ascending"' in body
    assert 'href="?concern=worry&amp;sort=-school"' in body
    # Page links keep the filter and the order, and carry the row to seek from
    # (cases/pagination.py).
    assert 'href="?concern=worry&amp;sort=school&amp;page=1&amp;from=2b' in body
    assert 'aria-current="page">2<' in body


def test_the_filter_bar_keeps_what_was_chosen(client_for, member_a, site_a, urls):
    test = PracticalTestFactory(site=site_a, title="Mottagning på skolan")
    CaseFactory(site=site_a, practical_test=test)
    body = client_for(member_a).get(urls("case_list") + f"?practical_test={test.pk}").content
    assert f'<option value="{test.pk}" selected>Mottagning på skolan</option>' in body.decode()


def test_an_unused_filter_reads_all_in_swedish(client_for, member_a, site_a, urls):
    CaseFactory(site=site_a)
    body = client_for(member_a).get(urls("case_list")).content.decode()
    assert '<option value="" selected>Alla</option>' in body
    assert "---------" not in body


def test_open_status_is_shown_in_the_list(client_for, member_a, site_a, urls):
    CaseFactory(site=site_a)
    body = client_for(member_a).get(urls("case_list")).content.decode()
    assert "text-bg-warning" in body


def test_the_list_shows_only_the_sites_cases(client_for, member_a, site_a, site_b, urls):
    own = CaseFactory(site=site_a)
    CaseFactory(site=site_b)
    assert codes(client_for(member_a).get(urls("case_list"))) == [own.code]


def test_an_empty_list_says_what_to_do(client_for, member_a, urls):
    body = client_for(member_a).get(urls("case_list")).content.decode()
    assert urls("case_create") in body


def test_the_case_list_keeps_its_queries_as_cases_grow(
    client_for, member_a, site_a, urls, django_assert_max_num_queries
):
    client = client_for(member_a)
    test = PracticalTestFactory(site=site_a)
    CaseFactory(site=site_a, practical_test=test)
    with django_assert_max_num_queries(20) as small:
        client.get(urls("case_list"))
    for _ in range(40):
        case = CaseFactory(site=site_a, practical_test=PracticalTestFactory(site=site_a))
        CaseEventFactory(case=case)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(urls("case_list"))


def test_the_export_carries_no_free_text(confirmed_client_for, member_a, site_a, urls):
    case = CaseFactory(
        site=site_a,
        reflections=FREE_TEXT,
        referral_reason=FREE_TEXT,
        closed_on=datetime.date(2018, 10, 1),
        closure=Closure.REFERRED,
        referred_to="camhs",
    )
    CaseEventFactory(case=case, note=FREE_TEXT)
    response = confirmed_client_for(member_a).get(urls("case_export") + "?format=csv")
    text = body(response).decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert FREE_TEXT not in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 2
    assert case.code in rows[1]


def test_the_export_is_structured_per_case(confirmed_client_for, member_a, site_a, urls):
    start = datetime.date(2018, 9, 10)
    case = CaseFactory(
        site=site_a,
        first_contact_on=start,
        first_intervention_on=start + datetime.timedelta(days=4),
    )
    CaseEventFactory(case=case, actor="school", minutes=20)
    CaseEventFactory(case=case, actor="health", minutes=40)
    response = confirmed_client_for(member_a).get(urls("case_export") + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(body(response))).active
    header = [c.value for c in sheet[1]]
    values = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    by_meaning = {str(k).lower(): v for k, v in values.items()}
    assert case.code in values.values()
    assert any(v in (4, "4") for k, v in by_meaning.items() if "dag" in k or "days" in k)
    assert any(v in (60, "60") for k, v in by_meaning.items() if "minut" in k)


def test_the_export_follows_the_filters_and_is_recorded(
    confirmed_client_for, member_a, site_a, urls
):
    open_case = CaseFactory(site=site_a)
    CaseFactory(site=site_a, closed_on=datetime.date(2018, 10, 1), closure=Closure.RESOLVED)
    response = confirmed_client_for(member_a).get(urls("case_export") + "?status=open&format=csv")
    assert (
        len(list(csv.reader(io.StringIO(body(response).decode("utf-8-sig")), delimiter=";"))) == 2
    )
    exported = CaseAccess.objects.filter(action=AccessAction.EXPORTED)
    assert list(exported.values_list("case", flat=True)) == [open_case.pk]


def test_the_export_is_only_the_sites(confirmed_client_for, member_a, site_a, site_b, urls):
    CaseFactory(site=site_a)
    foreign = CaseFactory(site=site_b)
    response = confirmed_client_for(member_a).get(urls("case_export"))
    assert foreign.code not in body(response).decode()


def test_the_filter_choices_take_one_query_each(client_for, member_a, site_a, urls):
    """On PostgreSQL a select's choices would open a server-side cursor (declare, fetch, close:
    three round trips) unless DISABLE_SERVER_SIDE_CURSORS is on."""
    CaseFactory(site=site_a, practical_test=PracticalTestFactory(site=site_a))
    client = client_for(member_a)
    with CaptureQueriesContext(connection) as queries:
        client.get(urls("case_list"))
    assert not [q["sql"] for q in queries.captured_queries if "DECLARE" in q["sql"].upper()]
