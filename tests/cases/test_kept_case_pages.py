"""Case pages drawn once and kept (cases/kept.py): the case list, a case's page and a test's
page are drawn for one reading and shown again to the next, until the site's data changes or
the day does. A kept page still writes the access record of every case it shows, carries the
reader's own CSRF token, is kept in the worker's memory only, and is never drawn for one
reader's filter ("mine") and shown to another."""

import datetime
import pickle
import re

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import AccessAction, CaseAccess, Closure
from cases.models.practical_tests import PracticalTest
from infra.kept import LOCAL, SHARED
from tests.cases.factories import CaseFactory
from tests.cases.test_cases import event_data

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def listed(user):
    return sorted(
        CaseAccess.objects.filter(user=user, action=AccessAction.LISTED).values_list(
            "case", flat=True
        )
    )


def drawn(response, template):
    return template in [t.name for t in response.templates]


@pytest.fixture
def cases(site_a):
    return [CaseFactory(site=site_a) for _ in range(3)]


def test_the_second_reading_of_the_list_is_the_kept_drawing(client_for, member_a, urls, cases):
    client = client_for(member_a)
    first = client.get(urls("case_list"))
    assert drawn(first, "cases/includes/case_list_body.html")
    second = client.get(urls("case_list"))
    assert not drawn(second, "cases/includes/case_list_body.html")
    assert second.context["body"] == first.context["body"]
    for case in cases:
        assert case.code in second.content.decode()


def test_a_kept_list_still_records_each_case_it_shows(client_for, member_a, urls, cases):
    client = client_for(member_a)
    client.get(urls("case_list"))
    before = CaseAccess.objects.count()
    second = client.get(urls("case_list"))
    assert not drawn(second, "cases/includes/case_list_body.html")
    assert CaseAccess.objects.count() == before + len(cases)
    assert listed(member_a) == sorted([c.pk for c in cases] * 2)


def test_a_kept_case_page_still_records_the_opening(client_for, member_a, urls, cases):
    client = client_for(member_a)
    url = urls("case_detail", pk=cases[0].pk)
    client.get(url)
    second = client.get(url)
    assert not drawn(second, "cases/includes/case_page.html")
    opened = CaseAccess.objects.filter(case=cases[0], action=AccessAction.VIEWED)
    assert opened.count() == 2


def test_a_kept_test_page_still_records_its_cases(client_for, member_a, site_a, urls):
    test = PracticalTest.objects.create(
        site=site_a, title="Samtal", starts_on=datetime.date(2018, 9, 1)
    )
    cases = [CaseFactory(site=site_a, practical_test=test) for _ in range(2)]
    client = client_for(member_a)
    client.get(urls("test_detail", pk=test.pk))
    second = client.get(urls("test_detail", pk=test.pk))
    assert not drawn(second, "cases/includes/test_page.html")
    assert listed(member_a) == sorted([c.pk for c in cases] * 2)


def test_a_changed_case_is_shown_at_once(client_for, member_a, urls, cases):
    client = client_for(member_a)
    client.get(urls("case_list"))
    client.get(urls("case_detail", pk=cases[0].pk))
    cases[0].closed_on = timezone.localdate()
    cases[0].closure = Closure.RESOLVED
    cases[0].save()
    assert (
        "Löst i första linjen" in client.get(urls("case_detail", pk=cases[0].pk)).content.decode()
    )
    assert "Löst i första linjen" in client.get(urls("case_list")).content.decode()


def test_a_new_day_draws_again(client_for, member_a, urls, cases, monkeypatch):
    client = client_for(member_a)
    client.get(urls("case_list"))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr("cases.kept.timezone.localdate", lambda: tomorrow)
    assert drawn(client.get(urls("case_list")), "cases/includes/case_list_body.html")


def test_each_query_is_its_own_drawing(client_for, member_a, urls, cases):
    client = client_for(member_a)
    cases[0].closed_on = timezone.localdate()
    cases[0].closure = Closure.RESOLVED
    cases[0].save()
    open_list = client.get(urls("case_list") + "?status=open").content.decode()
    closed_list = client.get(urls("case_list") + "?status=closed").content.decode()
    assert cases[0].code not in open_list and cases[0].code in closed_list
    assert cases[1].code in open_list and cases[1].code not in closed_list


def test_my_cases_are_not_shown_to_another_reader(site_a, member_a, lead_a, urls):
    mine = CaseFactory(site=site_a, created_by=member_a)
    theirs = CaseFactory(site=site_a, created_by=lead_a)
    url = urls("case_list") + "?mine=me"
    a, b = Client(), Client()
    a.force_login(member_a)
    b.force_login(lead_a)
    page_a = a.get(url).content.decode()
    page_b = b.get(url).content.decode()
    assert mine.code in page_a and theirs.code not in page_a
    assert theirs.code in page_b and mine.code not in page_b


def test_a_kept_page_carries_the_readers_own_csrf_token(site_a, member_a, lead_a, urls, cases):
    url = urls("case_detail", pk=cases[0].pk)
    a, b = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    a.force_login(member_a)
    b.force_login(lead_a)
    page_a = a.get(url)
    page_b = b.get(url)
    assert not drawn(page_b, "cases/includes/case_page.html")  # drawn for a, shown to b
    tokens_a, tokens_b = (
        set(CSRF.findall(page_a.content.decode())),
        set(CSRF.findall(page_b.content.decode())),
    )
    assert tokens_a and tokens_b and not tokens_a & tokens_b
    # b's token from the kept page is accepted: the entry is added.
    answer = b.post(
        urls("case_timeline", pk=cases[0].pk),
        {
            "csrfmiddlewaretoken": tokens_b.pop(),
            **event_data(occurred_on=cases[0].first_contact_on.isoformat()),
        },
    )
    assert answer.status_code in (200, 302)
    assert cases[0].events.count() == 1


def kept_values(cache):
    """Every value in a cache, however it keeps them."""
    if isinstance(cache, LocMemCache):
        return [pickle.loads(value) for value in cache._cache.values()]
    client = cache._cache.get_client()
    return [cache._cache._serializer.loads(client.get(k)) for k in client.keys("*")]


def test_case_rows_are_kept_in_the_workers_memory_only(client_for, member_a, urls, cases):
    client = client_for(member_a)
    client.get(urls("case_list"))
    client.get(urls("case_detail", pk=cases[0].pk))
    local, shared = caches[LOCAL], caches[SHARED]
    assert isinstance(local, LocMemCache) and local is not shared
    assert any(cases[0].code in str(value) for value in kept_values(local))
    assert not any(cases[0].code in str(value) for value in kept_values(shared))


def test_a_page_without_the_mark_may_not_keep_case_rows(rf, member_a):
    from django.core.exceptions import ImproperlyConfigured

    from cases.kept import kept_case_html

    with pytest.raises(ImproperlyConfigured):
        kept_case_html(rf.get("/"), "x", [1], "cases/includes/case_work.html", dict)


def test_a_kept_list_reads_no_case_row(client_for, member_a, urls, cases):
    client = client_for(member_a)
    client.get(urls("case_list"))
    with CaptureQueriesContext(connection) as queries:
        client.get(urls("case_list"))
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    table = connection.ops.quote_name("cases_case")
    assert reads and not any(f"FROM {table}" in sql for sql in reads)
    # …while the access record is written for them (INSERT … SELECT from the cases).
    assert listed(member_a) == sorted([c.pk for c in cases] * 2)
