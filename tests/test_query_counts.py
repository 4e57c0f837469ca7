"""No page's queries grow with data: every page a GET opens (HTML, CSV, XLSX, PDF, ICS, a file)
runs as many queries with three times as much of everything as with one batch of it.

The pages are found in the URLconf, as the permission matrix finds them, and opened in its
world (tests/test_permission_matrix.py, tests/matrix/) by the first person its row lets in who
gets the page (200); where that is a coordinator and the row lets site A's project lead in
too, by the lead as well (the lead reads the site as its own: the cases that coordinators see
counted, their own home page). The world then holds one batch of more of everything
(tests/growth.py) and, for the second count, three. Each request is counted with the cache
emptied and inside a savepoint that is rolled back, so both sizes meet the same state; a page
that asks for the password again (an export) gets it first, as in a browser; some pages are
also counted in another format, filtered, sorted or searched (VARIANTS). A failure names the
page, both counts and the statements the larger world runs more often. The pages are counted
in parts, one test per module of the permission matrix.

A URL no GET can open is listed in NOT_OPENED with the reason; any other URL that nobody can
open fails the test, so a new URL is counted from the day it is added."""

import re
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.views.generic.list import MultipleObjectMixin
from django_filters.views import FilterMixin
from django_tables2 import SingleTableMixin

from config import health
from tests import test_permission_matrix as permission
from tests.cases.factories import PracticalTestFactory
from tests.growth import add_cases, grow
from tests.matrix import OK, PEOPLE
from tests.pilots.factories import PASSWORD
from tests.test_content_matrix import sign_in, text_of
from tests.world import shared_world, world_built_once  # noqa: F401 - the matrix's world

# URLs no GET opens, and why. Every other URL must answer 200 to someone the matrix lets in.
NOT_OPENED = {
    # Buttons: POST only, a GET answers 405.
    "dashboards:site_refresh": "POST only: asks for a new summary",
    "exchange:announcements_read": "POST only: marks announcements read",
    "exchange:post_helpful": "POST only: marks a post helpful",
    "exchange:site_post_helpful": "POST only: marks a post helpful",
    "exchange:thread_follow": "POST only: follows a thread",
    "exchange:site_thread_follow": "POST only: follows a thread",
    "exchange:thread_reply": "POST only: the reply form is on the thread's page",
    "exchange:site_thread_reply": "POST only: the reply form is on the thread's page",
    "set_language": "POST only: Django's language switch",
    "workshops:calendar_feed_manage": "POST only: makes or renews a calendar feed",
    # GETs that only send the person on.
    "pilots:registration_note": "POST only: a GET goes to the registration's page",
    "pilots:registration_status": "POST only: a GET goes to the registration's page",
    "accounts:mfa_enrolment_proof": "with the second-factor gate off (as here) it moves on",
    "account_set_password": "allauth: everyone here has a password, so it goes to 'change'",
    "account_confirm_login_code": "allauth: needs a code asked for in this browser first",
    "mfa_authenticate": "allauth: only in the middle of signing in with a second factor",
    "mfa_reauthenticate": "allauth: confirms with a second factor nobody here has",
    "mfa_reauthenticate_webauthn": "allauth: confirms with a passkey nobody here has",
    # Refused to everyone by Triad's settings, or by allauth until the person has TOTP.
    "account_request_reauthentication_code": "refused: reauthentication is never by e-mail",
    "account_confirm_reauthentication_code": "refused: reauthentication is never by e-mail",
    "mfa_deactivate_totp": "allauth: 404 until the person has TOTP (their own one device)",
    "mfa_view_recovery_codes": "allauth: 404 until the person has TOTP (their own codes)",
    "mfa_download_recovery_codes": "allauth: 404 until the person has TOTP (their own codes)",
    # Signing in through an organisation's identity provider (accounts/federation.py).
    "accounts:federated_connect": "POST only: sends the person to their provider",
    "accounts:federated_invitation": "POST only: sends the invitee to their provider",
    "openid_connect_callback": "the provider's answer; without Triad's state refused (401)",
    "saml_acs": "the provider's posted answer, passed on to saml_finish_acs",
    "saml_finish_acs": "the provider's answer; without one refused (401)",
    "saml_sls": "the provider's single logout; refused without its request (400)",
    "socialaccount_login_error": "allauth's answer to a failed sign-in at a provider (401)",
    "socialaccount_signup": "closed: nobody signs up through a provider",
}
# Pages that answer otherwise when asked (another format, a filter, an order, a search):
# counted that way too.
VARIANTS = {
    "cases:case_export": ["?format=xlsx", "?status=closed&format=xlsx"],
    "cases:case_access_log_export": ["?format=xlsx"],
    "dashboards:national": ["?o=-consent&rules=ihi"],
    "dashboards:national_export": ["?format=xlsx"],
    "cases:case_list": ["?status=closed&sort=school"],
    "cases:test_list": ["?sort=title"],
    "exchange:library_list": ["?q=Mall"],
    "exchange:site_library_list": ["?q=Mall"],
}
# List pages the batches do not reach, and why (every other one must show more with three).
LISTS_NOT_GROWN = {"mfa_list_webauthn": "a person's own passkeys: tests/growth.py adds none"}
LEAD = "lead_a"
# What differs between two runs of one statement: literal values, savepoint names, the length
# of an IN (…) list.
LITERAL = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b|\"s\d+_x\d+\"")
IN_LIST = re.compile(r"\(\?(?:, \?)*\)")
COLUMNS = re.compile(r"^SELECT .*?(?= FROM)", re.DOTALL)  # the table and condition say more


