"""Every URL pattern × every kind of person × own and other site, for GET and POST. See
tests/matrix/.

A refused request (a redirect to sign in, 403, 404, 405) must change nothing: no write
statement reaches the database except its own line in the security audit record (and the
session), no row count changes in any table, and no case read is recorded. Each request runs
in a savepoint that is rolled back, so every person meets the same world."""

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from cases.models import CaseAccess
from cases.views.mixins import CasePageMixin
from infra.models import AuditEvent, AuditKind
from tests.matrix import LOGIN, OK, PEOPLE
from tests.world import MODULES, shared_world, world_built_once  # noqa: F401 - fixtures

ROWS = {row.name: row for module in MODULES for row in module.ROWS}
ADMIN_NAMESPACE = "admin:"


def url_names(patterns=None, namespace=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from url_names(
                p.url_patterns, namespace + (f"{p.namespace}:" if p.namespace else "")
            )
        elif isinstance(p, URLPattern) and p.name:
            yield namespace + p.name


def test_every_url_has_a_row():
    missing = sorted(
        name
        for name in set(url_names())
        if name not in ROWS and not name.startswith(ADMIN_NAMESPACE)
    )
    assert not missing, f"URL patterns without a row in tests/matrix/: {missing}"


def test_every_row_names_a_url():
    assert not sorted(set(ROWS) - set(url_names()))


# Writes a refused request may make: the refusal's own line in the security audit record,
# and the session (a message, a renewed idle time). Nothing else.
REFUSAL_MAY_WRITE = {"pilots_auditevent", "django_session"}
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
DASHED_CHOICE = re.compile(r"<option[^>]*>\s*-{9}\s*</option>")
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
NOT_COUNTED = {"sessions.Session", "usersessions.UserSession", "infra.AuditEvent"}


def row_counts():
    """Rows in every table of every app (sessions and the security audit record aside, see
    REFUSAL_MAY_WRITE): a refused request must change none of them. One query for all."""
    tables = sorted(
        {
            m._meta.db_table
            for m in apps.get_models(include_auto_created=True)
            if m._meta.label not in NOT_COUNTED and not m._meta.proxy and m._meta.managed
        }
    )
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def refusals():
    return AuditEvent.objects.filter(kind=AuditKind.REFUSED).count()


def accepts_post(name):
    """Whether the view of URL `name` has a POST handler, read from the view itself."""
    match = resolve(reverse(name, kwargs=_any_kwargs(name)))
    view_class = getattr(match.func, "view_class", None)
    if view_class is None:
        return None  # a function view: the matrix finds out by posting to it
    return "post" in view_class.http_method_names and hasattr(view_class, "post")


def _any_kwargs(name):
    resolver = get_resolver()
    for namespace in name.split(":")[:-1]:
        resolver = resolver.namespace_dict[namespace][1]
    params = resolver.reverse_dict.getlist(name.split(":")[-1])[0][0][0][1]
    return {
        p: "x1" if p in ("site_slug", "token", "key", "uidb36", "kind", "step") else 1
        for p in params
    }


def view_class(name):
    """The class-based view behind URL `name` (None for a function view)."""
    return getattr(resolve(reverse(name, kwargs=_any_kwargs(name))).func, "view_class", None)


def refused_by_audit(person, status, url):
    """The refusals the security audit record keeps: a signed-in person's 403 anywhere, and
    their 404 under /sites/ (where another site's objects are)."""
    return person != "anonymous" and (
        status == 403 or (status == 404 and url.startswith("/sites/"))
    )


def counts():
    """(Rows per table, refusals recorded, case reads recorded.) The same before each request
    of a test, since each request is rolled back: counted once per test."""
    return row_counts(), refusals(), CaseAccess.objects.count()


def request_changing_nothing(client, method, url, data, person, before):
    """Make the request inside a savepoint that is rolled back afterwards, so each person
    meets the same world; return the response after checking that a refused one wrote
    nothing but its own audit line. `before` is what counts() gave before any request."""
    with transaction.atomic():
        before, refused_before, case_reads = before
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method)(url, data) if method == "post" else client.get(url)
        if response.status_code >= 300 and not _is_success_redirect(response, person):
            where = f"{person} {method.upper()} {url} -> {response.status_code}"
            writes = {m.group(1) for q in queries.captured_queries if (m := WRITE.match(q["sql"]))}
            assert writes <= REFUSAL_MAY_WRITE, f"{where} was refused but wrote to {writes}"
            assert row_counts() == before, f"{where} was refused but changed rows"
            assert CaseAccess.objects.count() == case_reads, f"{where} recorded a case read"
            expected = 1 if refused_by_audit(person, response.status_code, url) else 0
            assert refusals() - refused_before == expected, f"{where}: audit lines"
        transaction.set_rollback(True)
    return response


def _is_success_redirect(response, person):
    """A 302 that is not to the login page is the page working (e.g. a form that saved)."""
    if response.status_code != 302:
        return False
    return not _to_login(response)


def _to_login(response):
    login_url = reverse(settings.LOGIN_URL)
    return response.status_code == 302 and response.url.split("?")[0] in (
        login_url,
        reverse("admin:login"),
    )


