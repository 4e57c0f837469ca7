"""Running the programme: coordinators build it; everyone in it follows the timeline."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pilots.models import Actor, Role
from tests.pilots.factories import MembershipFactory, PilotSiteFactory
from tests.workshops.factories import (
    PDF,
    DeliverableFactory,
    DeliveryFactory,
    MaterialFactory,
    ProgrammeFactory,
    RegistrationFactory,
    WorkshopFactory,
)
from workshops.models import Deliverable, Material, Programme, Registration, Workshop


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def workshop_data(**changes):
    starts = timezone.now() + datetime.timedelta(days=30)
    data = {
        "number": 1,
        "title": "Elevhälsobaserad modell med tidiga insatser för psykisk hälsa",
        "theme": "Start",
        "starts_at": local(starts),
        "ends_at": local(starts + datetime.timedelta(hours=6)),
        "place": "Stockholm",
        "online_link": "",
        "agenda": "Välkommen\nModellen",
        "invited_roles": [Role.LEAD, Role.WORKING],
        "seats_per_site": 4,
        "registration_opens_at": local(timezone.now()),
        "registration_closes_at": local(starts - datetime.timedelta(days=7)),
        "is_published": "on",
    }
    data.update(changes)
    return data


def test_coordinator_creates_a_programme_with_its_sites(client_for, coordinator, site_a, site_b):
    response = client_for(coordinator).post(
        reverse("workshops:programme_create"),
        {
            "name": "Utvecklingsarbetet 2018",
            "description": "",
            "sites": [site_a.pk, site_b.pk],
            "case_retention_days": 730,
        },
    )
    programme = Programme.objects.get()
    assert response.url == programme.get_absolute_url()
    assert set(programme.sites.all()) == {site_a, site_b}
    assert programme.case_retention_days == 730


def test_coordinator_adds_a_workshop(client_for, coordinator, programme):
    response = client_for(coordinator).post(
        reverse("workshops:workshop_create", kwargs={"pk": programme.pk}), workshop_data()
    )
    workshop = Workshop.objects.get()
    assert response.url == workshop.get_absolute_url()
    assert workshop.programme == programme
    assert workshop.invited_roles == [Role.LEAD, Role.WORKING]
    assert workshop.seats_per_site == 4


def test_workshop_registration_must_close_before_it_starts(client_for, coordinator, programme):
    starts = timezone.now() + datetime.timedelta(days=30)
    response = client_for(coordinator).post(
        reverse("workshops:workshop_create", kwargs={"pk": programme.pk}),
        workshop_data(registration_closes_at=local(starts + datetime.timedelta(days=1))),
    )
    assert response.status_code == 200
    assert "registration_closes_at" in response.context["form"].errors
    assert not Workshop.objects.exists()


def test_a_workshop_in_year_one_is_a_field_error_not_a_server_error(
    client_for, coordinator, programme
):
    # Year 1 parses as a date, but in Swedish time it lies before the first UTC moment.
    response = client_for(coordinator).post(
        reverse("workshops:workshop_create", kwargs={"pk": programme.pk}),
        workshop_data(
            registration_opens_at="0001-01-11 00:00", registration_closes_at="0001-01-12"
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "registration_opens_at" in errors and "registration_closes_at" in errors
    assert not Workshop.objects.exists()


def test_workshop_numbers_are_unique_in_a_programme(client_for, coordinator, workshop):
    response = client_for(coordinator).post(
        reverse("workshops:workshop_create", kwargs={"pk": workshop.programme.pk}),
        workshop_data(number=workshop.number),
    )
    assert "number" in response.context["form"].errors


def test_coordinator_adds_a_deliverable_due_before_the_workshop(client_for, coordinator, workshop):
    url = reverse("workshops:deliverable_create", kwargs={"pk": workshop.pk})
    client = client_for(coordinator)
    initial = client.get(url).context["form"].initial["due_at"]
    assert initial < workshop.starts_at
    late = client.post(
        url,
        {"kind": "project_plan", "title": "Projektplan", "due_at": local(workshop.ends_at)},
    )
    assert "due_at" in late.context["form"].errors
    client.post(url, {"kind": "project_plan", "title": "Projektplan", "due_at": local(initial)})
    assert Deliverable.objects.get().workshop == workshop


def test_coordinator_uploads_material_and_invited_people_download_it(
    client_for, coordinator, member_a, workshop
):
    client_for(coordinator).post(
        reverse("workshops:material_create", kwargs={"pk": workshop.pk}),
        {"title": "Bilder", "file": SimpleUploadedFile("bilder.pdf", PDF)},
    )
    material = Material.objects.get()
    response = client_for(member_a).get(material.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="bilder.pdf"' in response["Content-Disposition"]


def test_material_is_not_for_people_who_are_not_invited(client_for, steering_a, client, workshop):
    material = MaterialFactory(workshop=workshop)
    assert client_for(steering_a).get(material.get_absolute_url()).status_code == 404
    client.logout()
    response = client.get(material.get_absolute_url())
    assert response.status_code == 302 and "login" in response.url


def test_material_of_a_wrong_type_is_refused(client_for, coordinator, workshop):
    response = client_for(coordinator).post(
        reverse("workshops:material_create", kwargs={"pk": workshop.pk}),
        {"title": "Skript", "file": SimpleUploadedFile("run.sh", b"#!/bin/sh\n")},
    )
    assert "file" in response.context["form"].errors
    assert not Material.objects.exists()


def test_timeline_shows_whats_next_and_what_the_site_still_owes(
    client_for, member_a, site_a, programme
):
    held = WorkshopFactory(
        programme=programme, number=1, starts_at=timezone.now() - datetime.timedelta(days=60)
    )
    next_one = WorkshopFactory(programme=programme, number=2)
    later = WorkshopFactory(
        programme=programme, number=3, starts_at=timezone.now() + datetime.timedelta(days=90)
    )
    owed = DeliverableFactory(workshop=next_one, title="Behovsanalys")
    done = DeliverableFactory(workshop=next_one, title="Projektplan")
    DeliveryFactory(deliverable=done, site=site_a, status="accepted", reviewed_at=timezone.now())
    response = client_for(member_a).get(programme.get_absolute_url())
    assert response.context["next_workshop"] == next_one
    ((site, states),) = response.context["owed"]
    assert site == site_a
    assert [s.deliverable for s in states] == [owed]
    assert [r["workshop"] for r in response.context["rows"]] == [held, next_one, later]


def test_draft_workshops_are_hidden_from_the_sites(client_for, member_a, coordinator, workshop):
    workshop.is_published = False
    workshop.save()
    assert client_for(member_a).get(workshop.get_absolute_url()).status_code == 404
    assert client_for(coordinator).get(workshop.get_absolute_url()).status_code == 200


def test_site_page_shows_registrations_and_deliverable_states(
    client_for, steering_a, member_a, site_a, workshop, deliverable
):
    RegistrationFactory(workshop=workshop, user=member_a, site=site_a)
    response = client_for(steering_a).get(
        reverse("workshops:site_programme", kwargs={"site_slug": site_a.slug})
    )
    (row,) = response.context["rows"]
    assert [r.user for r in row["registrations"]] == [member_a]
    assert [s.deliverable for s in response.context["owed"]] == [deliverable]


def test_coordinator_takes_attendance_on_the_day(
    client_for, coordinator, lead_a, member_a, site_a, workshop
):
    present = RegistrationFactory(workshop=workshop, user=lead_a, site=site_a, actor=Actor.SCHOOL)
    absent = RegistrationFactory(workshop=workshop, user=member_a, site=site_a, actor=Actor.HEALTH)
    url = reverse("workshops:workshop_attendance", kwargs={"pk": workshop.pk})
    client = client_for(coordinator)
    client.post(url, {"present": [present.pk]})  # before the day: refused
    assert not Registration.objects.filter(attended__isnull=False).exists()

    workshop.starts_at = timezone.now() - datetime.timedelta(hours=1)
    workshop.ends_at = timezone.now() + datetime.timedelta(hours=4)
    workshop.registration_opens_at = workshop.starts_at - datetime.timedelta(days=30)
    workshop.registration_closes_at = workshop.starts_at - datetime.timedelta(days=7)
    workshop.save()
    client.post(url, {"present": [present.pk]})
    present.refresh_from_db()
    absent.refresh_from_db()
    assert (present.attended, absent.attended) == (True, False)
    context = client.get(url).context
    assert context["attended"] == 1 and context["total"] == 2
    by_actor = {row.label: (row.registered, row.attended) for row in context["by_actor"]}
    assert by_actor[Actor.SCHOOL.label] == (1, 1)
    assert by_actor[Actor.HEALTH.label] == (1, 0)
    assert context["by_site"][site_a].attended == 1


def test_attendance_is_taken_a_page_of_sites_at_a_time(
    client_for, coordinator, lead_a, lead_b, site_a, site_b, workshop, monkeypatch
):
    """Saving one page's ticks leaves the people of the other pages as they were."""
    from workshops.views.workshops import AttendanceView

    monkeypatch.setattr(AttendanceView, "sites_per_page", 1)
    workshop.starts_at = timezone.now() - datetime.timedelta(hours=1)
    workshop.ends_at = timezone.now() + datetime.timedelta(hours=4)
    workshop.registration_opens_at = workshop.starts_at - datetime.timedelta(days=30)
    workshop.registration_closes_at = workshop.starts_at - datetime.timedelta(days=7)
    workshop.save()
    a = RegistrationFactory(workshop=workshop, user=lead_a, site=site_a, attended=True)
    b = RegistrationFactory(workshop=workshop, user=lead_b, site=site_b)
    url = reverse("workshops:workshop_attendance", kwargs={"pk": workshop.pk})
    client = client_for(coordinator)

    second = client.get(url, {"page": 2})
    html = second.content.decode()
    assert f'name="shown" value="{b.pk}"' in html and f'value="{a.pk}"' not in html
    assert list(second.context["by_site"]) == [site_b]
    assert (second.context["total"], second.context["attended"]) == (2, 1)  # the whole workshop

    response = client.post(f"{url}?page=2", {"shown": [b.pk]})  # nobody ticked on page 2
    assert response.url == f"{url}?page=2"
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.attended, b.attended) == (True, False)


