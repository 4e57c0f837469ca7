"""The home page per role: the programme for a coordinator, each person's sites with what
comes next for them."""

from django.urls import reverse

from pilots import services
from pilots.models import Phase, Role
from tests.pilots.factories import (
    InterestRegistrationFactory,
    InvitationFactory,
    MembershipFactory,
    PilotSiteFactory,
    UserFactory,
)

HOME = "pilots:home"


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(reverse(HOME))
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_coordinator_sees_sites_by_phase_and_registrations_waiting(
    client_for, coordinator, site_a, site_b
):
    site_b.set_phase(Phase.TESTING, by=coordinator)
    InterestRegistrationFactory(municipality_name="Väntestad")
    response = client_for(coordinator).get(reverse(HOME))
    phases = {value: count for value, _label, count in response.context["phases"]}
    assert phases[Phase.REGISTERED] == 1 and phases[Phase.TESTING] == 1
    assert response.context["new_registrations"] == 1
    html = response.content.decode()
    assert "Väntestad" in html and site_a.name in html and site_b.name in html
    assert reverse("pilots:registration_list") in html


def test_coordinator_sees_recent_activity_newest_first(client_for, coordinator, site_a):
    registration = InterestRegistrationFactory(municipality_name="Aktivstad")
    services.accept_registration(registration, by=coordinator)
    activity = client_for(coordinator).get(reverse(HOME)).context["activity"]
    assert activity, "accepting a registration is activity"
    assert [a.when for a in activity] == sorted((a.when for a in activity), reverse=True)
    assert any("Aktivstad" in a.text for a in activity)


def test_coordinator_home_queries_stay_bounded(
    client_for, coordinator, django_assert_max_num_queries
):
    for _ in range(10):
        site = PilotSiteFactory()
        MembershipFactory(site=site, role=Role.LEAD)
        InvitationFactory(site=site)
        site.set_phase(Phase.PLANNING, by=coordinator)
        InterestRegistrationFactory()
    client = client_for(coordinator)
    with django_assert_max_num_queries(20):
        assert client.get(reverse(HOME)).status_code == 200


def test_lead_sees_their_site_with_what_to_do_next_and_can_invite(client_for, lead_a, site_a):
    response = client_for(lead_a).get(reverse(HOME))
    card = response.context["cards"][0]
    assert card.site == site_a and card.main_role == Role.LEAD
    assert card.steps, "a new site has things to do"
    html = response.content.decode()
    assert reverse("accounts:invitation_create", kwargs={"site_slug": site_a.slug}) in html
    assert str(card.guidance) in html


def test_lead_sees_how_many_invitations_wait(client_for, lead_a, site_a):
    InvitationFactory(site=site_a)
    InvitationFactory(site=site_a)
    card = client_for(lead_a).get(reverse(HOME)).context["cards"][0]
    assert card.pending_invitations == 2


def test_working_member_sees_their_site_but_no_invite_button(client_for, member_a, site_a):
    response = client_for(member_a).get(reverse(HOME))
    card = response.context["cards"][0]
    assert card.main_role == Role.WORKING
    html = response.content.decode()
    assert site_a.name in html
    assert reverse("accounts:invitation_create", kwargs={"site_slug": site_a.slug}) not in html


def test_steering_member_sees_the_steering_view_of_the_phase(client_for, steering_a, site_a):
    card = client_for(steering_a).get(reverse(HOME)).context["cards"][0]
    assert card.main_role == Role.STEERING
    from pilots.views.home import PHASE_GUIDANCE

    assert card.guidance == PHASE_GUIDANCE[site_a.phase][Role.STEERING]


def test_member_of_two_sites_sees_both(client_for, member_b, site_a):
    MembershipFactory(site=site_a, user=member_b, role=Role.STEERING)
    cards = client_for(member_b).get(reverse(HOME)).context["cards"]
    assert {c.site.slug for c in cards} == {"site-a", "site-b"}


def test_other_sites_are_not_shown(client_for, member_b, site_a):
    html = client_for(member_b).get(reverse(HOME)).content.decode()
    assert site_a.name not in html


def test_person_without_a_role_is_told_how_to_get_one(client_for, db):
    response = client_for(UserFactory()).get(reverse(HOME))
    assert response.status_code == 200 and response.context["cards"] == []
    assert 'id="my-sites-heading"' in response.content.decode()


def test_ended_membership_is_not_on_the_home_page(client_for, db):
    from django.utils import timezone

    membership = MembershipFactory(ends_on=timezone.localdate() - timezone.timedelta(days=1))
    cards = client_for(membership.user).get(reverse(HOME)).context["cards"]
    assert cards == []


def test_lead_home_queries_do_not_grow_with_the_site(
    client_for, lead_a, site_a, coordinator, django_assert_max_num_queries
):
    def grow():
        for _ in range(5):
            MembershipFactory(site=site_a, role=Role.WORKING)
            InvitationFactory(site=site_a)

    client = client_for(lead_a)
    grow()
    with django_assert_max_num_queries(25) as small:
        client.get(reverse(HOME))
    grow()
    grow()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(HOME)).status_code == 200