def check(response, expected, person, url):
    status = response.status_code
    to_login = _to_login(response)
    where = f"{person} {response.request['REQUEST_METHOD']} {url} -> {status}"
    if expected == OK:
        assert status < 400 and not to_login, where
    elif expected == LOGIN:
        assert to_login, where
    elif isinstance(expected, tuple):
        assert status in expected, where
    else:
        assert status == expected, where
    if response.has_header("Content-Disposition"):
        # A file, however the view built it, is sandboxed and never sniffed
        # (infra.uploads.DownloadNameMiddleware): the site's PDF once left as a plain response.
        assert response["Content-Security-Policy"] == "sandbox; default-src 'none'", where
        assert response["X-Content-Type-Options"] == "nosniff", where
    if status == 200 and response.get("Content-Type", "").startswith("text/html"):
        # Our CSP drops inline style: an element positioned by a style="" attribute lands
        # somewhere else for real users (the intake form's honeypot once covered its consent box).
        page = response.content.decode()
        assert not STYLE_ATTRIBUTE.search(page), f"{where}: inline style"
        # An empty choice says what it means ("— välj —", "Alla"), not Django's dashes.
        assert not DASHED_CHOICE.search(page), f"{where}: a choice reads ---------"


def post_expectations(row):
    """What a POST gets. A row without POST expectations says the view takes no POST: those
    who may open the page get 405, everyone else the same refusal as for GET (or 405, which
    a view may answer before it looks for the object). So a view that starts to accept POST
    without a row saying who may fails here."""
    if row.post is not None:
        return row.post
    return {p: 405 if e == OK else e if e == LOGIN else (e, 405) for p, e in row.get.items()}


def test_rows_say_who_may_post_wherever_the_view_accepts_post():
    missing = sorted(name for name, row in ROWS.items() if row.post is None and accepts_post(name))
    assert not missing, f"views that accept POST without POST expectations: {missing}"


@pytest.mark.parametrize("name", sorted(ROWS))
def test_matrix(name, world, client):
    row = ROWS[name]
    url = reverse(name, kwargs=row.kwargs(world, world.a))
    posts = post_expectations(row)
    before = counts()
    for person in PEOPLE:
        client.logout()
        if world.people[person] is not None:
            client.force_login(world.people[person])
        response = request_changing_nothing(client, "get", url, None, person, before)
        check(response, row.get[person], person, url)
        response = request_changing_nothing(
            client, "post", url, row.post_data(world), person, before
        )
        check(response, posts[person], person, url)


@pytest.mark.parametrize("name", sorted(n for n, r in ROWS.items() if r.foreign))
def test_other_sites_object_is_404_through_own_site(name, world, client):
    """Site A's URL with site B's object: 404 for everyone who may use the page at site A,
    for GET and POST; nothing is written but the refusal's audit line, no case read recorded.
    (A view that takes no POST may answer 405 first: that says nothing about the object.)"""
    row = ROWS[name]
    url = reverse(name, kwargs=row.foreign(world))
    before = counts()
    for person, expected in row.get.items():
        if expected != OK or person == "anonymous":
            continue
        client.logout()
        client.force_login(world.people[person])
        response = request_changing_nothing(client, "get", url, None, person, before)
        assert response.status_code == 404, f"{person} GET {url}"
        response = request_changing_nothing(
            client, "post", url, row.post_data(world), person, before
        )
        allowed = (404,) if row.post is not None else (404, 405)
        assert response.status_code in allowed, f"{person} POST {url}"


def case_page_names():
    """URL names whose view is a case page (cases.views.mixins.CasePageMixin)."""
    for name in ROWS:
        view_class = getattr(
            resolve(reverse(name, kwargs=_any_kwargs(name))).func, "view_class", None
        )
        if view_class is not None and issubclass(view_class, CasePageMixin):
            yield name


def test_coordinators_and_steering_members_get_no_case_page():
    names = sorted(case_page_names())
    assert len(names) >= 10  # every case page, found through its view class
    for name in names:
        row = ROWS[name]
        for person in ("coordinator", "steering_a", "member_b"):
            assert row.get[person] == 404, f"{name} GET {person}"
            post = post_expectations(row)[person]
            assert post == 404 or (isinstance(post, tuple) and 404 in post), f"{name} {person}"
        assert row.get["anonymous"] == LOGIN, name


def admin_url(name):
    """Any URL of an admin pattern: each of its parameters filled with "1"."""
    admin_resolver = get_resolver().namespace_dict["admin"][1]
    short = name.removeprefix(ADMIN_NAMESPACE)
    params = admin_resolver.reverse_dict.getlist(short)[0][0][0][1]
    return reverse(name, kwargs={p: "pilots" if p == "app_label" else "1" for p in params})


@pytest.mark.parametrize("name", sorted(n for n in url_names() if n.startswith(ADMIN_NAMESPACE)))
def test_admin_is_closed_to_everyone_without_admin_access(name, world, client):
    url = admin_url(name)
    for person in PEOPLE:
        client.logout()
        if world.people[person] is not None:
            client.force_login(world.people[person])
        response = client.get(url)
        if name in ("admin:login", "admin:logout"):
            continue
        assert response.status_code == 302, f"{person} {url} -> {response.status_code}"
        assert response.url.split("?")[0] in (reverse("admin:login"), reverse("account_login"))
