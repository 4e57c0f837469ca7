"""The case list's seek pagination (cases/pagination.py): following its page links, forward,
back or a few pages on, shows every case once in the list's order, ties and all; a deep page
reached by a link, or the last page typed, is read without skipping the rows before it."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from tests.cases.factories import CaseFactory
from tests.pilots.factories import SchoolFactory

pytestmark = pytest.mark.django_db

PER_PAGE = 25
CASES = 130  # six pages, the last one short
LINK = re.compile(r'<a class="page-link"(?: rel="(?:next|prev)")? href="([^"]+)"[^>]*>(.*?)</a>')


@pytest.fixture
def cases(site_a):
    """Cases on few days and at three schools, so that every sort has many ties."""
    schools = [SchoolFactory(site=site_a, name=name) for name in ("Björk", "Ask", "Ek")]
    for i in range(CASES):
        CaseFactory(
            site=site_a,
            school=schools[i % 3],
            first_contact_on=datetime.date(2018, 9, 1) + datetime.timedelta(days=i % 4),
            closed_on=datetime.date(2018, 10, 1) if i % 5 == 0 else None,
            closure="resolved" if i % 5 == 0 else "",
        )
    return list(Case.objects.filter(site=site_a).select_related("school"))


ORDERS = {
    "": lambda c: (-c.first_contact_on.toordinal(), c.pk),
    "school": lambda c: (c.school.name, c.pk),
    "-school": lambda c: (tuple(-ord(ch) for ch in c.school.name), c.pk),
    "-code": lambda c: (tuple(-ord(ch) for ch in c.code), c.pk),
    "first_contact_on": lambda c: (c.first_contact_on, c.pk),
}


def shown(response):
    return [row.record.code for row in response.context["table"].paginated_rows]


def links(response):
    """The page links: {label: href}, labels "Next", "Previous" or a page number."""
    found = {}
    for href, label in LINK.findall(response.content.decode()):
        text = re.sub(r"<[^>]+>|Sida |Page |[«»]|&[a-z]+;", "", label).strip()
        found[text.split()[0] if text else text] = html.unescape(href)
    return found


def page_label(language_word):
    return {"Next": ("Nästa", "Next"), "Previous": ("Föregående", "Previous")}[language_word]


def follow(client, url, response, word):
    found = links(response)
    for label in page_label(word):
        if label in found:
            return client.get(url + found[label])
    return None


@pytest.mark.parametrize("sort", list(ORDERS))
def test_following_next_and_previous_shows_every_case_once_in_order(
    sort, cases, client_for, member_a, urls
):
    expected = [c.code for c in sorted(cases, key=ORDERS[sort])]
    client = client_for(member_a)
    url = urls("case_list")
    response = client.get(url + (f"?sort={sort}" if sort else ""))
    seen = shown(response)
    while (response := follow(client, url, response, "Next")) is not None:
        seen += shown(response)
    assert seen == expected
    # And back from the last page.
    response = client.get(url + f"?sort={sort}&page=6" if sort else url + "?page=6")
    back = shown(response)
    while (response := follow(client, url, response, "Previous")) is not None:
        back = shown(response) + back
    assert back == expected


def test_a_numbered_link_a_few_pages_on_shows_that_page(cases, client_for, member_a, urls):
    expected = [c.code for c in sorted(cases, key=ORDERS["school"])]
    client = client_for(member_a)
    url = urls("case_list")
    response = client.get(url + "?sort=school&page=2")
    page_4 = client.get(url + links(response)["4"])
    assert shown(page_4) == expected[3 * PER_PAGE : 4 * PER_PAGE]
    page_1 = client.get(url + links(page_4)["1"])
    assert shown(page_1) == expected[:PER_PAGE]


def test_a_deep_page_is_read_from_its_neighbour_not_from_the_start(
    cases, client_for, member_a, urls
):
    client = client_for(member_a)
    url = urls("case_list")
    page_4 = client.get(url + "?sort=school&page=4")
    with CaptureQueriesContext(connection) as queries:
        page_5 = client.get(url + links(page_4)["5"])
    rows = [q["sql"] for q in queries.captured_queries if "LIMIT" in q["sql"]]
    assert rows and not [sql for sql in rows if "OFFSET" in sql], rows
    assert len(shown(page_5)) == PER_PAGE
    # The last page, typed: read from the end.
    with CaptureQueriesContext(connection) as queries:
        last = client.get(url + "?sort=school&page=6")
    offsets = [
        int(n) for q in queries.captured_queries for n in re.findall(r"OFFSET (\d+)", q["sql"])
    ]
    assert all(n < PER_PAGE for n in offsets), offsets
    assert len(shown(last)) == CASES - 5 * PER_PAGE


@pytest.mark.parametrize("anchor", ["garbage", "3a", "3bW10=", "99a" + "e30="])
def test_an_anchor_it_cannot_read_is_left_aside(anchor, cases, client_for, member_a, urls):
    expected = [c.code for c in sorted(cases, key=ORDERS["school"])]
    response = client_for(member_a).get(urls("case_list") + f"?sort=school&page=3&from={anchor}")
    assert shown(response) == expected[2 * PER_PAGE : 3 * PER_PAGE]


def test_an_anchor_made_for_another_order_is_left_aside(cases, client_for, member_a, urls):
    client = client_for(member_a)
    url = urls("case_list")
    anchor = links(client.get(url + "?sort=school&page=2"))["3"].split("from=")[1]
    expected = [c.code for c in sorted(cases, key=ORDERS["-code"])]
    response = client.get(url + f"?sort=-code&page=3&from={anchor}")
    assert shown(response) == expected[2 * PER_PAGE : 3 * PER_PAGE]


def test_a_sort_on_a_column_that_may_be_empty_pages_from_the_start(
    cases, client_for, member_a, urls
):
    """Status sorts by the closing day, empty for open cases: no seek, but every case once."""
    client = client_for(member_a)
    url = urls("case_list")
    response = client.get(url + "?sort=status")
    seen = shown(response)
    while (response := follow(client, url, response, "Next")) is not None:
        seen += shown(response)
    assert sorted(seen) == sorted(c.code for c in cases)
    assert len(seen) == CASES
