"""A site's home (what it is, what to do next) and editing the site and its phase."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from pilots.models import (
    ActionStatus,
    Actor,
    DocumentKind,
    Organisation,
    OrganisationKind,
    Phase,
    PhaseChange,
    Role,
)
from pilots.scoping import site_and_access
from tests.pilots.factories import (
    ActionFactory,
    DecisionFactory,
    MembershipFactory,
    PlanDocumentFactory,
    SchoolFactory,
    SteeringMeetingFactory,
)


def unit(site, actor, name=None, parent=None):
    return Organisation.objects.create(
        name=name or f"{Actor(actor).label} {site.slug}",
        kind=OrganisationKind.UNIT,
        actor=actor,
        parent=parent or site.municipality,
    )


def complete(site, lead):
    """Give a site everything next_steps asks for."""
    site.school_actor = unit(site, Actor.SCHOOL)
    site.social_actor = unit(site, Actor.SOCIAL)
    site.health_actor = unit(site, Actor.HEALTH, parent=site.region)
    site.save()
    for role in (Role.STEERING, Role.WORKING):
        for actor in Actor:
            MembershipFactory(site=site, role=role, actor=actor)
    meeting = SteeringMeetingFactory(site=site)
    decision = DecisionFactory(meeting=meeting)
    ActionFactory(site=site, decision=decision)
    for kind in DocumentKind:
        document = PlanDocumentFactory(site=site, kind=kind)
        version = document.add_version(sections={"aim": "Mål", "needs": "Behov"}, author=lead)
        document.approve(version, on=timezone.localdate(), by=lead)


def access_for(user, site):
    return site_and_access(user, site.slug)[1]


def keys(site, user):
    return [step.key for step in site.next_steps(access_for(user, site))]


# --- next_steps ---------------------------------------------------------------------------


def test_new_site_is_told_to_build_its_triad_groups_and_plans(site_a, lead_a):
    assert keys(site_a, lead_a) == [
        "triad",
        "steering_empty",
        "working_empty",
        "needs_analysis_missing",
        "project_plan_missing",
        "action_plan_missing",
        "meetings",
    ]


def test_a_site_with_everything_in_place_has_no_next_steps(site_a, lead_a):
    complete(site_a, lead_a)
    assert keys(site_a, lead_a) == []


def test_site_without_active_schools_is_asked_to_add_them(site_a, lead_a):
    site_a.schools.update(is_active=False)
    assert "schools" in keys(site_a, lead_a)


def test_missing_actor_in_working_group_is_named(site_a, lead_a):
    complete(site_a, lead_a)
    site_a.memberships.filter(role=Role.WORKING, actor=Actor.HEALTH).update(
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
        starts_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    steps = site_a.next_steps(access_for(lead_a, site_a))
    assert [s.key for s in steps] == ["working_actors"]
    assert any(word in steps[0].todo.lower() for word in ("healthcare", "sjukvård"))


def test_unapproved_plan_asks_for_approval(site_a, lead_a):
    complete(site_a, lead_a)
    document = site_a.documents.get(kind=DocumentKind.ACTION_PLAN)
    document.add_version(sections={"activities": "Nytt"}, author=lead_a)
    document.versions.update(approved_on=None)
    document.approved_version = None
    document.save()
    assert keys(site_a, lead_a) == ["action_plan_approval"]


def test_overdue_actions_are_urgent(site_a, lead_a):
    complete(site_a, lead_a)
    ActionFactory(site=site_a, due_on=timezone.localdate() - datetime.timedelta(days=1))
    ActionFactory(
        site=site_a,
        due_on=timezone.localdate() - datetime.timedelta(days=1),
        status=ActionStatus.DONE,
    )
    steps = site_a.next_steps(access_for(lead_a, site_a))
    assert [s.key for s in steps] == ["overdue"]
    assert steps[0].urgent
    assert steps[0].todo.startswith("1 ")


def test_decisions_without_actions_are_pointed_out(site_a, lead_a):
    complete(site_a, lead_a)
    DecisionFactory(meeting=site_a.steering_meetings.first())
    assert keys(site_a, lead_a) == ["decisions"]


def test_manager_links_to_forms_and_member_to_pages(site_a, lead_a, member_a):
    lead_urls = {s.key: s.url for s in site_a.next_steps(access_for(lead_a, site_a))}
    member_urls = {s.key: s.url for s in site_a.next_steps(access_for(member_a, site_a))}
    assert lead_urls["triad"] == reverse("pilots:site_update", args=[site_a.slug])
    assert member_urls["triad"] == reverse("pilots:site_home", args=[site_a.slug])
    assert lead_urls["project_plan_missing"].endswith("/edit/")
    assert not member_urls["project_plan_missing"].endswith("/edit/")


# --- The site home ----------------------------------------------------------------------------


def test_site_home_shows_what_the_site_is(client_for, site_a, lead_a):
    social = unit(site_a, Actor.SOCIAL, name="Individ- och familjeomsorgen")
    site_a.social_actor = social
    site_a.save()
    response = client_for(lead_a).get(site_a.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert site_a.municipality.name in body
    assert site_a.region.name in body
    assert "Individ- och familjeomsorgen" in body
    assert "Skola A" in body
    assert "Bob Projektledare" in body


def test_lead_sees_what_to_do_and_member_sees_where_things_stand(
    client_for, site_a, lead_a, member_a
):
    lead_page = client_for(lead_a).get(site_a.get_absolute_url()).content.decode()
    assert reverse("pilots:site_update", args=[site_a.slug]) in lead_page
    member_page = client_for(member_a).get(site_a.get_absolute_url()).content.decode()
    assert reverse("pilots:site_update", args=[site_a.slug]) not in member_page
    step = site_a.next_steps(access_for(member_a, site_a))[0]
    assert str(step.status) in member_page


def test_site_home_shows_the_phase_history(client_for, site_a, coordinator):
    site_a.set_phase(Phase.PLANNING, by=coordinator, note="Styrgruppen har beslutat")
    body = client_for(coordinator).get(site_a.get_absolute_url()).content.decode()
    assert "Styrgruppen har beslutat" in body


def test_site_home_queries_stay_bounded(client_for, site_a, lead_a, django_assert_max_num_queries):
    complete(site_a, lead_a)
    for _ in range(5):
        SchoolFactory(site=site_a)
        SteeringMeetingFactory(site=site_a)
    client = client_for(lead_a)
    with django_assert_max_num_queries(30):
        assert client.get(site_a.get_absolute_url()).status_code == 200


# --- Editing the site -------------------------------------------------------------------------


def test_lead_chooses_the_triad_among_the_sites_units(client_for, site_a, lead_a):
    school, social = unit(site_a, Actor.SCHOOL), unit(site_a, Actor.SOCIAL)
    health = unit(site_a, Actor.HEALTH, parent=site_a.region)
    response = client_for(lead_a).post(
        reverse("pilots:site_update", args=[site_a.slug]),
        {
            "name": "Område A",
            "school_actor": school.pk,
            "social_actor": social.pk,
            "health_actor": health.pk,
        },
    )
    assert response.status_code == 302
    site_a.refresh_from_db()
    assert site_a.triad_complete


def test_another_sites_unit_cannot_be_chosen(client_for, site_a, site_b, lead_a):
    foreign = unit(site_b, Actor.SOCIAL)
    response = client_for(lead_a).post(
        reverse("pilots:site_update", args=[site_a.slug]),
        {"name": "Område A", "social_actor": foreign.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["social_actor"]
    site_a.refresh_from_db()
    assert site_a.social_actor is None


def test_a_unit_of_the_wrong_actor_is_not_offered(client_for, site_a, lead_a):
    social = unit(site_a, Actor.SOCIAL)
    response = client_for(lead_a).get(reverse("pilots:site_update", args=[site_a.slug]))
    form = response.context["form"]
    assert social in form.fields["social_actor"].queryset
    assert social not in form.fields["health_actor"].queryset


def test_site_name_is_required(client_for, site_a, lead_a):
    response = client_for(lead_a).post(
        reverse("pilots:site_update", args=[site_a.slug]), {"name": ""}
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors


def test_member_cannot_edit_the_site(client_for, site_a, member_a):
    response = client_for(member_a).post(
        reverse("pilots:site_update", args=[site_a.slug]), {"name": "Kapat"}
    )
    assert response.status_code == 403
    site_a.refresh_from_db()
    assert site_a.name == "Område A"


# --- The phase --------------------------------------------------------------------------------


def test_coordinator_changes_the_phase_and_it_is_recorded(client_for, site_a, coordinator):
    response = client_for(coordinator).post(
        reverse("pilots:site_phase", args=[site_a.slug]),
        {"phase": Phase.TESTING, "note": "Klara för praktiska test"},
    )
    assert response.status_code == 302
    site_a.refresh_from_db()
    assert site_a.phase == Phase.TESTING
    change = PhaseChange.objects.get(site=site_a)
    assert change.changed_by == coordinator
    assert change.note == "Klara för praktiska test"
    assert change.from_phase == Phase.REGISTERED


def test_choosing_the_current_phase_is_an_error(client_for, site_a, coordinator):
    response = client_for(coordinator).post(
        reverse("pilots:site_phase", args=[site_a.slug]), {"phase": site_a.phase}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["phase"]
    assert not PhaseChange.objects.exists()


@pytest.mark.parametrize("person", ["lead_a", "steering_a"])
def test_only_coordinators_change_the_phase(client_for, site_a, person, request):
    user = request.getfixturevalue(person)
    response = client_for(user).post(
        reverse("pilots:site_phase", args=[site_a.slug]), {"phase": Phase.CLOSED}
    )
    assert response.status_code == 403
    site_a.refresh_from_db()
    assert site_a.phase == Phase.REGISTERED