def page_names():
    """Every named URL outside the admin (closed to everyone of ours, see the matrix)."""
    return sorted(n for n in permission.url_names() if not n.startswith(permission.ADMIN_NAMESPACE))


def allowed(name):
    """Who the permission matrix lets open the page with a GET, in the matrix's order (nobody
    for a URL without a row: tests/test_permission_matrix.py says so too)."""
    row = permission.ROWS.get(name)
    return [p for p in PEOPLE if row and row.get[p] == OK]


# The pages in parts, one per module of the permission matrix (tests/matrix/<app>.py), so
# that each part is a test of its own that pytest-xdist can run beside the others.
PARTS = {
    module.__name__.rsplit(".", 1)[-1]: sorted(row.name for row in module.ROWS)
    for module in permission.MODULES
}


def is_list(name):
    """A view that lists (as the content matrix finds them)."""
    cls = permission.view_class(name)
    return cls is not None and issubclass(cls, (MultipleObjectMixin, FilterMixin, SingleTableMixin))


def test_every_page_is_opened_or_says_why_not():
    unopened = [n for n in page_names() if n not in NOT_OPENED and not allowed(n)]
    assert not unopened, f"pages nobody may open with a GET and not in NOT_OPENED: {unopened}"
    in_parts = [name for names in PARTS.values() for name in names]
    assert sorted(in_parts) == page_names()  # each page in one part


def test_every_page_named_here_still_exists_and_each_one_left_out_says_why():
    for table in (NOT_OPENED, LISTS_NOT_GROWN, VARIANTS):
        assert not sorted(set(table) - set(page_names()))
    assert all(reason.strip() for reason in (*NOT_OPENED.values(), *LISTS_NOT_GROWN.values()))
    assert all(is_list(name) for name in LISTS_NOT_GROWN)


# --- Counting ----------------------------------------------------------------------------------


@dataclass
class Count:
    status: int
    sql: list = field(default_factory=list)
    location: str = ""
    text: str = ""

    @property
    def queries(self):
        return len(self.sql)

    @property
    def size(self):
        return len(self.text)


class Requests:
    """GET requests with their queries counted, signed in as one person at a time."""

    def __init__(self, client, world):
        self.client, self.world, self.person = client, world, None

    def get(self, person, url):
        if person != self.person:
            sign_in(self.client, self.world, person)
            self.person = person
        count = self._counted(url)
        if count.status == 302 and count.location.startswith(reverse("account_reauthenticate")):
            # An export asks for the password first, as it does in a browser.
            self.client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
            count = self._counted(url)
        return count

    def _counted(self, url):
        # Each request counted as a process meets it first: the cache emptied, and the health
        # check's once-per-process memo of applied migrations forgotten (else whichever part
        # opened /healthz first in a process counted the migration check at one size only).
        cache.clear()
        health._migrated = False
        with transaction.atomic():
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url)
                body = text_of(response)  # a streamed body runs its queries as it is read
            transaction.set_rollback(True)
        sql = [q["sql"] for q in queries.captured_queries]
        return Count(response.status_code, sql, response.get("Location", ""), body)


@dataclass(frozen=True)
class Page:
    name: str
    person: str
    url: str

    def __str__(self):
        return f"{self.name} as {self.person} ({self.url})"


