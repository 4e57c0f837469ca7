"""Organisations: a lead looks after the units of their site's municipality and region;
coordinators look after every organisation of the programme."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from pilots.models import Actor, Organisation, OrganisationKind


def add_unit(site, actor=Actor.SOCIAL, name="Individ- och familjeomsorgen", parent=None):
    return Organisation.objects.create(
        name=name, kind=OrganisationKind.UNIT, actor=actor, parent=parent or site.municipality
    )


def test_lead_adds_a_unit_to_the_sites_municipality(client_for, site_a, lead_a):
    response = client_for(lead_a).post(
        reverse("pilots:organisation_create", args=[site_a.slug]),
        {"name": "Elevhälsan", "actor": Actor.SCHOOL, "parent": site_a.municipality.pk},
    )
    assert response.status_code == 302
    unit = Organisation.objects.get(name="Elevhälsan")
    assert unit.kind == OrganisationKind.UNIT
    assert unit.parent == site_a.municipality
    assert unit in site_a.units()


def test_a_unit_needs_its_actor(client_for, site_a, lead_a):
    response = client_for(lead_a).post(
        reverse("pilots:organisation_create", args=[site_a.slug]),
        {"name": "Elevhälsan", "actor": "", "parent": site_a.municipality.pk},
    )
    assert response.status_code == 200
    assert "actor" in response.context["form"].errors
    assert not Organisation.objects.filter(name="Elevhälsan").exists()


def test_a_unit_cannot_be_placed_under_another_sites_municipality(
    client_for, site_a, site_b, lead_a
):
    response = client_for(lead_a).post(
        reverse("pilots:organisation_create", args=[site_a.slug]),
        {"name": "Smygenheten", "actor": Actor.SOCIAL, "parent": site_b.municipality.pk},
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert not Organisation.objects.filter(name="Smygenheten").exists()


def test_two_units_with_the_same_name_in_one_parent_are_refused(client_for, site_a, lead_a):
    add_unit(site_a)
    response = client_for(lead_a).post(
        reverse("pilots:organisation_create", args=[site_a.slug]),
        {
            "name": "individ- och familjeomsorgen",
            "actor": Actor.SOCIAL,
            "parent": site_a.municipality.pk,
        },
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors


def test_a_unit_can_sit_within_a_unit(client_for, site_a, lead_a):
    parent = add_unit(
        site_a, actor=Actor.HEALTH, name="Barn- och ungdomshälsan", parent=site_a.region
    )
    response = client_for(lead_a).post(
        reverse("pilots:organisation_create", args=[site_a.slug]),
        {"name": "BUP-mottagningen", "actor": Actor.HEALTH, "parent": parent.pk},
    )
    assert response.status_code == 302
    assert Organisation.objects.get(name="BUP-mottagningen") in site_a.units()


def test_lead_edits_a_unit(client_for, site_a, lead_a):
    unit = add_unit(site_a)
    response = client_for(lead_a).post(
        reverse("pilots:organisation_update", args=[site_a.slug, unit.pk]),
        {"name": "Socialtjänsten", "actor": Actor.SOCIAL, "parent": site_a.municipality.pk},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "Socialtjänsten"


def test_a_unit_cannot_be_moved_under_itself(client_for, site_a, lead_a):
    unit = add_unit(site_a)
    child = add_unit(site_a, name="Mottagningen", parent=unit)
    response = client_for(lead_a).post(
        reverse("pilots:organisation_update", args=[site_a.slug, unit.pk]),
        {"name": unit.name, "actor": Actor.SOCIAL, "parent": child.pk},
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors


def test_another_sites_unit_is_404_through_own_site(client_for, site_a, site_b, lead_a):
    foreign = add_unit(site_b)
    url = reverse("pilots:organisation_update", args=[site_a.slug, foreign.pk])
    client = client_for(lead_a)
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Kapad", "actor": Actor.SOCIAL}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "Individ- och familjeomsorgen"


def test_the_municipality_itself_is_not_edited_by_a_lead(client_for, site_a, lead_a):
    url = reverse("pilots:organisation_update", args=[site_a.slug, site_a.municipality.pk])
    assert client_for(lead_a).get(url).status_code == 404


def test_organisation_list_groups_units_by_actor(client_for, site_a, member_a):
    add_unit(site_a, actor=Actor.SOCIAL, name="IFO")
    add_unit(site_a, actor=Actor.HEALTH, name="BUH", parent=site_a.region)
    response = client_for(member_a).get(reverse("pilots:organisation_list", args=[site_a.slug]))
    groups = dict(response.context["by_actor"])
    assert [u.name for u in groups[Actor.SOCIAL.label]] == ["IFO"]
    assert [u.name for u in groups[Actor.HEALTH.label]] == ["BUH"]
    assert (
        reverse("pilots:organisation_create", args=[site_a.slug]) not in response.content.decode()
    )


def test_member_cannot_add_a_unit(client_for, site_a, member_a):
    response = client_for(member_a).post(
        reverse("pilots:organisation_create", args=[site_a.slug]),
        {"name": "X", "actor": Actor.SOCIAL, "parent": site_a.municipality.pk},
    )
    assert response.status_code == 403


def test_database_refuses_a_unit_without_an_actor(site_a):
    with pytest.raises(IntegrityError):
        Organisation.objects.create(
            name="Utan aktör", kind=OrganisationKind.UNIT, parent=site_a.municipality
        )


# --- Programme level ----------------------------------------------------------------------


def test_coordinator_adds_a_region(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("pilots:programme_organisation_create"),
        {"name": "Region Demo", "kind": OrganisationKind.REGION, "actor": "", "parent": ""},
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Region Demo", kind=OrganisationKind.REGION).exists()


def test_a_municipality_is_not_part_of_anything(client_for, coordinator, site_a):
    response = client_for(coordinator).post(
        reverse("pilots:programme_organisation_create"),
        {
            "name": "Kommunen",
            "kind": OrganisationKind.MUNICIPALITY,
            "parent": site_a.region.pk,
        },
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors


def test_coordinator_unit_needs_a_parent_and_actor(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("pilots:programme_organisation_create"),
        {"name": "Enheten", "kind": OrganisationKind.UNIT},
    )
    errors = response.context["form"].errors
    assert "parent" in errors and "actor" in errors


def test_programme_list_filters_by_kind(client_for, coordinator, site_a, site_b):
    add_unit(site_a)
    response = client_for(coordinator).get(
        reverse("pilots:programme_organisation_list"), {"kind": OrganisationKind.REGION}
    )
    names = [row.record.name for row in response.context["table"].rows]
    assert sorted(names) == sorted([site_a.region.name, site_b.region.name])


def test_programme_list_queries_stay_bounded(
    client_for, coordinator, site_a, django_assert_max_num_queries
):
    for i in range(30):
        add_unit(site_a, name=f"Enhet {i}")
    client = client_for(coordinator)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("pilots:programme_organisation_list")).status_code == 200


def test_lead_cannot_open_the_programme_list(client_for, lead_a):
    assert client_for(lead_a).get(reverse("pilots:programme_organisation_list")).status_code == 403


def test_programme_list_names_the_sites_an_organisation_serves(client_for, coordinator, site_a):
    triad_unit = add_unit(site_a, name="IFO A")
    site_a.social_actor = triad_unit
    site_a.save()
    response = client_for(coordinator).get(
        reverse("pilots:programme_organisation_list"), {"name": "IFO A"}
    )
    (row,) = response.context["table"].rows
    assert row.get_cell("sites") == site_a.name
