"""pilots.scoping.site_and_access: the site of a /sites/<slug>/ URL and what the person may do
there, read from their memberships that hold today. The permission matrix checks every page;
these check the reading itself."""

import datetime

import pytest
from django.utils import timezone

from pilots.models import Role
from pilots.scoping import site_and_access
from tests.pilots.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_member_gets_the_site_and_their_roles_in_one_query(
    site_a, member_a, django_assert_num_queries
):
    MembershipFactory(site=site_a, user=member_a, role=Role.STEERING)
    with django_assert_num_queries(1):
        site, access = site_and_access(member_a, "site-a")
        # The page header names the municipality and region: read with the site.
        assert str(site.municipality) and str(site.region)
    assert site == site_a
    assert access.roles == {Role.WORKING, Role.STEERING}
    assert access.can_view() and access.can_work() and access.can_see_cases()
    assert not access.can_manage()


def test_a_member_of_another_site_gets_the_site_but_no_access(site_a, member_b):
    site, access = site_and_access(member_b, "site-a")
    assert site == site_a
    assert access.roles == frozenset()
    assert not access.can_view()


def test_a_coordinator_without_a_role_follows_every_site_but_never_sees_cases(site_a, coordinator):
    site, access = site_and_access(coordinator, "site-a")
    assert site == site_a
    assert access.can_view() and access.can_manage()
    assert not access.can_see_cases() and not access.can_work()


def test_an_unknown_site_is_none(member_a):
    assert site_and_access(member_a, "no-such-site") == (None, None)


@pytest.mark.parametrize(
    ("starts", "ends"),
    [(-30, -1), (1, None)],
    ids=["ended yesterday", "starts tomorrow"],
)
def test_a_membership_that_does_not_hold_today_gives_no_access(site_a, starts, ends):
    today = timezone.localdate()
    person = UserFactory()
    MembershipFactory(
        site=site_a,
        user=person,
        role=Role.LEAD,
        starts_on=today + datetime.timedelta(days=starts),
        ends_on=None if ends is None else today + datetime.timedelta(days=ends),
    )
    site, access = site_and_access(person, "site-a")
    assert site == site_a
    assert not access.can_view()


def test_a_membership_ending_today_still_holds(site_a):
    person = UserFactory()
    MembershipFactory(site=site_a, user=person, role=Role.LEAD, ends_on=timezone.localdate())
    assert site_and_access(person, "site-a")[1].is_lead