def test_only_coordinators_take_attendance(client_for, lead_a, site_a, workshop):
    registration = RegistrationFactory(workshop=workshop, user=lead_a, site=site_a)
    url = reverse("workshops:workshop_attendance", kwargs={"pk": workshop.pk})
    assert client_for(lead_a).post(url, {"present": [registration.pk]}).status_code == 403


def test_pages_stay_within_a_bounded_number_of_queries(
    client_for, coordinator, lead_a, site_a, django_assert_max_num_queries
):
    sites = [site_a, *PilotSiteFactory.create_batch(9)]
    programme = ProgrammeFactory(sites=sites)
    for n in range(4):
        w = WorkshopFactory(programme=programme, number=n + 1)
        for title in ("Projektplan", "Behovsanalys"):
            d = DeliverableFactory(workshop=w, title=title)
            for site in sites[:5]:
                DeliveryFactory(deliverable=d, site=site)
        for site in sites:
            person = MembershipFactory(site=site, role=Role.WORKING).user
            RegistrationFactory(workshop=w, user=person, site=site)
    pages = [
        (coordinator, reverse("workshops:programme_progress", kwargs={"pk": programme.pk})),
        (coordinator, programme.get_absolute_url()),
        (coordinator, reverse("workshops:programme_index")),
        (lead_a, programme.get_absolute_url()),
        (lead_a, reverse("workshops:site_programme", kwargs={"site_slug": site_a.slug})),
        (coordinator, Workshop.objects.first().get_absolute_url()),
        (coordinator, reverse("workshops:workshop_attendance", kwargs={"pk": w.pk})),
    ]
    for person, url in pages:
        client = client_for(person)
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200


