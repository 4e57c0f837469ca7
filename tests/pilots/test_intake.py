"""The interest registration from the public form to a pilot site, and the coordinators'
work in between."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Invitation
from pilots.models import (
    InterestRegistration,
    Phase,
    PilotSite,
    RegistrationStatus,
    Role,
)
from pilots.views.interest_form import REGISTRATION_RATE
from tests.pilots.factories import (
    InterestRegistrationFactory,
    OrganisationFactory,
    PilotSiteFactory,
)

FORM = {
    "municipality_name": "Demostad",
    "region_name": "Region Demo",
    "scope": "schools",
    "schools": "Norra skolan\nSödra skolan\n\nnorra skolan",
    "contact_name": "Kim Kontakt",
    "contact_title": "Elevhälsochef",
    "contact_organisation": "Barn- & utbildningsförvaltningen",
    "contact_email": "Kim.Kontakt@example.org",
    "contact_phone": "040-123 45 67",
    "local_needs": "Fler elever söker stöd för oro.",
    "consent_to_store": "on",
    "website": "",
}


def link_in(message, path_start):
    match = re.search(rf"https?://\S+({re.escape(path_start)}\S+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def anonymous(client, db):
    return client


# --- The public form -----------------------------------------------------------------------


def test_public_form_opens_without_signing_in(anonymous):
    response = anonymous.get(reverse("pilots:registration_create"))
    assert response.status_code == 200
    assert 'name="consent_to_store"' in response.content.decode()


def test_public_form_is_swedish_by_default(anonymous):
    response = anonymous.get(reverse("pilots:registration_create"))
    assert response["Content-Language"] == "sv"


def test_valid_registration_is_saved_and_confirmed_with_a_working_follow_link(
    anonymous, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post(reverse("pilots:registration_create"), FORM)
    assert response.status_code == 302
    assert response.url == reverse("pilots:registration_sent")
    registration = InterestRegistration.objects.get()
    assert registration.status == RegistrationStatus.NEW
    assert registration.contact_email == "kim.kontakt@example.org"
    assert registration.school_names() == ["Norra skolan", "Södra skolan"]

    confirmation = next(m for m in mail.outbox if m.to == ["kim.kontakt@example.org"])
    assert "Demostad" in confirmation.subject
    # Plain text stays plain: no HTML escaping of the applicant's own words.
    assert "Barn- & utbildningsförvaltningen" in confirmation.body
    follow = link_in(confirmation, "/intresseanmalan/")
    page = anonymous.get(follow)
    assert page.status_code == 200
    assert "Demostad" in page.content.decode()


def test_coordinators_are_told_of_a_new_registration(
    anonymous, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.post(reverse("pilots:registration_create"), FORM)
    notice = next(m for m in mail.outbox if m.to == [coordinator.email])
    registration = InterestRegistration.objects.get()
    assert reverse("pilots:registration_detail", kwargs={"pk": registration.pk}) in notice.body


def test_thank_you_page_says_where_the_confirmation_went(anonymous):
    anonymous.post(reverse("pilots:registration_create"), FORM)
    page = anonymous.get(reverse("pilots:registration_sent"))
    assert "kim.kontakt@example.org" in page.content.decode()


def test_invalid_registration_rerenders_with_errors_and_keeps_what_was_written(anonymous):
    data = {**FORM, "contact_email": "not-an-address", "consent_to_store": ""}
    response = anonymous.post(reverse("pilots:registration_create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"contact_email", "consent_to_store"}
    html = response.content.decode()
    assert 'value="Demostad"' in html
    assert "Fler elever söker stöd för oro." in html
    assert not InterestRegistration.objects.exists()


def test_named_schools_need_at_least_one_school(anonymous):
    response = anonymous.post(reverse("pilots:registration_create"), {**FORM, "schools": " \n "})
    assert "schools" in response.context["form"].errors


def test_whole_municipality_needs_no_schools(anonymous):
    data = {**FORM, "scope": "municipality", "schools": ""}
    assert anonymous.post(reverse("pilots:registration_create"), data).status_code == 302
    assert InterestRegistration.objects.get().scope == "municipality"


def test_a_bad_phone_number_is_refused(anonymous):
    response = anonymous.post(
        reverse("pilots:registration_create"), {**FORM, "contact_phone": "call me"}
    )
    assert "contact_phone" in response.context["form"].errors


def test_filled_honeypot_is_thanked_but_silently_discarded(
    anonymous, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post(
            reverse("pilots:registration_create"), {**FORM, "website": "http://spam.example"}
        )
    assert response.status_code == 302
    assert response.url == reverse("pilots:registration_sent")
    assert not InterestRegistration.objects.exists()
    assert mail.outbox == []


def test_honeypot_is_hidden_from_people(anonymous):
    html = anonymous.get(reverse("pilots:registration_create")).content.decode()
    field = re.search(r'<div[^>]*aria-hidden="true"[^>]*>.*?name="website"', html, re.S)
    assert field, "the honeypot must sit in an aria-hidden wrapper"
    assert 'tabindex="-1"' in re.search(r'<input[^>]*name="website"[^>]*>', html).group(0)


def test_too_many_registrations_from_one_address_get_429_in_swedish(anonymous):
    allowed = int(REGISTRATION_RATE.split("/")[0])
    for _ in range(allowed):
        assert anonymous.post(reverse("pilots:registration_create"), {}).status_code == 200
    response = anonymous.post(reverse("pilots:registration_create"), FORM)
    assert response.status_code == 429
    assert response["Content-Language"] == "sv"
    assert not InterestRegistration.objects.exists()


def test_reading_the_form_does_not_count_towards_the_limit(anonymous):
    allowed = int(REGISTRATION_RATE.split("/")[0])
    for _ in range(allowed + 2):
        assert anonymous.get(reverse("pilots:registration_create")).status_code == 200


# --- Following a registration ----------------------------------------------------------------


def _registered(client, capture):
    with capture(execute=True):
        client.post(reverse("pilots:registration_create"), FORM)
    message = next(m for m in mail.outbox if m.to == ["kim.kontakt@example.org"])
    return link_in(message, "/intresseanmalan/")


def test_follow_page_shows_status_and_date_and_nothing_of_other_registrations(
    anonymous, django_capture_on_commit_callbacks
):
    InterestRegistrationFactory(municipality_name="Annanstad", contact_name="Olle Other")
    follow = _registered(anonymous, django_capture_on_commit_callbacks)
    html = anonymous.get(follow).content.decode()
    registration = InterestRegistration.objects.get(municipality_name="Demostad")
    assert registration.get_status_display() in html
    assert str(registration.created_at.year) in html
    assert "Annanstad" not in html and "Olle Other" not in html
    assert 'name="robots" content="noindex"' in html


def test_follow_page_shows_a_declined_decision(
    anonymous, coordinator, django_capture_on_commit_callbacks
):
    from pilots import services

    follow = _registered(anonymous, django_capture_on_commit_callbacks)
    services.decline_registration(
        InterestRegistration.objects.get(), by=coordinator, note="Internt skäl"
    )
    response = anonymous.get(follow)
    last_step = response.context["steps"][-1]
    assert last_step["done"] and last_step["date"] is not None
    assert "badge text-bg-secondary" in response.content.decode()
    assert "Internt skäl" not in response.content.decode()


def test_follow_page_does_not_show_the_coordinators_notes(
    anonymous, coordinator, django_capture_on_commit_callbacks
):
    follow = _registered(anonymous, django_capture_on_commit_callbacks)
    InterestRegistration.objects.get().notes.create(author=coordinator, text="Internal remark")
    assert "Internal remark" not in anonymous.get(follow).content.decode()


def test_unknown_follow_link_gets_a_clear_page_not_an_error(anonymous):
    response = anonymous.get(reverse("pilots:registration_follow", kwargs={"token": "nope"}))
    assert response.status_code == 404
    assert "pilots/intake/registration_follow_unknown.html" in [t.name for t in response.templates]


# --- The coordinators' queue -------------------------------------------------------------------


def test_queue_shows_open_registrations_newest_first_with_counts(client_for, coordinator):
    older = InterestRegistrationFactory(municipality_name="Äldrestad")
    newer = InterestRegistrationFactory(municipality_name="Nyarestad")
    InterestRegistrationFactory(municipality_name="Avböjdstad", status=RegistrationStatus.DECLINED)
    response = client_for(coordinator).get(reverse("pilots:registration_list"))
    rows = list(response.context["table"].page.object_list.data)
    assert [r.pk for r in rows] == [newer.pk, older.pk]
    tabs = {value: count for value, _label, count in response.context["tabs"]}
    assert tabs == {"open": 2, "new": 2, "dialogue": 0, "accepted": 0, "declined": 1, "all": 3}


def test_queue_filters_by_status(client_for, coordinator):
    InterestRegistrationFactory(municipality_name="Nystad")
    InterestRegistrationFactory(municipality_name="Avböjdstad", status=RegistrationStatus.DECLINED)
    html = (
        client_for(coordinator)
        .get(reverse("pilots:registration_list"), {"status": "declined"})
        .content.decode()
    )
    assert "Avböjdstad" in html and "Nystad" not in html


def test_queue_searches_municipality_and_contact(client_for, coordinator):
    InterestRegistrationFactory(municipality_name="Nystad", contact_name="Ada")
    InterestRegistrationFactory(municipality_name="Gamlestad", contact_name="Bo")
    html = (
        client_for(coordinator)
        .get(reverse("pilots:registration_list"), {"status": "all", "q": "bo"})
        .content.decode()
    )
    assert "Gamlestad" in html and "Nystad" not in html


def test_queue_queries_stay_bounded(client_for, coordinator, django_assert_max_num_queries):
    for _ in range(15):
        registration = InterestRegistrationFactory()
        registration.notes.create(author=coordinator, text="Ringt")
    client = client_for(coordinator)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("pilots:registration_list")).status_code == 200


def test_queue_is_for_coordinators_only(client_for, lead_a):
    assert client_for(lead_a).get(reverse("pilots:registration_list")).status_code == 403


def test_detail_shows_what_was_registered_and_the_notes(client_for, coordinator):
    registration = InterestRegistrationFactory(municipality_name="Nystad")
    registration.notes.create(author=coordinator, text="Första samtalet hölls.")
    html = (
        client_for(coordinator)
        .get(reverse("pilots:registration_detail", kwargs={"pk": registration.pk}))
        .content.decode()
    )
    assert "Nystad" in html and "Första samtalet hölls." in html and "Norra skolan" in html


def test_coordinator_adds_a_dialogue_note(client_for, coordinator):
    registration = InterestRegistrationFactory()
    url = reverse("pilots:registration_note", kwargs={"pk": registration.pk})
    response = client_for(coordinator).post(url, {"text": "Ringde kontaktpersonen."})
    assert response.status_code == 302
    note = registration.notes.get()
    assert note.text == "Ringde kontaktpersonen." and note.author == coordinator


def test_an_empty_note_is_refused_with_the_page_shown_again(client_for, coordinator):
    registration = InterestRegistrationFactory()
    url = reverse("pilots:registration_note", kwargs={"pk": registration.pk})
    response = client_for(coordinator).post(url, {"text": "   "})
    assert response.status_code == 200
    assert response.context["note_form"].errors
    assert not registration.notes.exists()


def test_coordinator_puts_a_registration_in_dialogue(client_for, coordinator):
    registration = InterestRegistrationFactory()
    url = reverse("pilots:registration_status", kwargs={"pk": registration.pk})
    client_for(coordinator).post(url, {"status": "dialogue", "note": ""})
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.IN_DIALOGUE
    assert registration.decided_at is None


def test_declining_needs_a_reason_and_records_who_and_when(client_for, coordinator):
    registration = InterestRegistrationFactory()
    url = reverse("pilots:registration_status", kwargs={"pk": registration.pk})
    client = client_for(coordinator)
    response = client.post(url, {"status": "declined", "note": ""})
    assert response.status_code == 200 and response.context["status_form"].errors
    client.post(url, {"status": "declined", "note": "Ingen region med i arbetet."})
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.DECLINED
    assert registration.decided_by == coordinator and registration.decided_at
    assert registration.notes.get().text == "Ingen region med i arbetet."


def test_a_declined_registration_can_be_reopened_but_not_accepted_directly(client_for, coordinator):
    registration = InterestRegistrationFactory(status=RegistrationStatus.DECLINED)
    client = client_for(coordinator)
    accept = reverse("pilots:registration_accept", kwargs={"pk": registration.pk})
    response = client.post(accept, {"name": "X", "slug": "x", "case_code_prefix": "XX"})
    assert response.status_code == 302
    assert not PilotSite.objects.filter(slug="x").exists()
    client.post(
        reverse("pilots:registration_status", kwargs={"pk": registration.pk}),
        {"status": "dialogue"},
    )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.IN_DIALOGUE and registration.decided_at is None


def test_accept_page_suggests_a_free_address_and_prefix(client_for, coordinator):
    PilotSiteFactory(slug="malmo", case_code_prefix="MAL")
    registration = InterestRegistrationFactory(municipality_name="Malmö")
    response = client_for(coordinator).get(
        reverse("pilots:registration_accept", kwargs={"pk": registration.pk})
    )
    initial = response.context["form"].initial
    assert initial == {"name": "Malmö", "slug": "malmo-2", "case_code_prefix": "MAL2"}


def test_accepting_creates_the_site_with_schools_and_invites_the_contact_as_lead(
    client_for, coordinator, django_capture_on_commit_callbacks
):
    registration = InterestRegistrationFactory(
        municipality_name="Demostad", region_name="Region Demo", contact_email="kim@example.org"
    )
    url = reverse("pilots:registration_accept", kwargs={"pk": registration.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(
            url, {"name": "Demostad", "slug": "demostad", "case_code_prefix": "dem"}
        )
    site = PilotSite.objects.get(slug="demostad")
    assert response.status_code == 302 and response.url == site.get_absolute_url()
    assert site.case_code_prefix == "DEM"
    assert site.municipality.name == "Demostad" and site.region.name == "Region Demo"
    assert site.phase == Phase.PRE_STUDY
    change = site.phase_changes.get()
    assert change.changed_by == coordinator
    assert change.note == f"Från intresseanmälan {registration}"
    assert sorted(site.schools.values_list("name", flat=True)) == ["Norra skolan", "Södra skolan"]
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ACCEPTED and registration.site == site
    invitation = Invitation.objects.get(site=site)
    assert invitation.role == Role.LEAD and invitation.email == "kim@example.org"
    invite_mail = next(m for m in mail.outbox if m.to == ["kim@example.org"])
    assert "/invitation/" in invite_mail.body and "Demostad" in invite_mail.subject


def test_accepting_reuses_a_known_municipality(client_for, coordinator):
    known = OrganisationFactory(name="Demostad")
    registration = InterestRegistrationFactory(municipality_name="demostad")
    client_for(coordinator).post(
        reverse("pilots:registration_accept", kwargs={"pk": registration.pk}),
        {"name": "Demostad", "slug": "demostad", "case_code_prefix": "DEM"},
    )
    assert PilotSite.objects.get(slug="demostad").municipality == known


def test_accepting_with_a_taken_address_shows_the_form_again(client_for, coordinator):
    PilotSiteFactory(slug="demostad", case_code_prefix="DEM")
    registration = InterestRegistrationFactory()
    response = client_for(coordinator).post(
        reverse("pilots:registration_accept", kwargs={"pk": registration.pk}),
        {"name": "Demostad", "slug": "demostad", "case_code_prefix": "DEM"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"slug", "case_code_prefix"}
    assert PilotSite.objects.count() == 1


def test_an_accepted_registration_leads_to_its_site(client_for, coordinator):
    site = PilotSiteFactory()
    registration = InterestRegistrationFactory(status=RegistrationStatus.ACCEPTED, site=site)
    response = client_for(coordinator).get(
        reverse("pilots:registration_accept", kwargs={"pk": registration.pk})
    )
    assert response.status_code == 302 and response.url == site.get_absolute_url()


# --- The coordinators' list of sites --------------------------------------------------------


def test_coordinator_creates_a_site_that_did_not_register(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("pilots:site_list"),
        {"name": "Västra Demo", "municipality": "Västra Demo", "region": "Region Väst"},
    )
    site = PilotSite.objects.get(name="Västra Demo")
    assert site.slug == "vastra-demo" and site.case_code_prefix == "VAS"
    assert site.phase == Phase.PRE_STUDY
    assert response.url == (
        reverse("accounts:invitation_create", kwargs={"site_slug": site.slug}) + "?role=lead"
    )


def test_creating_a_site_with_a_bad_prefix_keeps_the_input(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("pilots:site_list"),
        {"name": "Demo", "municipality": "Demo", "region": "R", "case_code_prefix": "1!"},
    )
    assert response.status_code == 200
    assert "case_code_prefix" in response.context["form"].errors
    assert 'value="Demo"' in response.content.decode()


def test_site_list_queries_stay_bounded(
    client_for, coordinator, site_a, lead_a, member_a, django_assert_max_num_queries
):
    for _ in range(10):
        PilotSiteFactory()
    client = client_for(coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("pilots:site_list"))
    assert "Bob Projektledare" in response.content.decode()


def test_site_list_sorts_phases_in_the_programmes_order(client_for, coordinator):
    for name, phase in (("A-stad", Phase.TESTING), ("B-stad", Phase.PRE_STUDY)):
        site = PilotSiteFactory(name=name)
        site.set_phase(phase, by=coordinator)
    response = client_for(coordinator).get(reverse("pilots:site_list"), {"sort": "phase"})
    names = [row.record.name for row in response.context["table"].paginated_rows]
    assert names == ["B-stad", "A-stad"]
