"""Issue 13, finding 6: what each person reads of a five-case practical test at a named school.
Its project lead and working-group members read the exact counts; the steering group,
coordinators, members of other sites (in an exchange thread) and the printed page read "1–4"."""

import re

import pytest
from django.urls import reverse

from exchange.models import Thread
from tests.exchange.factories import ThreadFactory

from .five_cases import five_case_test, text

pytestmark = pytest.mark.django_db

# The three lines of the finding, each with a count of one.
EXACT = [
    r"Självskada: 1(?!–)",
    r"Barn- och ungdomspsykiatrin \(BUP\): 1(?!–)",
    r"SIP\) påbörjades i 1 ärende\.",
]
HIDDEN = [
    "Självskada: 1–4",
    "Barn- och ungdomspsykiatrin (BUP): 1–4",
    "SIP) påbörjades i 1–4 ärenden.",
]


def page_url(test, name="test_detail"):
    return reverse(f"cases:{name}", kwargs={"site_slug": test.site.slug, "pk": test.pk})


def assert_exact(page):
    for line in EXACT:
        assert re.search(line, page), line
    assert "1–4" not in page


def assert_hidden(page):
    for line in HIDDEN:
        assert line in page, line
    for line in EXACT:
        assert not re.search(line, page), line
    # What is computed from the small counts is not shown either, and the page says why.
    assert "dolt väckta av barnet självt" in page
    assert "”1–4” betyder mellan ett och 4 ärenden" in page


@pytest.mark.parametrize("who", ["lead_a", "member_a"])
def test_those_who_work_with_the_cases_read_the_tests_exact_counts(
    request, client_for, site_a, who
):
    test = five_case_test(site_a)
    page = text(client_for(request.getfixturevalue(who)).get(page_url(test)).content.decode())
    assert_exact(page)
    assert "5 loggade av 5 planerade" in page
    assert "1 väckta av barnet självt" not in page  # shares stay: 20 %
    assert "20 % väckta av barnet självt" in page


@pytest.mark.parametrize("who", ["steering_a", "coordinator"])
def test_steering_members_and_coordinators_read_small_numbers_as_one_to_four(
    request, client_for, site_a, who
):
    test = five_case_test(site_a)
    page = text(client_for(request.getfixturevalue(who)).get(page_url(test)).content.decode())
    assert_hidden(page)
    # Five is not a small number: the test's own count stays.
    assert "5 loggade av 5 planerade" in page


def test_the_printed_test_hides_small_numbers_even_for_its_lead(client_for, site_a, lead_a):
    """It is what the site shows other sites at a workshop."""
    test = five_case_test(site_a)
    page = client_for(lead_a).get(page_url(test, "test_print")).content.decode()
    assert_hidden(text(page))


def test_the_test_list_hides_the_sites_small_numbers_from_the_steering_group(
    client_for, site_a, lead_a, steering_a
):
    five_case_test(site_a)
    url = reverse("cases:test_list", kwargs={"site_slug": site_a.slug})
    assert_exact(text(client_for(lead_a).get(url).content.decode()))
    page = text(client_for(steering_a).get(url).content.decode())
    assert_hidden(page)
    assert "5 / 5" in page  # the test's count, beside the site's five


def test_a_member_of_another_site_reads_the_thread_with_small_numbers_hidden(
    client_for, site_a, lead_a, member_b
):
    test = five_case_test(site_a)
    thread = ThreadFactory(site=None, practical_test=test)
    page = text(client_for(member_b).get(thread.get_absolute_url()).content.decode())
    assert "Resultat i siffror" in page and "Inga ärenden" not in page
    assert_hidden(page)
    # The test's own lead, in the same thread, reads the exact counts.
    assert_exact(text(client_for(lead_a).get(thread.get_absolute_url()).content.decode()))


def test_a_thread_at_the_site_shows_its_steering_member_the_counts_hidden(
    client_for, site_a, steering_a
):
    test = five_case_test(site_a)
    thread = ThreadFactory(site=site_a, practical_test=test)
    assert Thread.objects.get().site == site_a
    page = client_for(steering_a).get(thread.get_absolute_url()).content.decode()
    assert_hidden(text(page))


def test_a_test_whose_count_would_give_away_the_cases_outside_it_hides_it(
    client_for, site_a, steering_a
):
    """Seven cases at the site, five in the test: shown, the test's five would tell that two
    were outside any test."""
    from tests.cases.factories import CaseFactory

    test = five_case_test(site_a)
    CaseFactory.create_batch(2, site=site_a)
    page = text(client_for(steering_a).get(page_url(test)).content.decode())
    assert "dolt loggade av 5 planerade" in page
    assert "Självskada: 1–4" in page
