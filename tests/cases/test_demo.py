"""The demo seed: five sites with practical tests, five with general interventions and a
vignette, and all ten with a term of generated cases. Built here with factories instead of
demo.programme.sites' ten sites."""

import dataclasses
import io

import pytest
from django.utils import timezone

from cases.models import (
    Case,
    Closure,
    Decision,
    EventKind,
    Intervention,
    PracticalTest,
    Stage,
    Vignette,
    VignetteResponse,
)
from demo.programme import casework as demo
from demo.programme.case_stories import RHYTHMS
from demo.programme.caseload import TERM_ENDS, TERM_STARTS, term_cases
from infra.pnr import find_personal_numbers
from pilots.models import Role
from tests.once import for_the_module, own_copy_of_files
from tests.pilots.factories import MembershipFactory, PilotSiteFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def make_demo_sites():
    sites = []
    for i, slug in enumerate(demo.TESTING_SITES + demo.INTERVENTION_SITES):
        site = PilotSiteFactory(
            slug=slug, name=slug.capitalize(), case_code_prefix=slug[:3].upper() + str(i)
        )
        SchoolFactory(site=site, name=f"Norra skolan {slug}")
        SchoolFactory(site=site, name=f"Södra skolan {slug}")
        for role, who in (
            (Role.LEAD, "lead"),
            (Role.WORKING, "member"),
            (Role.STEERING, "steering"),
        ):
            MembershipFactory(
                site=site, role=role, user=UserFactory(email=f"{who}@{slug}.example.org")
            )
        sites.append(site)
    return sites


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The ten sites with the casework seeded on them, once for the module (tests/once.py):
    the tests read it, or change it in their own savepoint."""
    with for_the_module(django_db_blocker, tmp_path_factory) as media:
        sites = make_demo_sites()
        demo.seed(io.StringIO())
        yield sites, media


@pytest.fixture
def seeded(seeded_once, settings, tmp_path):
    sites, media = seeded_once
    own_copy_of_files(media, tmp_path, settings)
    return sites


def test_five_sites_get_tests_in_every_step_with_their_cases(seeded):
    for slug in demo.TESTING_SITES:
        tests = PracticalTest.objects.filter(site__slug=slug)
        assert tests.filter(stage=Stage.DONE).exists() or tests.filter(stage=Stage.ACT).exists()
        assert all("(demo)" in t.title for t in tests)
        for test in tests.exclude(stage=Stage.PLAN):
            assert test.cases.count() >= 5, test
            assert all(test.starts_on <= c.first_contact_on for c in test.cases.all())
        for test in tests.filter(cycle__gt=1):
            assert test.follows is not None and test.follows.cycle == test.cycle - 1
    tests = PracticalTest.objects.all()
    assert {t.stage for t in tests} == set(Stage.values)
    assert {t.decision for t in tests} - {""} == set(Decision.values)
    assert not PracticalTest.objects.filter(site__slug__in=demo.INTERVENTION_SITES).exists()


def test_all_ten_sites_log_a_term_of_cases_in_several_states(seeded):
    for slug in demo.TESTING_SITES + demo.INTERVENTION_SITES:
        cases = Case.objects.filter(site__slug=slug)
        assert cases.count() >= 25, slug
        assert {c.closure for c in cases} == {Closure.RESOLVED, Closure.REFERRED, ""}
        assert all(c.events.exists() for c in cases)
        assert cases.filter(practical_test__isnull=True).exists()
    # Sizes differ: the biggest site logs three times what the smallest does.
    counts = sorted(Case.objects.filter(site=s).count() for s in seeded)
    assert counts[-1] >= 3 * counts[0]


def test_a_cases_first_intervention_is_the_first_intervention_in_its_timeline(seeded):
    for case in Case.objects.prefetch_related("events"):
        first = min(
            (e.occurred_on for e in case.events.all() if e.kind in EventKind.interventions()),
            default=None,
        )
        assert case.first_intervention_on == first


def test_a_sites_term_is_the_same_every_time_and_lies_in_the_autumn_term():
    for rhythm in RHYTHMS.values():
        cases = term_cases(rhythm, 2)
        assert cases == term_cases(rhythm, 2)
        assert cases != term_cases(dataclasses.replace(rhythm, seed=rhythm.seed + 1), 2)
        for case in cases:
            assert TERM_STARTS <= case.first_contact_on <= TERM_ENDS
            assert case.first_contact_on.weekday() < 5
            assert all(case.first_contact_on <= e[0] <= TERM_ENDS for e in case.events)


def test_the_other_five_get_interventions_and_a_vignette(seeded):
    vignette = Vignette.objects.get(site=None)
    for slug in demo.INTERVENTION_SITES:
        assert Intervention.objects.filter(site__slug=slug).exists()
        assert (
            VignetteResponse.objects.filter(site__slug=slug, stage__vignette=vignette).count() == 9
        )
    assert {i.programme.short_name for i in Intervention.objects.all()} == {"PALS", "YAM"}


def test_the_seed_is_idempotent(seeded):
    counts = (
        Case.objects.count(),
        PracticalTest.objects.count(),
        VignetteResponse.objects.count(),
        Intervention.objects.count(),
    )
    demo.seed(io.StringIO())
    assert counts == (
        Case.objects.count(),
        PracticalTest.objects.count(),
        VignetteResponse.objects.count(),
        Intervention.objects.count(),
    )


def test_the_demo_is_valid_and_pseudonymous(seeded):
    # The database held its constraints when the rows went in; these are the fields' own
    # rules (a case's dates lie between 2000 and today) and the models' clean().
    checks = {"validate_unique": False, "validate_constraints": False}
    for case in Case.objects.prefetch_related("events", "consents"):
        case.full_clean(**checks)
        assert not find_personal_numbers(case.reflections)
        assert case.first_contact_on <= timezone.localdate()
        for row in [*case.events.all(), *case.consents.all()]:
            row.full_clean(**checks)
    for test in PracticalTest.objects.all():
        test.full_clean()
