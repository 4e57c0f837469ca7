"""The permission matrix's world: site A and site B, the six kinds of person, and each app's
objects at each site (the `build(world)` of every module in tests/matrix/).

Two fixtures, both named `world`; a test module imports the one it needs:
- `world_per_test` builds it for each test, from the shared people fixtures (tests/conftest.py),
  for tests that also ask for `lead_a`, `site_b` and the like;
- `shared_world` builds it once per module and test process (tests/once.py), so every test
  meets the same world. The matrices and the form fuzzing ask for it: building it
  again for each of their ~700 tests took a tenth of the suite's time."""

import importlib
import pkgutil
from types import SimpleNamespace

import pytest

import tests.matrix
from pilots.models import Role
from tests.once import for_the_module, own_copy_of_files
from tests.pilots.factories import MembershipFactory, PilotSiteFactory, SchoolFactory, UserFactory

MODULES = [
    importlib.import_module(f"tests.matrix.{m.name}")
    for m in pkgutil.iter_modules(tests.matrix.__path__)
]


def build(site_a, site_b, people):
    w = SimpleNamespace(
        a=SimpleNamespace(site=site_a), b=SimpleNamespace(site=site_b), people=people
    )
    for module in MODULES:
        if hasattr(module, "build"):
            module.build(w)
    return w


def people(coordinator, lead_a, member_a, steering_a, member_b):
    """The world's people by the names the matrix's rows use."""
    return {
        "anonymous": None,
        "coordinator": coordinator,
        "lead_a": lead_a,
        "member_a": member_a,
        "steering_a": steering_a,
        "member_b": member_b,
    }


@pytest.fixture(name="world")
def world_per_test(site_a, site_b, coordinator, lead_a, member_a, steering_a, member_b):
    return build(site_a, site_b, people(coordinator, lead_a, member_a, steering_a, member_b))


def new_sites_and_people():
    """The same sites and people as tests/conftest.py's fixtures of those names."""
    site_a = PilotSiteFactory(name="Område A", slug="site-a", case_code_prefix="AAA")
    SchoolFactory(site=site_a, name="Skola A")
    site_b = PilotSiteFactory(name="Område B", slug="site-b", case_code_prefix="BBB")
    SchoolFactory(site=site_b, name="Skola B")
    coordinator = UserFactory(
        email="coordinator@example.org", full_name="Alice Koordinator", is_coordinator=True
    )
    lead_a = MembershipFactory(site=site_a, role=Role.LEAD, user__full_name="Bob Projektledare")
    member_a = MembershipFactory(site=site_a, role=Role.WORKING, user__full_name="Mia Medlem")
    steering_a = MembershipFactory(site=site_a, role=Role.STEERING, user__full_name="Sam Styrgrupp")
    member_b = MembershipFactory(site=site_b, role=Role.WORKING, user__full_name="Charlie Annan")
    return (
        site_a,
        site_b,
        people(coordinator, lead_a.user, member_a.user, steering_a.user, member_b.user),
    )


@pytest.fixture(scope="module")
def world_built_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world of one module (tests/once.py)."""
    with for_the_module(django_db_blocker, tmp_path_factory) as media:
        w = build(*new_sites_and_people())
        w.media = media
        yield w


@pytest.fixture(name="world")
def shared_world(world_built_once, db, settings, tmp_path):
    """The module's world, for one test in a savepoint (`db`) that is rolled back after it,
    with its own copy of the world's files."""
    own_copy_of_files(world_built_once.media, tmp_path, settings)
    return own_copy(world_built_once)


def own_copy(w):
    """The world's namespaces copied, so that a test that adds an object to one (`world.b.x =
    …`, a row rolled back after the test) leaves the next test's world as it was."""
    return SimpleNamespace(
        **{
            **vars(w),
            "a": SimpleNamespace(**vars(w.a)),
            "b": SimpleNamespace(**vars(w.b)),
            "people": dict(w.people),
        }
    )
