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


# --- Units several sites share: only coordinators change them --------------------------------


@pytest.fixture
def shared_region(site_a, site_b):
    """Site B moves into site A's region: the region's units serve both sites now."""
    site_b.region = site_a.region
    site_b.save()
    return site_a.region


def test_a_lead_cannot_rename_a_regional_unit_another_site_uses(
    client_for, site_a, site_b, lead_a, shared_region
):
    clinic = add_unit(site_a, actor=Actor.HEALTH, name="BUP-mottagningen", parent=shared_region)
    assert clinic in site_b.units()
    url = reverse("pilots:organisation_update", args=[site_a.slug, clinic.pk])
    client = client_for(lead_a)

    response = client.get(url)
    assert response.status_code == 403
    assert "bara de nationella samordnarna ändrar den" in response.content.decode()
    response = client.post(
        url, {"name": "Kapad", "actor": Actor.HEALTH, "parent": clinic.parent_id}
    )
    assert response.status_code == 403
    clinic.refresh_from_db()
    assert clinic.name == "BUP-mottagningen"


def test_a_lead_cannot_change_a_unit_another_site_has_in_its_triad(
    client_for, site_a, site_b, lead_a
):
    unit = add_unit(site_a, actor=Actor.SOCIAL)
    site_b.social_actor = unit
    site_b.save()
    url = reverse("pilots:organisation_update", args=[site_a.slug, unit.pk])
    assert client_for(lead_a).get(url).status_code == 403


def test_a_coordinator_changes_a_shared_unit_and_is_told_it_is_shared(
    client_for, site_a, coordinator, shared_region
):
    clinic = add_unit(site_a, actor=Actor.HEALTH, name="BUP-mottagningen", parent=shared_region)
    url = reverse("pilots:organisation_update", args=[site_a.slug, clinic.pk])
    client = client_for(coordinator)
    assert "Andra pilotområden använder också den här enheten" in client.get(url).content.decode()
    response = client.post(
        url, {"name": "BUP Region", "actor": Actor.HEALTH, "parent": shared_region.pk}
    )
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.name == "BUP Region"


def test_a_lead_edits_the_units_their_site_alone_uses(client_for, site_a, lead_a, site_b):
    """Units of the site's own municipality, and of a region no other site is in."""
    for parent in (site_a.municipality, site_a.region):
        unit = add_unit(site_a, actor=Actor.HEALTH, name=f"Enhet {parent.pk}", parent=parent)
        assert not unit.is_shared()
        response = client_for(lead_a).post(
            reverse("pilots:organisation_update", args=[site_a.slug, unit.pk]),
            {"name": "Nytt namn", "actor": Actor.HEALTH, "parent": parent.pk},
        )
        assert response.status_code == 302
        unit.refresh_from_db()
        assert unit.name == "Nytt namn"


def test_which_organisations_are_shared(site_a, site_b, shared_region):
    own = add_unit(site_a)
    nested = add_unit(site_a, name="Mottagningen", parent=own)
    regional = add_unit(site_a, actor=Actor.HEALTH, parent=shared_region)
    regional_nested = add_unit(site_a, actor=Actor.HEALTH, name="Teamet", parent=regional)
    assert set(regional.sites_using()) == {site_a, site_b}
    assert set(nested.sites_using()) == {site_a}
    assert shared_region.is_shared() and site_a.municipality.is_shared() is False
    assert [u.is_shared() for u in (own, nested, regional, regional_nested)] == [
        False,
        False,
        True,
        True,
    ]
    # The same answers, counted for a whole list in one query.
    counted = {
        o.pk: o.is_shared()
        for o in Organisation.objects.filter(
            pk__in=[own.pk, nested.pk, regional.pk, regional_nested.pk]
        ).with_site_count()
    }
    assert counted == {own.pk: False, nested.pk: False, regional.pk: True, regional_nested.pk: True}


def test_the_organisation_list_offers_no_edit_for_a_shared_unit(
    client_for, site_a, lead_a, coordinator, shared_region
):
    add_unit(site_a, actor=Actor.SOCIAL, name="IFO")
    clinic = add_unit(site_a, actor=Actor.HEALTH, name="BUP-mottagningen", parent=shared_region)
    url = reverse("pilots:organisation_list", args=[site_a.slug])
    edit = reverse("pilots:organisation_update", args=[site_a.slug, clinic.pk])
    page = client_for(lead_a).get(url).content.decode()
    assert edit not in page and "Delas med andra områden" in page
    assert edit in client_for(coordinator).get(url).content.decode()
