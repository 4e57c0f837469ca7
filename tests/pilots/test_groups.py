"""The steering group and the working group: current members per actor, former members as
history, editing a membership, ending it and going on to a successor."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from pilots.models import Actor, Membership, Organisation, OrganisationKind, Role
from tests.pilots.factories import MembershipFactory

TODAY = timezone.localdate


def days_ago(n):
    return TODAY() - datetime.timedelta(days=n)


def test_working_group_shows_current_members_per_actor(client_for, site_a, member_a):
    social = MembershipFactory(
        site=site_a,
        role=Role.WORKING,
        actor=Actor.SOCIAL,
        title="Socialsekreterare",
        hours_per_week=Decimal("6"),
        planned_hours_per_week=Decimal("8"),
    )
    response = client_for(member_a).get(reverse("pilots:working_group", args=[site_a.slug]))
    sections = {actor: members for actor, _label, members in response.context["sections"]}
    assert sections[Actor.SCHOOL] == [member_a.memberships.get()]
    assert sections[Actor.SOCIAL] == [social]
    assert sections[Actor.HEALTH] == []
    hours = {row["actor"]: row for row in response.context["hours"]}
    assert hours[Actor.SOCIAL.label]["set_aside"] == 6
    assert hours[Actor.SOCIAL.label]["planned"] == 8
    assert "Socialsekreterare" in response.content.decode()


def test_steering_group_page_lists_only_steering_members(client_for, site_a, steering_a, member_a):
    response = client_for(member_a).get(reverse("pilots:steering_group", args=[site_a.slug]))
    members = [m for _a, _l, ms in response.context["sections"] for m in ms]
    assert [m.user for m in members] == [steering_a]
    assert response.context["hours"] is None


def test_former_members_stay_as_history(client_for, site_a, member_a):
    gone = MembershipFactory(
        site=site_a,
        role=Role.WORKING,
        starts_on=days_ago(100),
        ends_on=days_ago(10),
        end_reason="Nytt jobb",
    )
    response = client_for(member_a).get(reverse("pilots:working_group", args=[site_a.slug]))
    assert response.context["former"] == [gone]
    current = [m for _a, _l, ms in response.context["sections"] for m in ms]
    assert gone not in current
    assert "Nytt jobb" in response.content.decode()


def test_members_do_not_see_edit_links(client_for, site_a, member_a):
    membership = member_a.memberships.get()
    body = client_for(member_a).get(reverse("pilots:working_group", args=[site_a.slug])).content
    assert (
        reverse("pilots:membership_update", args=[site_a.slug, membership.pk]) not in body.decode()
    )


def test_lead_edits_a_membership(client_for, site_a, lead_a):
    social_unit = Organisation.objects.create(
        name="IFO", kind=OrganisationKind.UNIT, actor=Actor.SOCIAL, parent=site_a.municipality
    )
    membership = MembershipFactory(site=site_a, role=Role.WORKING, actor=Actor.SOCIAL)
    response = client_for(lead_a).post(
        reverse("pilots:membership_update", args=[site_a.slug, membership.pk]),
        {
            "actor": Actor.SOCIAL,
            "organisation": social_unit.pk,
            "title": "Socialsekreterare",
            "hours_per_week": "4.5",
            "planned_hours_per_week": "8",
            "starts_on": membership.starts_on.isoformat(),
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.organisation == social_unit
    assert membership.hours_per_week == Decimal("4.5")


def test_hours_are_for_social_services_and_healthcare(client_for, site_a, lead_a, member_a):
    membership = member_a.memberships.get()  # school and student health
    response = client_for(lead_a).post(
        reverse("pilots:membership_update", args=[site_a.slug, membership.pk]),
        {
            "actor": Actor.SCHOOL,
            "hours_per_week": "5",
            "starts_on": membership.starts_on.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "hours_per_week" in response.context["form"].errors


def test_negative_hours_are_refused(client_for, site_a, lead_a):
    membership = MembershipFactory(site=site_a, role=Role.WORKING, actor=Actor.HEALTH)
    response = client_for(lead_a).post(
        reverse("pilots:membership_update", args=[site_a.slug, membership.pk]),
        {"actor": Actor.HEALTH, "hours_per_week": "-2", "starts_on": "2018-01-15"},
    )
    assert response.status_code == 200
    assert "hours_per_week" in response.context["form"].errors


def test_organisation_of_another_site_cannot_be_chosen(client_for, site_a, site_b, lead_a):
    foreign = Organisation.objects.create(
        name="Annan IFO", kind=OrganisationKind.UNIT, actor=Actor.SOCIAL, parent=site_b.municipality
    )
    membership = MembershipFactory(site=site_a, role=Role.WORKING, actor=Actor.SOCIAL)
    response = client_for(lead_a).post(
        reverse("pilots:membership_update", args=[site_a.slug, membership.pk]),
        {
            "actor": Actor.SOCIAL,
            "organisation": foreign.pk,
            "starts_on": membership.starts_on.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    membership.refresh_from_db()
    assert membership.organisation is None


def test_lead_ends_a_membership_with_date_and_reason(client_for, site_a, lead_a, member_a):
    membership = member_a.memberships.get()
    response = client_for(lead_a).post(
        reverse("pilots:membership_end", args=[site_a.slug, membership.pk]),
        {"ends_on": days_ago(1).isoformat(), "end_reason": "Föräldraledig"},
    )
    assert response.status_code == 302
    assert response.url == reverse("pilots:working_group", args=[site_a.slug])
    membership.refresh_from_db()
    assert membership.ends_on == days_ago(1)
    assert membership.end_reason == "Föräldraledig"
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_ending_needs_a_reason_and_a_date_after_the_start(client_for, site_a, lead_a, member_a):
    membership = member_a.memberships.get()
    response = client_for(lead_a).post(
        reverse("pilots:membership_end", args=[site_a.slug, membership.pk]),
        {"ends_on": (membership.starts_on - datetime.timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "ends_on" in errors and "end_reason" in errors
    membership.refresh_from_db()
    assert membership.ends_on is None


def test_ending_can_lead_straight_on_to_inviting_a_successor(client_for, site_a, lead_a, member_a):
    membership = member_a.memberships.get()
    response = client_for(lead_a).post(
        reverse("pilots:membership_end", args=[site_a.slug, membership.pk]),
        {"ends_on": TODAY().isoformat(), "end_reason": "Slutat", "invite_successor": "on"},
    )
    assert response.status_code == 302
    path, _, query = response.url.partition("?")
    assert path == reverse("accounts:invitation_create", args=[site_a.slug])
    assert f"role={Role.WORKING}" in query
    assert f"succeeds={membership.pk}" in query


def test_an_ended_membership_cannot_be_ended_again(client_for, site_a, lead_a):
    membership = MembershipFactory(
        site=site_a, role=Role.WORKING, starts_on=days_ago(50), ends_on=days_ago(5), end_reason="X"
    )
    response = client_for(lead_a).post(
        reverse("pilots:membership_end", args=[site_a.slug, membership.pk]),
        {"ends_on": TODAY().isoformat(), "end_reason": "Igen"},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.ends_on == days_ago(5) and membership.end_reason == "X"


def test_a_successor_is_shown_with_the_one_they_succeed(client_for, site_a, lead_a):
    before = MembershipFactory(
        site=site_a,
        role=Role.STEERING,
        starts_on=days_ago(300),
        ends_on=days_ago(30),
        user__full_name="Förra Chefen",
    )
    MembershipFactory(
        site=site_a, role=Role.STEERING, succeeds=before, user__full_name="Nya Chefen"
    )
    body = client_for(lead_a).get(reverse("pilots:steering_group", args=[site_a.slug])).content
    text = body.decode()
    assert "Nya Chefen" in text and "Förra Chefen" in text
    assert reverse("accounts:invitation_create", args=[site_a.slug]) in text


def test_another_sites_membership_is_404_through_own_site(client_for, site_a, member_b, lead_a):
    foreign = member_b.memberships.get()
    client = client_for(lead_a)
    for name in ("pilots:membership_update", "pilots:membership_end"):
        url = reverse(name, args=[site_a.slug, foreign.pk])
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"ends_on": TODAY().isoformat(), "end_reason": "x"}).status_code == 404
        )
    foreign.refresh_from_db()
    assert foreign.ends_on is None


def test_steering_member_cannot_end_a_membership(client_for, site_a, steering_a, member_a):
    membership = member_a.memberships.get()
    response = client_for(steering_a).post(
        reverse("pilots:membership_end", args=[site_a.slug, membership.pk]),
        {"ends_on": TODAY().isoformat(), "end_reason": "x"},
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.ends_on is None


def test_group_page_queries_stay_bounded(client_for, site_a, lead_a, django_assert_max_num_queries):
    for i in range(20):
        former = MembershipFactory(
            site=site_a,
            role=Role.WORKING,
            starts_on=days_ago(200),
            ends_on=days_ago(i + 1),
            end_reason="Slutat",
        )
        MembershipFactory(site=site_a, role=Role.WORKING, actor=Actor.HEALTH, succeeds=former)
    client = client_for(lead_a)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("pilots:working_group", args=[site_a.slug])).status_code == 200


def test_group_overview_adds_up_the_working_group(site_a, site_b, lead_a, member_a):
    """PilotSite.group_overview: members per actor, hours per set-aside actor, the leads and
    the former members, counted from the site's memberships only."""
    for hours, planned in (("6", "8"), ("2.5", None)):
        MembershipFactory(
            site=site_a,
            role=Role.WORKING,
            actor=Actor.SOCIAL,
            hours_per_week=Decimal(hours),
            planned_hours_per_week=Decimal(planned) if planned else None,
        )
    MembershipFactory(
        site=site_a, role=Role.WORKING, actor=Actor.HEALTH, hours_per_week=Decimal("4")
    )
    MembershipFactory(site=site_a, role=Role.WORKING, actor="")
    gone = MembershipFactory(
        site=site_a,
        role=Role.WORKING,
        actor=Actor.HEALTH,
        hours_per_week=Decimal("20"),
        starts_on=days_ago(100),
        ends_on=days_ago(10),
        end_reason="Ny tjänst",
    )
    MembershipFactory(site=site_a, role=Role.STEERING, actor=Actor.SOCIAL)
    MembershipFactory(site=site_b, role=Role.WORKING, actor=Actor.SOCIAL, hours_per_week=9)

    group = site_a.group_overview(Role.WORKING)

    counts = {actor: len(members) for actor, _label, members in group.sections}
    # member_a is of the school; the one without an actor gets a section of their own.
    assert counts == {Actor.SCHOOL: 1, Actor.SOCIAL: 2, Actor.HEALTH: 1, "": 1}
    hours = {row["actor"]: row for row in group.hours}
    assert set(hours) == {Actor.SOCIAL.label, Actor.HEALTH.label}
    assert hours[Actor.SOCIAL.label] == {
        "actor": Actor.SOCIAL.label,
        "set_aside": Decimal("8.5"),
        "planned": Decimal("8"),
        "people": 2,
    }
    # The former member's 20 hours no longer count.
    assert (hours[Actor.HEALTH.label]["set_aside"], hours[Actor.HEALTH.label]["people"]) == (4, 1)
    assert [m.user for m in group.leads] == [lead_a]
    assert group.former == [gone]
    assert group.has_current


def test_group_overview_of_an_empty_steering_group(site_a, lead_a):
    group = site_a.group_overview(Role.STEERING)
    assert group.hours is None  # time set aside is the working group's
    assert not group.has_current and group.former == []
    assert [len(members) for _actor, _label, members in group.sections] == [0, 0, 0]
