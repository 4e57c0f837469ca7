"""General interventions: PALS, YAM and others, per school, with sessions and fidelity."""

import pytest
from django.urls import reverse

from cases.models import FidelityCheck, Intervention, InterventionProgramme, InterventionSession
from tests.cases.factories import InterventionFactory, InterventionSessionFactory
from tests.pilots.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_pals_and_yam_are_offered_from_the_start():
    programmes = {p.short_name: p for p in InterventionProgramme.objects.all()}
    assert {"PALS", "YAM"} <= set(programmes)
    assert programmes["YAM"].fidelity_items.count() >= 5


def test_a_member_adds_yam_at_a_school(client_for, member_a, site_a, urls):
    yam = InterventionProgramme.objects.get(short_name="YAM")
    response = client_for(member_a).post(
        urls("intervention_create"),
        {
            "programme": yam.pk,
            "school": site_a.schools.first().pk,
            "status": "running",
            "groups_reached": "4",
        },
    )
    intervention = Intervention.objects.get()
    assert response.url == intervention.get_absolute_url()
    assert (intervention.site, intervention.groups_reached) == (site_a, 4)


def test_a_school_has_a_programme_once(client_for, member_a, site_a, urls):
    existing = InterventionFactory(site=site_a)
    response = client_for(member_a).post(
        urls("intervention_create"),
        {
            "programme": existing.programme.pk,
            "school": existing.school.pk,
            "status": "running",
            "groups_reached": "1",
        },
    )
    assert "programme" in response.context["form"].errors


def test_another_sites_school_is_refused(client_for, member_a, site_b, urls):
    yam = InterventionProgramme.objects.get(short_name="YAM")
    response = client_for(member_a).post(
        urls("intervention_create"),
        {
            "programme": yam.pk,
            "school": site_b.schools.first().pk,
            "status": "running",
            "groups_reached": "1",
        },
    )
    assert "school" in response.context["form"].errors
    assert not Intervention.objects.exists()


def test_sessions_are_logged_and_summed(client_for, member_a, site_a, urls):
    intervention = InterventionFactory(site=site_a)
    client = client_for(member_a)
    for day in ("2018-10-02", "2018-10-09"):
        client.post(
            urls("session_create", pk=intervention.pk),
            {"held_on": day, "instructors": "Två YAM-instruktörer", "pupils_reached": "25"},
        )
    assert InterventionSession.objects.count() == 2
    assert client.get(intervention.get_absolute_url()).context["pupils"] == 50


def test_pnr_in_a_session_note_is_refused(client_for, member_a, site_a, urls):
    intervention = InterventionFactory(site=site_a)
    response = client_for(member_a).post(
        urls("session_create", pk=intervention.pk),
        {
            "held_on": "2018-10-02",
            "instructors": "Två",
            "pupils_reached": "25",
            "note": "Gällde eleven 640823-3234.",
        },
    )
    assert response.status_code == 200
    assert not InterventionSession.objects.exists()


def test_the_fidelity_checklist_is_assessed(client_for, member_a, site_a, urls):
    intervention = InterventionFactory(site=site_a)
    first, second = intervention.programme.fidelity_items.all()[:2]
    client = client_for(member_a)
    client.post(
        urls("intervention_fidelity", pk=intervention.pk),
        {
            f"item-{first.pk}": "met",
            f"item-{second.pk}": "partly",
            f"note-{second.pk}": "Saknar hjälpinstruktör.",
        },
    )
    checks = {c.item_id: c for c in FidelityCheck.objects.all()}
    assert checks[first.pk].status == "met"
    assert checks[second.pk].note == "Saknar hjälpinstruktör."
    assert client.get(intervention.get_absolute_url()).context["met"] == 1


def test_another_sites_session_is_404(client_for, member_a, site_a, site_b, urls):
    own = InterventionFactory(site=site_a)
    foreign = InterventionSessionFactory(intervention=InterventionFactory(site=site_b))
    assert (
        client_for(member_a).get(urls("session_edit", pk=own.pk, session_pk=foreign.pk)).status_code
        == 404
    )


def test_coordinators_add_a_programme_with_its_checklist(client_for, coordinator):
    data = {
        "short_name": "KOMET",
        "name": "Kommunikationsmetod",
        "description": "",
        "is_active": "on",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-text": "Gruppledarna är utbildade.",
        "items-1-text": "Alla träffar hålls.",
        "items-2-text": "",
    }
    client_for(coordinator).post(reverse("cases:programme_create"), data)
    programme = InterventionProgramme.objects.get(short_name="KOMET")
    assert [i.text for i in programme.fidelity_items.all()] == [
        "Gruppledarna är utbildade.",
        "Alla träffar hålls.",
    ]


def test_the_intervention_list_keeps_its_queries(
    client_for, member_a, site_a, urls, django_assert_max_num_queries
):
    client = client_for(member_a)
    InterventionFactory(site=site_a)
    with django_assert_max_num_queries(15) as small:
        client.get(urls("intervention_list"))
    for i in range(10):
        InterventionSessionFactory(
            intervention=InterventionFactory(
                site=site_a, school=SchoolFactory(site=site_a, name=f"Skola {i}x")
            )
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(urls("intervention_list"))