def test_workshop_attendance_adds_up_per_site_and_actor(
    site_a, site_b, lead_a, member_a, steering_a, lead_b, workshop
):
    """Workshop.attendance: per site (in name order), per actor (only actors with someone
    registered, those without an actor last) and in all; cancelled registrations left out."""
    RegistrationFactory(
        workshop=workshop, user=lead_a, site=site_a, actor=Actor.SCHOOL, attended=True
    )
    RegistrationFactory(
        workshop=workshop, user=member_a, site=site_a, actor=Actor.SOCIAL, attended=False
    )
    RegistrationFactory(workshop=workshop, user=lead_b, site=site_b, actor="", attended=True)
    RegistrationFactory(
        workshop=workshop,
        user=steering_a,
        site=site_a,
        actor=Actor.HEALTH,
        cancelled_at=timezone.now(),
    )

    attendance = workshop.attendance()

    assert (attendance.total, attendance.attended, attendance.taken) == (3, 2, True)
    assert list(attendance.by_site) == [site_a, site_b]
    assert [(t.registered, t.attended) for t in attendance.by_site.values()] == [(2, 1), (1, 1)]
    assert [r.user for r in attendance.by_site[site_a].people] == [lead_a, member_a]
    assert [(str(t.label), t.registered, t.attended) for t in attendance.by_actor] == [
        (str(Actor.SCHOOL.label), 1, 1),
        (str(Actor.SOCIAL.label), 1, 0),
        ("Aktör inte angiven", 1, 1),  # Swedish by default
    ]


