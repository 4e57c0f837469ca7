"""Shared people and sites. Like healthchecks' alice, bob and charlie: the member of site B
should have no access to anything of site A.

E-mail and other work is queued with transaction.on_commit; tests that need it to happen use
the `django_capture_on_commit_callbacks(execute=True)` fixture around the request."""

import re

import pytest
from django_scopes import scopes_disabled

from pilots.models import Role
from tests.migrating import put_back_migrated_rows
from tests.pilots.factories import MembershipFactory, PilotSiteFactory, SchoolFactory, UserFactory

# The drills with a real Celery worker and broker share the broker's Redis database, which
# they empty: under pytest-xdist they all run in one worker process, one after another.
CELERY_DRILLS = ("tests/faults/", "tests/workshops/test_worker.py")
# Modules whose data is built once per module and process, and takes seconds to build (a server
# with production settings on a migrated database, the seeded demo): each runs whole in one
# process, so it is built once and not once in each.
BUILT_ONCE = (
    "tests/security/test_headers.py",
    "tests/test_demo_story.py",
    "tests/dashboards/test_demo.py",
    "tests/workshops/test_demo.py",
    "tests/cases/test_demo.py",
)


# Modules in which this process has run a transactional test that rolls back serialized rows
# since the module's fixtures were set up (see _migrated_rows_back).


def names_e2e(config) -> bool:
    """Whether the `-m` expression mentions the e2e marker (`-m e2e`, `-m 'e2e or fuzz'`)."""
    return re.search(r"\be2e\b", config.option.markexpr or "") is not None


def leave_out_browser_journeys(config, items):
    """The browser journeys need Chromium and run through `make e2e` (`-m e2e`). They are left
    out unless the `-m` expression names them: a marker expression in addopts would be replaced
    by any `-m` on the command line (`-m 'not fuzz'` would then take them in)."""
    if names_e2e(config):
        return
    journeys = [item for item in items if item.get_closest_marker("e2e")]
    if journeys:
        config.hook.pytest_deselected(items=journeys)
        items[:] = [item for item in items if not item.get_closest_marker("e2e")]


# tryfirst: pytest-xdist reads the xdist_group marks in its own collection_modifyitems hook,
# so the mark has to be there before that hook runs.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    leave_out_browser_journeys(config, items)
    # Under `-p no:xdist` the mark is not registered (--strict-markers) and not needed.
    grouping = config.pluginmanager.hasplugin("xdist")
    for item in items if grouping else ():
        if item.nodeid.startswith(CELERY_DRILLS):
            item.add_marker(pytest.mark.xdist_group("celery-drills"))
        elif item.nodeid.startswith(BUILT_ONCE):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


# optionalhook: pytest knows this hook only while pytest-xdist is loaded (`-p no:xdist`).
@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    """Refuse to run the drills side by side. pytest-xdist groups by a suffix on the node id,
    which pytest 9.2 no longer lets it write (pytest-xdist#1386): the group is then silently
    ignored and two drills empty each other's broker."""
    if node.config.getvalue("dist") != "loadgroup":
        return
    for nodeid in ids:
        if nodeid.startswith(CELERY_DRILLS) and not nodeid.endswith("@celery-drills"):
            raise pytest.UsageError(
                f"pytest-xdist did not group {nodeid} with the other Celery drills; "
                "check the pytest and pytest-xdist versions in pyproject.toml."
            )


@pytest.fixture(autouse=True)
def _every_site(request):
    """Tests build and check rows across sites, so they read with the site scope lifted, as a
    Celery task does; each request through the test client opens its own scope, as in
    production. A test marked `site_scope` runs with no scope open, as a new process does."""
    if request.node.get_closest_marker("site_scope"):
        yield
        return
    with scopes_disabled():
        yield


def transactional(item):
    """(Whether the test runs outside a transaction, whether it puts the rows back itself.)"""
    marker = item.get_closest_marker("django_db")
    kwargs = marker.kwargs if marker else {}
    fixtures = set(getattr(item, "fixturenames", ()))
    serialized = (
        bool(kwargs.get("serialized_rollback")) or "django_db_serialized_rollback" in fixtures
    )
    plain = bool(kwargs.get("transaction")) or bool({"transactional_db", "live_server"} & fixtures)
    return plain or serialized, serialized


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Between tests the database holds the rows the migrations made (the YAM and PALS
    programmes, the site, the content types), with the ids they were made with. A
    transactional test ends by emptying every table, and one without serialized_rollback then
    has Django make the content types again under new ids: a later test with
    serialized_rollback failed to put back the old ones (a duplicate (app_label, model)),
    whichever tests pytest-xdist happened to give the same process. So after any
    transactional test the tables are emptied without that, and the rows put back at once.
    The rows come back under their old ids, so every sequence is then set past the highest
    id: emptying restarts them at 1, and the next content type made collided with id 1."""
    yield
    ran_outside, serialized = transactional(item)
    from django.db import connection

    if not ran_outside or not hasattr(connection, "_test_serialized_contents"):
        return
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        put_back_migrated_rows(connection._test_serialized_contents, empty_first=not serialized)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.core.cache import cache, caches

    cache.clear()
    caches["kept"].clear()


@pytest.fixture
def site_a(db):
    site = PilotSiteFactory(name="Område A", slug="site-a", case_code_prefix="AAA")
    SchoolFactory(site=site, name="Skola A")
    return site


@pytest.fixture
def site_b(db):
    site = PilotSiteFactory(name="Område B", slug="site-b", case_code_prefix="BBB")
    SchoolFactory(site=site, name="Skola B")
    return site


@pytest.fixture
def coordinator(db):
    return UserFactory(
        email="coordinator@example.org", full_name="Alice Koordinator", is_coordinator=True
    )


@pytest.fixture
def lead_a(site_a):
    return MembershipFactory(site=site_a, role=Role.LEAD, user__full_name="Bob Projektledare").user


@pytest.fixture
def member_a(site_a):
    return MembershipFactory(site=site_a, role=Role.WORKING, user__full_name="Mia Medlem").user


@pytest.fixture
def steering_a(site_a):
    return MembershipFactory(site=site_a, role=Role.STEERING, user__full_name="Sam Styrgrupp").user


@pytest.fixture
def member_b(site_b):
    return MembershipFactory(site=site_b, role=Role.WORKING, user__full_name="Charlie Annan").user


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as that person."""

    def login(user):
        client.force_login(user)
        return client

    return login
