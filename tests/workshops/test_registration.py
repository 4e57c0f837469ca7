"""Registering, cancelling and the site's places: through the pages, as people use them."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from pilots.models import Actor, Role
from tests.pilots.factories import MembershipFactory
from tests.workshops.factories import RegistrationFactory
from workshops.models import Registration


def register_url(workshop):
    return reverse("workshops:workshop_register", kwargs={"pk": workshop.pk})


def site_registrations_url(site, workshop):
    return reverse(
        "workshops:site_registrations", kwargs={"site_slug": site.slug, "workshop_pk": workshop.pk}
    )


def test_invited_member_registers_with_one_click(client_for, member_a, site_a, workshop):
    response = client_for(member_a).post(register_url(workshop))
    assert response.status_code == 302
    registration = Registration.objects.get(workshop=workshop, user=member_a)
    assert registration.site == site_a
    assert registration.actor == Actor.SCHOOL
    assert registration.registered_by == member_a


def test_registered_person_sees_it_on_the_workshop_page(client_for, member_a, site_a, workshop):
    RegistrationFactory(workshop=workshop, user=member_a, site=site_a)
    page = client_for(member_a).get(workshop.get_absolute_url()).content.decode()
    assert reverse("workshops:workshop_cancel", kwargs={"pk": workshop.pk}) in page
    assert reverse("workshops:workshop_register", kwargs={"pk": workshop.pk}) not in page


def test_person_whose_role_is_not_invited_cannot_register(client_for, steering_a, workshop):
    client = client_for(steering_a)
    assert client.get(register_url(workshop)).status_code == 403
    assert client.post(register_url(workshop)).status_code == 403
    assert not Registration.objects.exists()


def test_member_of_a_site_outside_the_programme_gets_404(client_for, member_a, workshop, site_a):
    workshop.programme.sites.remove(site_a)
    assert client_for(member_a).post(register_url(workshop)).status_code == 404
    assert not Registration.objects.exists()


def test_registering_after_the_deadline_is_refused_with_a_message(client_for, member_a, workshop):
    workshop.registration_closes_at = timezone.now() - datetime.timedelta(hours=1)
    workshop.save()
    response = client_for(member_a).post(register_url(workshop))
    assert not Registration.objects.exists()
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_registering_before_registration_opens_is_refused(client_for, member_a, workshop, site_a):
    workshop.registration_opens_at = timezone.now() + datetime.timedelta(days=1)
    workshop.save()
    client_for(member_a).post(register_url(workshop), {"site": site_a.pk})
    assert not Registration.objects.exists()


def test_registering_twice_keeps_one_registration(client_for, member_a, workshop, site_a):
    client = client_for(member_a)
    client.post(register_url(workshop))
    response = client.post(register_url(workshop), {"site": site_a.pk})
    assert response.status_code == 200  # the form again, with the reason
    assert Registration.objects.filter(user=member_a).count() == 1


def test_person_at_two_sites_chooses_which_site_they_come_for(
    client_for, member_a, site_a, site_b, workshop
):
    MembershipFactory(site=site_b, user=member_a, role=Role.WORKING, actor=Actor.HEALTH)
    client = client_for(member_a)
    page = client.get(register_url(workshop)).content.decode()
    assert site_a.name in page and site_b.name in page
    client.post(register_url(workshop), {"site": site_b.pk})
    registration = Registration.objects.get(user=member_a)
    assert registration.site == site_b
    assert registration.actor == Actor.HEALTH


def test_person_cannot_register_for_a_site_they_are_not_invited_through(
    client_for, member_a, site_b, workshop
):
    client_for(member_a).post(register_url(workshop), {"site": site_b.pk})
    assert not Registration.objects.exists()


def test_site_capacity_is_respected_with_a_clear_message(
    client_for, lead_a, member_a, site_a, workshop
):
    workshop.seats_per_site = 1
    workshop.save()
    RegistrationFactory(workshop=workshop, user=lead_a, site=site_a)
    response = client_for(member_a).post(register_url(workshop), {"site": site_a.pk})
    assert response.status_code == 200
    assert "1" in response.context["form"].non_field_errors()[0]
    assert site_a.name in response.context["form"].non_field_errors()[0]
    assert not Registration.objects.filter(user=member_a).exists()


def test_capacity_counts_per_site(client_for, lead_a, member_b, site_a, site_b, workshop):
    workshop.seats_per_site = 1
    workshop.save()
    RegistrationFactory(workshop=workshop, user=lead_a, site=site_a)
    client_for(member_b).post(register_url(workshop), {"site": site_b.pk})
    assert Registration.objects.filter(user=member_b, site=site_b).exists()


def test_cancelled_place_can_be_taken_again(client_for, lead_a, member_a, site_a, workshop):
    workshop.seats_per_site = 1
    workshop.save()
    RegistrationFactory(workshop=workshop, user=lead_a, site=site_a, cancelled_at=timezone.now())
    client_for(member_a).post(register_url(workshop), {"site": site_a.pk})
    assert Registration.objects.active().filter(user=member_a).exists()


def test_person_cancels_own_registration_before_the_deadline(
    client_for, member_a, site_a, workshop
):
    registration = RegistrationFactory(workshop=workshop, user=member_a, site=site_a)
    url = reverse("workshops:workshop_cancel", kwargs={"pk": workshop.pk})
    client = client_for(member_a)
    assert client.get(url).status_code == 200
    client.post(url)
    registration.refresh_from_db()
    assert registration.cancelled_at is not None
    assert registration.cancelled_by == member_a


def test_cancelling_after_the_deadline_is_refused(client_for, member_a, site_a, workshop):
    registration = RegistrationFactory(workshop=workshop, user=member_a, site=site_a)
    workshop.registration_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    workshop.save()
    client_for(member_a).post(reverse("workshops:workshop_cancel", kwargs={"pk": workshop.pk}))
    registration.refresh_from_db()
    assert registration.cancelled_at is None


def test_lead_registers_the_sites_people(client_for, lead_a, member_a, site_a, workshop):
    response = client_for(lead_a).post(
        site_registrations_url(site_a, workshop), {"people": [lead_a.pk, member_a.pk]}
    )
    assert response.status_code == 302
    registrations = Registration.objects.filter(workshop=workshop, site=site_a)
    assert {r.user for r in registrations} == {lead_a, member_a}
    assert {r.registered_by for r in registrations} == {lead_a}


def test_lead_is_offered_only_invited_people_of_own_site(
    client_for, lead_a, member_a, steering_a, member_b, site_a, workshop
):
    response = client_for(lead_a).get(site_registrations_url(site_a, workshop))
    offered = set(response.context["form"].fields["people"].queryset)
    assert offered == {lead_a, member_a}  # steering is not invited; member_b is another site's


def test_lead_cannot_register_another_sites_person_by_forging_the_form(
    client_for, lead_a, member_b, site_a, workshop
):
    response = client_for(lead_a).post(
        site_registrations_url(site_a, workshop), {"people": [member_b.pk]}
    )
    assert response.status_code == 200
    assert not Registration.objects.exists()


def test_lead_cannot_register_after_the_deadline(client_for, lead_a, member_a, site_a, workshop):
    workshop.registration_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    workshop.save()
    client_for(lead_a).post(site_registrations_url(site_a, workshop), {"people": [member_a.pk]})
    assert not Registration.objects.exists()


def test_coordinator_registers_someone_after_the_deadline_and_beyond_capacity(
    client_for, coordinator, lead_a, member_a, site_a, workshop
):
    workshop.seats_per_site = 1
    workshop.registration_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    workshop.save()
    RegistrationFactory(workshop=workshop, user=lead_a, site=site_a)
    client_for(coordinator).post(
        site_registrations_url(site_a, workshop), {"people": [member_a.pk]}
    )
    assert Registration.objects.active().filter(site=site_a).count() == 2


def test_lead_cancels_a_registration_of_own_site(client_for, lead_a, member_a, site_a, workshop):
    registration = RegistrationFactory(workshop=workshop, user=member_a, site=site_a)
    url = reverse(
        "workshops:site_registration_cancel",
        kwargs={"site_slug": site_a.slug, "pk": registration.pk},
    )
    client_for(lead_a).post(url)
    registration.refresh_from_db()
    assert registration.cancelled_by == lead_a


def test_lead_of_site_a_cannot_cancel_site_bs_registration(
    client_for, lead_a, member_b, site_a, site_b, workshop
):
    registration = RegistrationFactory(workshop=workshop, user=member_b, site=site_b)
    url = reverse(
        "workshops:site_registration_cancel",
        kwargs={"site_slug": site_a.slug, "pk": registration.pk},
    )
    assert client_for(lead_a).post(url).status_code == 404
    registration.refresh_from_db()
    assert registration.cancelled_at is None


def test_one_standing_registration_per_person_is_enforced_by_the_database(
    member_a, site_a, workshop
):
    RegistrationFactory(workshop=workshop, user=member_a, site=site_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(workshop=workshop, user=member_a, site=site_a)


def test_a_full_site_is_told_who_was_not_registered(client_for, lead_a, member_a, site_a, workshop):
    """Finding: registering two people with one seat left said only that capacity was reached."""
    workshop.seats_per_site = 1
    workshop.save()
    ordered = sorted([lead_a, member_a], key=lambda u: u.pk)
    response = client_for(lead_a).post(
        site_registrations_url(site_a, workshop), {"people": [u.pk for u in ordered]}
    )
    html = response.content.decode()
    registered = Registration.objects.get(workshop=workshop)
    left_out = next(u for u in ordered if u != registered.user)
    assert f"Inte anmälda: {left_out}." in html
    assert "använt sin 1 plats" in html
