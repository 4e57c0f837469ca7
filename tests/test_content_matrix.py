"""The content matrix: every list or overview page, and every object page, read for what it
shows each person (see tests/content/). The permission matrix says who may open a URL; this
one says that a page opened shows nothing of another site, of a programme the person does
not take part in, or of what their role may not read (case data for coordinators and
steering members), and that it does show the person's own (so the check can fail).

The world is built once per module, inside a transaction rolled back at the end; each test
runs in a savepoint of its own (pytest-django's `db`), so every request meets the same world."""

import importlib
import pkgutil

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.views.generic.list import MultipleObjectMixin
from django_filters.views import FilterMixin
from django_tables2 import SingleTableMixin

import tests.content
import tests.test_permission_matrix as permission
from tests.content import OK, PEOPLE, new_world, refused
from tests.content.platform import OWN_ONLY
from tests.once import for_the_module
from tests.pilots.factories import PASSWORD

ORDER = ("pilots", "intake", "cases", "workshops", "exchange", "dashboards", "platform")
MODULES = [importlib.import_module(f"tests.content.{m}") for m in ORDER]
PAGES = {page.name: page for m in MODULES for page in m.PAGES}
OBJECTS = {foreign.name: foreign for m in MODULES for foreign in m.OBJECTS}
OTHER = {name: reason for m in MODULES for name, reason in m.OTHER.items()}
# Parameters of a URL that name no object: the site is the page's scope, a document kind is
# one of the site's documents, a secret token or key is its own credential, and an identity
# provider's short name is public (it is in the addresses the provider sends people back to).
NOT_OBJECTS = {
    "site_slug",
    "kind",
    "token",
    "key",
    "uidb36",
    "provider_id",
    "organization_slug",
}


def url_names():
    return {n for n in permission.url_names() if not n.startswith(permission.ADMIN_NAMESPACE)}


def parameters(name):
    return set(permission._any_kwargs(name))


# --- The tables cover the URLconf ------------------------------------------------------------


def test_every_module_is_built():
    assert {m.name for m in pkgutil.iter_modules(tests.content.__path__)} == set(ORDER)


def test_rows_are_named_once():
    for key in ("PAGES", "OBJECTS"):
        names = [row.name for m in MODULES for row in getattr(m, key)]
        assert len(names) == len(set(names)), f"{key}: a URL named twice"


def test_every_url_has_an_entry():
    missing = sorted(url_names() - set(PAGES) - set(OBJECTS) - set(OTHER))
    assert not missing, f"URL patterns without an entry in tests/content/: {missing}"


def test_every_entry_names_a_url():
    assert not sorted((set(PAGES) | set(OBJECTS) | set(OTHER)) - url_names())


def test_every_object_url_is_tried_with_an_object_the_person_may_not_see():
    missing = sorted(
        name
        for name in url_names()
        if parameters(name) - NOT_OBJECTS and name not in OBJECTS and name not in OWN_ONLY
    )
    assert not missing, f"object URLs without an entry in OBJECTS: {missing}"


def test_every_list_view_is_read():
    """A view that lists (a ListView, a filter or a table) cannot be waved through as OTHER."""
    lists = (MultipleObjectMixin, FilterMixin, SingleTableMixin)
    missing = sorted(
        name
        for name in url_names()
        if (cls := permission.view_class(name)) is not None
        and issubclass(cls, lists)
        and name not in PAGES
    )
    assert not missing, f"list views without an entry in PAGES: {missing}"


def test_other_entries_say_why():
    assert all(reason.strip() for reason in OTHER.values())
    assert not set(OTHER) & (set(PAGES) | set(OBJECTS))


# --- The world -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with for_the_module(django_db_blocker, tmp_path_factory):
        w = new_world()
        for module in MODULES:
            if hasattr(module, "build"):
                module.build(w)
        yield w


@pytest.fixture(autouse=True)
def _isolated():
    """Replaces tests/conftest.py's: the world's files stay in the world's MEDIA_ROOT."""
    cache.clear()


