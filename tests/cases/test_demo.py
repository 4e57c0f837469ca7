"""The demo seed: five sites with practical tests and cases, five with general interventions
and a vignette. Built here with factories instead of demo.programme.sites' ten sites."""

import io

import pytest
from django.utils import timezone

from cases.models import (
    Case,
    Closure,
    Intervention,
    PracticalTest,
    Stage,
    Vignette,
    VignetteResponse,
)
from demo.programme import casework as demo
from infra.pnr import find_personal_numbers
from pilots.models import Role
from tests.pilots.factories import MembershipFactory, PilotSiteFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_sites():
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


def test_five_sites_get_tests_with_cases_in_several_states(demo_sites):
    demo.seed(io.StringIO())
    for slug in demo.TESTING_SITES:
        tests = PracticalTest.objects.filter(site__slug=slug)
        assert {t.stage for t in tests} == {Stage.DONE, Stage.DO}
        cases = Case.objects.filter(site__slug=slug)
        assert cases.count() >= 5
        assert {c.closure for c in cases} >= {Closure.RESOLVED, Closure.REFERRED, ""}
        assert all(c.events.exists() for c in cases)
        assert "(demo)" in tests.first().title
    assert not PracticalTest.objects.filter(site__slug__in=demo.INTERVENTION_SITES).exists()


def test_the_other_five_get_interventions_and_a_vignette(demo_sites):
    demo.seed(io.StringIO())
    vignette = Vignette.objects.get(site=None)
    for slug in demo.INTERVENTION_SITES:
        assert Intervention.objects.filter(site__slug=slug).exists()
        assert (
            VignetteResponse.objects.filter(site__slug=slug, stage__vignette=vignette).count() == 9
        )
    assert {i.programme.short_name for i in Intervention.objects.all()} == {"PALS", "YAM"}


def test_the_seed_is_idempotent(demo_sites):
    demo.seed(io.StringIO())
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


def test_the_demo_is_valid_and_pseudonymous(demo_sites):
    demo.seed(io.StringIO())
    for case in Case.objects.all():
        case.full_clean()
        assert not find_personal_numbers(case.reflections)
        assert case.first_contact_on <= timezone.localdate()
    for test in PracticalTest.objects.all():
        test.full_clean()


def test_missing_sites_are_skipped_and_said(db):
    out = io.StringIO()
    demo.seed(out)
    assert "skipped" in out.getvalue()
    assert not Case.objects.exists()
