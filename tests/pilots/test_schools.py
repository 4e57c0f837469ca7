"""The schools chosen for the work at a site."""

from django.urls import reverse

from pilots.models import School, SchoolType
from tests.pilots.factories import SchoolFactory


def test_members_see_the_schools_taking_part(client_for, site_a, member_a):
    SchoolFactory(site=site_a, name="Gamla skolan", is_active=False)
    response = client_for(member_a).get(reverse("pilots:school_list", args=[site_a.slug]))
    assert [r.record.name for r in response.context["active_table"].rows] == ["Skola A"]
    assert [r.record.name for r in response.context["former_table"].rows] == ["Gamla skolan"]
    assert reverse("pilots:school_create", args=[site_a.slug]) not in response.content.decode()


def test_list_without_schools_tells_the_lead_what_to_do(client_for, site_a, lead_a):
    site_a.schools.all().delete()
    response = client_for(lead_a).get(reverse("pilots:school_list", args=[site_a.slug]))
    assert response.context["active_table"] is None
    assert reverse("pilots:school_create", args=[site_a.slug]) in response.content.decode()


def test_lead_adds_a_school(client_for, site_a, lead_a):
    response = client_for(lead_a).post(
        reverse("pilots:school_create", args=[site_a.slug]),
        {"name": "Norra skolan", "school_type": SchoolType.LOWER_SECONDARY, "pupils": "420"},
    )
    assert response.status_code == 302
    school = site_a.schools.get(name="Norra skolan")
    assert school.is_active and school.pupils == 420


def test_a_school_needs_a_name_and_type(client_for, site_a, lead_a):
    response = client_for(lead_a).post(reverse("pilots:school_create", args=[site_a.slug]), {})
    assert response.status_code == 200
    assert {"name", "school_type"} <= set(response.context["form"].errors)


def test_the_same_school_name_twice_at_a_site_is_refused(client_for, site_a, lead_a):
    response = client_for(lead_a).post(
        reverse("pilots:school_create", args=[site_a.slug]),
        {"name": "skola a", "school_type": SchoolType.COMPULSORY},
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert site_a.schools.count() == 1


def test_another_site_may_have_a_school_of_the_same_name(client_for, site_a, site_b, lead_a):
    response = client_for(lead_a).post(
        reverse("pilots:school_create", args=[site_a.slug]),
        {"name": "Skola B", "school_type": SchoolType.COMPULSORY},
    )
    assert response.status_code == 302


def test_lead_edits_a_school(client_for, site_a, lead_a):
    school = site_a.schools.get()
    response = client_for(lead_a).post(
        reverse("pilots:school_update", args=[site_a.slug, school.pk]),
        {"name": "Skola A-huset", "school_type": SchoolType.PRIMARY, "is_active": "on"},
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.name == "Skola A-huset" and school.school_type == SchoolType.PRIMARY


def test_school_leaves_the_work_and_its_history_stays(client_for, site_a, lead_a):
    school = site_a.schools.get()
    url = reverse("pilots:school_leave", args=[site_a.slug, school.pk])
    client = client_for(lead_a)
    assert "Skola A" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    school.refresh_from_db()
    assert not school.is_active
    assert School.objects.filter(pk=school.pk).exists()


def test_a_school_comes_back_by_editing_it(client_for, site_a, lead_a):
    school = SchoolFactory(site=site_a, is_active=False)
    client_for(lead_a).post(
        reverse("pilots:school_update", args=[site_a.slug, school.pk]),
        {"name": school.name, "school_type": school.school_type, "is_active": "on"},
    )
    school.refresh_from_db()
    assert school.is_active


def test_another_sites_school_is_404_through_own_site(client_for, site_a, site_b, lead_a):
    foreign = site_b.schools.get()
    client = client_for(lead_a)
    for name in ("pilots:school_update", "pilots:school_leave"):
        url = reverse(name, args=[site_a.slug, foreign.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "Kapad", "school_type": "f9"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active and foreign.name == "Skola B"


def test_member_cannot_remove_a_school(client_for, site_a, member_a):
    school = site_a.schools.get()
    response = client_for(member_a).post(
        reverse("pilots:school_leave", args=[site_a.slug, school.pk])
    )
    assert response.status_code == 403
    school.refresh_from_db()
    assert school.is_active


def test_school_list_queries_stay_bounded(
    client_for, site_a, lead_a, django_assert_max_num_queries
):
    for _ in range(25):
        SchoolFactory(site=site_a)
    client = client_for(lead_a)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("pilots:school_list", args=[site_a.slug])).status_code == 200