def sign_in(client, world, person):
    client.logout()
    if world.people[person] is not None:
        client.force_login(world.people[person])


def text_of(response):
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    return data.decode("utf-8", errors="replace")


def refused_quietly(client, method, url):
    """The request in a savepoint rolled back afterwards: a refusal writes its audit line,
    and a request that was not refused must not change the world for the next person."""
    with transaction.atomic():
        response = client.post(url) if method == "post" else client.get(url)
        text = text_of(response)
        transaction.set_rollback(True)
    return response, text


def _params(rows):
    return [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=row.xfail))
        if getattr(row, "xfail", None)
        else name
        for name, row in sorted(rows.items())
    ]


# --- List and overview pages -----------------------------------------------------------------


def viewers(page):
    if page.viewers is not None:
        return page.viewers
    return tuple(p for p in PEOPLE if permission.ROWS[page.name].get[p] == OK)


def test_every_page_has_someone_to_show():
    assert not sorted(name for name, page in PAGES.items() if not viewers(page))


@pytest.mark.parametrize("name", _params(PAGES))
def test_page_shows_only_what_the_person_may_see(name, world, db, client):
    page = PAGES[name]
    url = reverse(name, kwargs=page.kwargs(world)) + page.query
    failures = []
    for person in viewers(page):
        forbidden = world.tags.forbidden(person, page.site)
        contradiction = page.required(person) & forbidden
        assert not contradiction, f"{name}: the table makes {person} see {contradiction}"
        sign_in(client, world, person)
        if page.confirm_password:
            client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        response = client.get(url, follow=True)
        where = f"{name} ({url}) as {person}"
        assert response.status_code == 200, f"{where}: {response.status_code}"
        assert not permission._to_login(response), f"{where}: sent to sign in"
        text = text_of(response)
        leaked = sorted(tag for tag in forbidden if tag in text)
        if leaked:
            failures.append(f"{where} shows {', '.join(leaked)}")
        missing = sorted(tag for tag in page.required(person) if tag not in text)
        if missing:
            failures.append(f"{where} does not show {', '.join(missing)} (the positive control)")
    assert not failures, "\n".join(failures)


# --- Object pages ----------------------------------------------------------------------------


def expectation(row, person, method):
    if method == "post":
        return permission.post_expectations(row)[person]
    return row.get[person]


@pytest.mark.parametrize("name", _params(OBJECTS))
def test_object_page_refuses_what_the_person_may_not_see(name, world, db, client):
    foreign = OBJECTS[name]
    row = permission.ROWS[name]
    failures = []
    if foreign.own is not None:
        # The positive control: the object's text is on its page for those who may see it.
        kwargs, tag = foreign.own(world)
        url = reverse(name, kwargs=kwargs)
        page_site = "a" if "site_slug" in kwargs else None
        for person in PEOPLE:
            if row.get[person] != OK:
                continue
            sign_in(client, world, person)
            response, text = refused_quietly(client, "get", url)
            where = f"{name} ({url}) as {person}"
            if response.status_code != 200:
                continue  # e.g. a page that sends the person on; its refusals are below
            if tag not in text:
                failures.append(f"{where} does not show {tag} (the positive control)")
            leaked = sorted(t for t in world.tags.forbidden(person, page_site) if t in text)
            if leaked:
                failures.append(f"{where} shows {', '.join(leaked)}")
    for attempt in foreign.attempts(world):
        as_person = attempt.as_person or attempt.person
        method = "post" if row.get[as_person] == 405 else "get"
        expected = refused(expectation(row, as_person, method), name)
        url = reverse(name, kwargs=attempt.kwargs)
        sign_in(client, world, attempt.person)
        response, text = refused_quietly(client, method, url)
        where = f"{name} ({method.upper()} {url}) as {attempt.person}"
        if response.status_code not in expected:
            failures.append(f"{where}: {response.status_code}, expected one of {expected}")
        if attempt.tag in text:
            failures.append(f"{where} shows {attempt.tag}")
    assert not failures, "\n".join(failures)