def urls(world, names):
    """(name, URL) of each page to open, and of its VARIANTS."""
    for name in names:
        if name not in NOT_OPENED:
            url = reverse(name, kwargs=permission.ROWS[name].kwargs(world, world.a))
            yield from ((name, url + query) for query in ["", *VARIANTS.get(name, [])])


def opened_pages(world, requests, names):
    """{page: its count} for each page, with whoever opens it (see the module's docstring).
    Fails for a page that nobody the matrix lets in can open."""
    counts, unopened = {}, []
    for name, url in urls(world, names):
        statuses = {}
        for person in allowed(name):
            count = requests.get(person, url)
            statuses[person] = count.status
            if count.status == 200:
                counts[Page(name, person, url)] = count
                break
        else:
            unopened.append(f"{name} ({url}): {statuses or 'nobody may open it'}")
        if statuses.get("coordinator") == 200 and LEAD in allowed(name):
            count = requests.get(LEAD, url)
            if count.status == 200:  # else the coordinator's count stands for the page
                counts[Page(name, LEAD, url)] = count
    assert not unopened, "pages that answer no GET with 200:\n" + "\n".join(unopened)
    return counts


def shape(sql):
    """A statement with its values taken out, so that each row's query looks the same."""
    return IN_LIST.sub("(…)", LITERAL.sub("?", sql))


def difference(page, small, large, sizes=("one batch", "three")):
    """What the larger world runs more often than the smaller, statement by statement."""
    before, after = Counter(map(shape, small.sql)), Counter(map(shape, large.sql))
    more = sorted(((after[s], before[s], s) for s in after if after[s] > before[s]), reverse=True)
    lines = [f"{page}: {small.queries} queries with {sizes[0]}, {large.queries} with {sizes[1]}"]
    for n_after, n_before, sql in more[:5]:
        lines.append(f"    {n_before} -> {n_after} times: {COLUMNS.sub('SELECT …', sql, 1)[:300]}")
    return "\n".join(lines)


@pytest.mark.parametrize("part", sorted(PARTS))
def test_no_page_runs_more_queries_with_more_data(part, world, client):
    requests = Requests(client, world)
    grow(world)
    small = opened_pages(world, requests, PARTS[part])
    grow(world)
    grow(world)
    failures, not_reached = [], []
    for page in sorted(small, key=lambda p: (p.person, p.name)):  # one sign-in per person
        large = requests.get(page.person, page.url)
        if large.status != 200:
            failures.append(f"{page}: {large.status} with three batches")
        elif large.queries != small[page].queries:
            failures.append(difference(page, small[page], large))
        grown = large.size > small[page].size
        if is_list(page.name) and page.name not in LISTS_NOT_GROWN and not grown:
            not_reached.append(str(page))
    assert not failures, "queries that grow with the data:\n" + "\n".join(failures)
    # The positive control: the batches do reach the pages (a list shows more with three).
    assert not not_reached, f"lists that show no more with three batches: {not_reached}"


# --- The practical test page, at 5 and at 100 cases ---------------------------------------------


@pytest.mark.parametrize("person", ["lead_a", "coordinator"])
def test_the_practical_test_page_runs_as_many_queries_with_100_cases_as_with_5(
    world, client, person
):
    """Issue 16's headline: the page of a test ran one query per case in it (the lead sees
    each case; a coordinator sees them counted)."""
    test = PracticalTestFactory(site=world.a.site)
    requests = Requests(client, world)
    url = reverse("cases:test_detail", kwargs={"site_slug": world.a.site.slug, "pk": test.pk})
    add_cases(test, 5)
    five = requests.get(person, url)
    add_cases(test, 95)
    hundred = requests.get(person, url)
    assert (five.status, hundred.status) == (200, 200)
    assert test.cases.count() == 100
    codes = list(test.cases.order_by("-number").values_list("code", flat=True))
    listed = {code for code in codes if code in hundred.text}
    # The same page: the lead's lists the latest 20 cases and links to all 100 in the case
    # list; a coordinator's none (only their counts).
    assert listed == (set(codes[:20]) if person == LEAD else set())
    assert (f"?practical_test={test.pk}" in hundred.text) is (person == LEAD)
    page = Page("cases:test_detail", person, url)
    same = five.queries == hundred.queries
    assert same, difference(page, five, hundred, ("5 cases", "100"))
