"""General interventions: PALS, YAM and others, per school, with sessions and fidelity."""

import re

import pytest
from django.urls import reverse

from cases.models import (
    FidelityCheck,
    Intervention,
    InterventionGroup,
    InterventionProgramme,
    InterventionSession,
    Reach,
    StartingPoint,
)
from tests.cases.factories import (
    InterventionFactory,
    InterventionGroupFactory,
    InterventionSessionFactory,
)
from tests.pilots.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_pals_and_yam_are_offered_from_the_start():
    programmes = {p.short_name: p for p in InterventionProgramme.objects.all()}
    assert {"PALS", "YAM"} <= set(programmes)
    assert programmes["YAM"].fidelity_items.count() >= 5


def intervention_data(programme, school, *groups, **fields):
    """The intervention form as posted, with its groups' rows: (name, size) each."""
    data = {
        "programme": programme.pk,
        "school": school.pk,
        "status": "running",
        "groups-TOTAL_FORMS": str(len(groups)),
        "groups-INITIAL_FORMS": "0",
        "groups-MIN_NUM_FORMS": "0",
        "groups-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for i, (name, size) in enumerate(groups):
        data[f"groups-{i}-name"], data[f"groups-{i}-size"] = name, str(size)
    return data


def session_data(day, *groups, attendance):
    return {
        "held_on": day,
        "instructors": "Två YAM-instruktörer",
        "groups": [g.pk for g in groups],
        "attendance": str(attendance),
    }


def test_a_member_adds_yam_at_a_school_with_its_classes(client_for, member_a, site_a, urls):
    yam = InterventionProgramme.objects.get(short_name="YAM")
    client = client_for(member_a)
    form = client.get(urls("intervention_create")).context["form"]
    # A programme for everyone at a school is promotive and preventive work, unless changed.
    assert form["starting_points"].value() == [StartingPoint.PROMOTIVE]
    response = client.post(
        urls("intervention_create"),
        intervention_data(
            yam,
            site_a.schools.first(),
            ("8A", 24),
            ("8B", 25),
            starting_points=[StartingPoint.PROMOTIVE, StartingPoint.SEEK_HELP],
        ),
    )
    intervention = Intervention.objects.get()
    assert response.url == intervention.get_absolute_url()
    assert intervention.site == site_a
    assert sorted(intervention.groups.values_list("name", "size")) == [("8A", 24), ("8B", 25)]
    assert intervention.starting_points == ["promotive", "seek_help"]
    page = client.get(intervention.get_absolute_url()).content.decode()
    assert "Stärka det främjande och förebyggande arbetet" in page
    # No session yet: the classes are recorded, not reached.
    assert intervention.reach() == Reach()


def test_an_unknown_starting_point_is_refused(client_for, member_a, site_a, urls):
    yam = InterventionProgramme.objects.get(short_name="YAM")
    response = client_for(member_a).post(
        urls("intervention_create"),
        intervention_data(yam, site_a.schools.first(), starting_points=["everything"]),
    )
    assert "starting_points" in response.context["form"].errors
    assert not Intervention.objects.exists()


def test_a_school_has_a_programme_once(client_for, member_a, site_a, urls):
    existing = InterventionFactory(site=site_a)
    response = client_for(member_a).post(
        urls("intervention_create"), intervention_data(existing.programme, existing.school)
    )
    assert "programme" in response.context["form"].errors


def test_another_sites_school_is_refused(client_for, member_a, site_b, urls):
    yam = InterventionProgramme.objects.get(short_name="YAM")
    response = client_for(member_a).post(
        urls("intervention_create"), intervention_data(yam, site_b.schools.first(), ("8A", 24))
    )
    assert "school" in response.context["form"].errors
    assert not Intervention.objects.exists()
    assert not InterventionGroup.objects.exists()


def test_a_class_of_96_with_three_sessions_counts_96_pupils(client_for, member_a, site_a, urls):
    """The finding: 96 + 92 + 88 = 276 "pupils reached" for one year group. A group counts
    once, with its size; the three sessions and their attendance are figures of their own."""
    intervention = InterventionFactory(site=site_a)
    year_8 = InterventionGroupFactory(intervention=intervention, name="Åk 8", size=96)
    client = client_for(member_a)
    for day, present in (("2018-10-02", 96), ("2018-10-09", 92), ("2018-10-16", 88)):
        client.post(
            urls("session_create", pk=intervention.pk),
            session_data(day, year_8, attendance=present),
        )
    assert InterventionSession.objects.count() == 3
    expected = Reach(groups=1, pupils=96, sessions=3, attendance=276)
    response = client.get(intervention.get_absolute_url())
    assert response.context["reach"] == expected
    figures = dict(
        re.findall(
            r'text-body-secondary">([^<]+)</div><div class="fs-4[^>]*>(\d+)<',
            (response.content.decode()),
        )
    )
    assert figures["Nådda elever"] == "96"
    assert figures["Närvaro"] == "276"
    assert figures["Genomförda pass"] == "3"
    listed = client.get(urls("intervention_list")).context["rows"]
    assert listed == [(intervention, expected)]


def test_two_groups_count_their_sizes_once_each(member_a, site_a):
    intervention = InterventionFactory(site=site_a)
    big = InterventionGroupFactory(intervention=intervention, size=96)
    small = InterventionGroupFactory(intervention=intervention, size=25)
    unreached = InterventionGroupFactory(intervention=intervention, size=30)
    InterventionSessionFactory(intervention=intervention, groups=[big, small], attendance=115)
    InterventionSessionFactory(intervention=intervention, groups=[big], attendance=90)
    InterventionSessionFactory(intervention=intervention, groups=[small], attendance=25)
    # 96 + 25: the third group has had no session.
    assert intervention.reach() == Reach(groups=2, pupils=121, sessions=3, attendance=230)
    assert unreached.sessions.count() == 0


def test_attendance_is_at_most_the_groups_chosen(client_for, member_a, site_a, urls):
    intervention = InterventionFactory(site=site_a)
    a = InterventionGroupFactory(intervention=intervention, size=24)
    InterventionGroupFactory(intervention=intervention, size=25)
    response = client_for(member_a).post(
        urls("session_create", pk=intervention.pk),
        session_data("2018-10-02", a, attendance=30),
    )
    assert "attendance" in response.context["form"].errors
    assert not InterventionSession.objects.exists()


def test_a_session_takes_only_its_own_interventions_groups(client_for, member_a, site_a, urls):
    intervention = InterventionFactory(site=site_a)
    other = InterventionFactory(site=site_a, school=SchoolFactory(site=site_a, name="Annan skola"))
    foreign = InterventionGroupFactory(intervention=other, size=24)
    client = client_for(member_a)
    response = client.post(
        urls("session_create", pk=intervention.pk),
        session_data("2018-10-02", foreign, attendance=20),
    )
    assert "groups" in response.context["form"].errors
    response = client.post(
        urls("session_create", pk=intervention.pk),
        {"held_on": "2018-10-02", "instructors": "Två", "attendance": "20"},
    )
    assert "groups" in response.context["form"].errors
    assert not InterventionSession.objects.exists()


def test_a_group_that_took_part_is_not_removed(client_for, member_a, site_a, urls):
    session = InterventionSessionFactory(intervention=InterventionFactory(site=site_a))
    intervention, group = session.intervention, session.groups.get()
    data = intervention_data(intervention.programme, intervention.school, status="running")
    data.update(
        {
            "groups-TOTAL_FORMS": "1",
            "groups-INITIAL_FORMS": "1",
            "groups-0-id": str(group.pk),
            "groups-0-name": group.name,
            "groups-0-size": str(group.size),
            "groups-0-DELETE": "on",
        }
    )
    response = client_for(member_a).post(urls("intervention_edit", pk=intervention.pk), data)
    assert response.status_code == 200
    assert response.context["groups"].non_form_errors()
    assert InterventionGroup.objects.filter(pk=group.pk).exists()


def test_pnr_in_a_session_note_is_refused(client_for, member_a, site_a, urls):
    intervention = InterventionFactory(site=site_a)
    group = InterventionGroupFactory(intervention=intervention)
    response = client_for(member_a).post(
        urls("session_create", pk=intervention.pk),
        {**session_data("2018-10-02", group, attendance=20), "note": "Gällde eleven 640823-3234."},
    )
    assert response.status_code == 200
    assert not InterventionSession.objects.exists()


def test_the_programmes_reach_counts_each_group_once_across_sites(
    client_for, coordinator, site_a, site_b
):
    """Nationally: YAM at two sites, a year group of 96 and a class of 25 with three sessions
    each, reach 121 pupils (summed over the sessions they made 351)."""
    for site, size in ((site_a, 96), (site_b, 25)):
        intervention = InterventionFactory(site=site)
        group = InterventionGroupFactory(intervention=intervention, size=size)
        for present in (size, size - 2, size - 4):
            InterventionSessionFactory(
                intervention=intervention, groups=[group], attendance=present
            )
    rows = dict(client_for(coordinator).get(reverse("cases:programme_list")).context["rows"])
    yam = InterventionProgramme.objects.get(short_name="YAM")
    assert rows[yam] == Reach(groups=2, pupils=121, sessions=6, attendance=351)


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