def test_workshop_attendance_before_it_is_taken(site_a, lead_a, workshop):
    RegistrationFactory(workshop=workshop, user=lead_a, site=site_a)
    attendance = workshop.attendance()
    assert (attendance.total, attendance.attended, attendance.taken) == (1, 0, False)
    assert workshop.attendance().by_site[site_a].registered == 1


def test_attendance_of_an_empty_workshop(workshop):
    attendance = workshop.attendance()
    assert (attendance.total, attendance.attended, attendance.taken) == (0, 0, False)
    assert attendance.by_site == {} and attendance.by_actor == []


def test_sites_progress_shows_a_page_of_sites_and_the_oldest_deliveries_to_review(
    client_for, coordinator, workshop, monkeypatch
):
    """The grid is paged by site (the national programme has 290) and the review queue lists
    the oldest deliveries first, saying how many wait in all."""
    from workshops.views.programmes import ProgrammeProgressView

    monkeypatch.setattr(ProgrammeProgressView, "sites_per_page", 2)
    monkeypatch.setattr(ProgrammeProgressView, "awaiting_shown", 2)
    programme = workshop.programme
    deliverable = DeliverableFactory(workshop=workshop, title="Behovsanalys")
    for i, name in enumerate(["Cederby", "Björkby", "Aspby"]):  # site_a, site_b sort later
        site = PilotSiteFactory(name=name)
        programme.sites.add(site)
        DeliveryFactory(
            deliverable=deliverable,
            site=site,
            submitted_at=timezone.now() - datetime.timedelta(days=10 - i),
        )
    url = reverse("workshops:programme_progress", kwargs={"pk": programme.pk})
    client = client_for(coordinator)

    first = client.get(url).content.decode()
    grid = first.split('id="grid-heading"')[1]
    assert ">Aspby</a>" in grid and ">Björkby</a>" in grid
    assert "Cederby" not in grid  # on the grid's second page
    queue = first.split('id="grid-heading"')[0]
    assert queue.index("Cederby") < queue.index("Björkby")  # delivered first, reviewed first
    assert "Aspby" not in queue  # the third oldest of three, beyond the two shown
    assert "2 oldest of 3" in first or "2 äldsta av 3" in first

    second = client.get(url, {"page": 2}).content.decode().split('id="grid-heading"')[1]
    assert ">Cederby</a>" in second and "Aspby" not in second
    assert client.get(url, {"page": "999"}).status_code == 200  # the last page, not an error
    assert client.get(url, {"page": "x"}).status_code == 200


def test_a_workshop_choice_names_its_programme(coordinator, workshop):
    """Finding: dropdowns listed "2. Projektplaner…" twice, one per programme."""
    from django import forms

    from workshops.forms import workshop_field

    field = workshop_field(forms.ModelChoiceField(queryset=None), coordinator)
    labels = [label for _value, label in field.choices if _value]
    assert labels == [f"{workshop.programme.name} — {workshop}"]
