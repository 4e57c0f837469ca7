"""Every URL pattern × every kind of person × own and other site. See tests/matrix/."""

import importlib
import pkgutil
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.matrix
from tests.matrix import LOGIN, OK, PEOPLE

MODULES = [
    importlib.import_module(f"tests.matrix.{m.name}")
    for m in pkgutil.iter_modules(tests.matrix.__path__)
]
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


@pytest.fixture
def world(site_a, site_b, coordinator, lead_a, member_a, steering_a, member_b):
    w = SimpleNamespace(
        a=SimpleNamespace(site=site_a),
        b=SimpleNamespace(site=site_b),
        people={
            "anonymous": None,
            "coordinator": coordinator,
            "lead_a": lead_a,
            "member_a": member_a,
            "steering_a": steering_a,
            "member_b": member_b,
        },
    )
    for module in MODULES:
        if hasattr(module, "build"):
            module.build(w)
    return w


def row_counts():
    """Rows in every table of our own apps: a refused request must change none of them."""
    ours = ("pilots", "cases", "workshops", "dashboards", "exchange")
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in ours
    }


def check(response, expected, person, url):
    status = response.status_code
    login_url = reverse(settings.LOGIN_URL)
    to_login = status == 302 and response.url.split("?")[0] in (login_url, reverse("admin:login"))
    where = f"{person} {response.request['REQUEST_METHOD']} {url} -> {status}"
    if expected == OK:
        assert status < 400 and not to_login, where
    elif expected == LOGIN:
        assert to_login, where
    else:
        assert status == expected, where


@pytest.mark.parametrize("name", sorted(ROWS))
def test_matrix(name, world, client):
    row = ROWS[name]
    url = reverse(name, kwargs=row.kwargs(world, world.a))
    for person in PEOPLE:
        client.logout()
        if world.people[person] is not None:
            client.force_login(world.people[person])
        check(client.get(url), row.get[person], person, url)
        if row.post is None:
            continue
        before = row_counts()
        response = client.post(url, row.post_data(world))
        check(response, row.post[person], person, url)
        if row.post[person] != OK:
            assert row_counts() == before, f"{person} POST {url} was refused but changed rows"


@pytest.mark.parametrize("name", sorted(n for n, r in ROWS.items() if r.foreign))
def test_other_sites_object_is_404_through_own_site(name, world, client):
    """Site A's URL with site B's object: 404 for everyone who may use the page at site A."""
    row = ROWS[name]
    url = reverse(name, kwargs=row.foreign(world))
    for person, expected in row.get.items():
        if expected != OK or person == "anonymous":
            continue
        client.force_login(world.people[person])
        assert client.get(url).status_code == 404, f"{person} GET {url}"
        if row.post is not None:
            before = row_counts()
            assert client.post(url, row.post_data(world)).status_code == 404, f"{person} POST {url}"
            assert row_counts() == before


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
