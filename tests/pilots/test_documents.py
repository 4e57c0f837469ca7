"""Plan documents: versions, editing, reading old versions, the steering group's approval."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from pilots.models import DocumentKind, PlanDocument
from pilots.models.documents import SECTIONS
from tests.pilots.factories import PlanDocumentFactory, SteeringMeetingFactory

KIND = DocumentKind.PROJECT_PLAN


def edit_url(site, kind=KIND):
    return reverse("pilots:document_edit", args=[site.slug, kind])


def sections_post(base=0, note="", **texts):
    data = {f"section_{key}": "" for key, _h, _g in SECTIONS[KIND]}
    data.update({f"section_{k}": v for k, v in texts.items()})
    data.update(base_version=str(base), note=note)
    return data


# --- The model ------------------------------------------------------------------------------


def test_versions_are_numbered_one_after_the_other(site_a, lead_a):
    document = PlanDocumentFactory(site=site_a, kind=KIND)
    first = document.add_version(sections={"aim": "Ett"}, author=lead_a)
    second = document.add_version(sections={"aim": "Två"}, author=lead_a)
    assert (first.number, second.number) == (1, 2)
    assert document.latest_version() == second
    first.refresh_from_db()
    assert first.sections == {"aim": "Ett"}


def test_numbering_is_per_document(site_a, site_b, lead_a):
    a = PlanDocumentFactory(site=site_a, kind=KIND)
    b = PlanDocumentFactory(site=site_b, kind=KIND)
    a.add_version(sections={"aim": "A"}, author=lead_a)
    assert b.add_version(sections={"aim": "B"}, author=lead_a).number == 1


def test_unknown_sections_are_not_stored(site_a, lead_a):
    document = PlanDocumentFactory(site=site_a, kind=KIND)
    version = document.add_version(sections={"aim": "Mål", "evil": "x"}, author=lead_a)
    assert version.sections == {"aim": "Mål"}


def test_history_names_the_sections_each_version_changed(site_a, lead_a):
    document = PlanDocumentFactory(site=site_a, kind=KIND)
    document.add_version(sections={"aim": "Mål", "risks": "Risk"}, author=lead_a)
    document.add_version(sections={"aim": "Nytt mål", "risks": "Risk"}, author=lead_a)
    newest, oldest = document.history()
    assert [str(h) for h in newest.changed] == [str(SECTIONS[KIND][1][1])]
    assert len(oldest.changed) == 2


def test_approving_points_the_document_at_the_newest_approved_version(site_a, lead_a):
    document = PlanDocumentFactory(site=site_a, kind=KIND)
    v1 = document.add_version(sections={"aim": "1"}, author=lead_a)
    v2 = document.add_version(sections={"aim": "2"}, author=lead_a)
    document.approve(v2, on=timezone.localdate(), by=lead_a)
    document.approve(v1, on=timezone.localdate(), by=lead_a)
    document.refresh_from_db()
    assert document.approved_version == v2
    assert v1.is_approved


def test_a_version_of_another_document_cannot_be_approved(site_a, lead_a):
    project = PlanDocumentFactory(site=site_a, kind=KIND)
    action = PlanDocumentFactory(site=site_a, kind=DocumentKind.ACTION_PLAN)
    version = action.add_version(sections={"activities": "x"}, author=lead_a)
    with pytest.raises(ValueError):
        project.approve(version, on=timezone.localdate(), by=lead_a)


# --- Pages ----------------------------------------------------------------------------------


def test_document_list_shows_all_three_kinds(client_for, site_a, steering_a):
    response = client_for(steering_a).get(reverse("pilots:document_list", args=[site_a.slug]))
    assert [row["kind"] for row in response.context["rows"]] == [
        DocumentKind.NEEDS_ANALYSIS,
        DocumentKind.PROJECT_PLAN,
        DocumentKind.ACTION_PLAN,
    ]


def test_unwritten_document_page_says_so(client_for, site_a, member_a):
    response = client_for(member_a).get(reverse("pilots:document_detail", args=[site_a.slug, KIND]))
    assert response.status_code == 200
    assert response.context["version"] is None
    assert not PlanDocument.objects.exists()  # reading creates nothing


def test_unknown_kind_is_404(client_for, site_a, lead_a):
    url = reverse("pilots:document_detail", args=[site_a.slug, "budget"])
    assert client_for(lead_a).get(url).status_code == 404


def test_edit_form_has_a_textarea_per_section_with_its_guidance(client_for, site_a, lead_a):
    response = client_for(lead_a).get(edit_url(site_a))
    form = response.context["form"]
    for key, heading, guidance in SECTIONS[KIND]:
        field = form.fields[f"section_{key}"]
        assert field.label == heading and field.help_text == guidance
    assert str(SECTIONS[KIND][0][2]) in response.content.decode()


def test_saving_makes_the_first_then_the_next_version(client_for, site_a, lead_a):
    client = client_for(lead_a)
    response = client.post(edit_url(site_a), sections_post(aim="Färre elever ska vänta."))
    assert response.status_code == 302
    document = site_a.documents.get(kind=KIND)
    assert document.latest_version().number == 1
    response = client.post(
        edit_url(site_a),
        sections_post(base=1, aim="Ingen elev ska vänta.", note="Efter styrgruppen"),
    )
    assert response.status_code == 302
    latest = document.latest_version()
    assert latest.number == 2 and latest.note == "Efter styrgruppen"
    assert latest.author == lead_a
    assert document.versions.get(number=1).sections["aim"] == "Färre elever ska vänta."


def test_edit_starts_from_the_latest_text(client_for, site_a, lead_a):
    document = PlanDocumentFactory(site=site_a, kind=KIND)
    document.add_version(sections={"aim": "Befintlig text"}, author=lead_a)
    form = client_for(lead_a).get(edit_url(site_a)).context["form"]
    assert form["section_aim"].value() == "Befintlig text"
    assert form["base_version"].value() == 1


def test_an_empty_document_is_not_saved(client_for, site_a, lead_a):
    response = client_for(lead_a).post(edit_url(site_a), sections_post())
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not PlanDocument.objects.exists()


def test_saving_without_a_change_is_refused(client_for, site_a, lead_a):
    document = PlanDocumentFactory(site=site_a, kind=KIND)
    document.add_version(sections={"aim": "Samma"}, author=lead_a)
    response = client_for(lead_a).post(edit_url(site_a), sections_post(base=1, aim="Samma "))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert document.versions.count() == 1


def test_someone_elses_newer_version_is_not_overwritten_silently(client_for, site_a, lead_a):
    document = PlanDocumentFactory(site=site_a, kind=KIND)
    document.add_version(sections={"aim": "Version 1"}, author=lead_a)
    document.add_version(sections={"aim": "Version 2 av någon annan"}, author=None)
    client = client_for(lead_a)
    response = client.post(edit_url(site_a), sections_post(base=1, aim="Min text"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "2" in form.non_field_errors()[0]
    assert form["section_aim"].value() == "Min text"  # the person's text is kept
    assert document.versions.count() == 2
    # Saving again from the re-rendered form is deliberate and goes through.
    response = client.post(
        edit_url(site_a), sections_post(base=form["base_version"].value(), aim="Min text")
    )
    assert response.status_code == 302
    assert document.latest_version().sections["aim"] == "Min text"


def test_an_old_version_can_be_read(client_for, site_a, lead_a, member_a):
    document = PlanDocumentFactory(site=site_a, kind=KIND)
    old = document.add_version(sections={"aim": "Gammal text"}, author=lead_a)
    document.add_version(sections={"aim": "Ny text"}, author=lead_a)
    response = client_for(member_a).get(
        reverse("pilots:document_version", args=[site_a.slug, old.pk])
    )
    assert response.status_code == 200
    assert not response.context["is_latest"]
    assert "Gammal text" in response.content.decode()
    assert "Ny text" not in response.content.decode()


def test_another_sites_version_is_404_through_own_site(client_for, site_a, site_b, lead_a):
    foreign = PlanDocumentFactory(site=site_b, kind=KIND).add_version(
        sections={"aim": "Hemligt"}, author=None
    )
    client = client_for(lead_a)
    assert (
        client.get(reverse("pilots:document_version", args=[site_a.slug, foreign.pk])).status_code
        == 404
    )
    url = reverse("pilots:document_approve", args=[site_a.slug, foreign.pk])
    assert client.post(url, {"approved_on": "2018-05-01"}).status_code == 404
    foreign.refresh_from_db()
    assert not foreign.is_approved


def test_lead_records_the_approval_at_a_meeting(client_for, site_a, lead_a):
    meeting = SteeringMeetingFactory(site=site_a, held_on=datetime.date(2018, 5, 20))
    version = PlanDocumentFactory(site=site_a, kind=KIND).add_version(
        sections={"aim": "Mål"}, author=lead_a
    )
    response = client_for(lead_a).post(
        reverse("pilots:document_approve", args=[site_a.slug, version.pk]),
        {"approved_on": "2018-05-20", "meeting": meeting.pk},
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.approved_on == datetime.date(2018, 5, 20)
    assert version.approval_meeting == meeting and version.approved_by == lead_a
    assert version.document.approved_version == version
    # The meeting shows what it approved.
    page = client_for(lead_a).get(meeting.get_absolute_url()).content.decode()
    assert reverse("pilots:document_version", args=[site_a.slug, version.pk]) in page


def test_approval_at_another_sites_meeting_is_refused(client_for, site_a, site_b, lead_a):
    foreign = SteeringMeetingFactory(site=site_b, held_on=datetime.date(2018, 5, 20))
    version = PlanDocumentFactory(site=site_a, kind=KIND).add_version(
        sections={"aim": "Mål"}, author=lead_a
    )
    response = client_for(lead_a).post(
        reverse("pilots:document_approve", args=[site_a.slug, version.pk]),
        {"approved_on": "2018-05-20", "meeting": foreign.pk},
    )
    assert response.status_code == 200
    assert "meeting" in response.context["form"].errors
    version.refresh_from_db()
    assert not version.is_approved


def test_approval_cannot_be_in_the_future(client_for, site_a, lead_a):
    version = PlanDocumentFactory(site=site_a, kind=KIND).add_version(
        sections={"aim": "Mål"}, author=lead_a
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(lead_a).post(
        reverse("pilots:document_approve", args=[site_a.slug, version.pk]),
        {"approved_on": tomorrow.isoformat()},
    )
    assert response.status_code == 200
    assert "approved_on" in response.context["form"].errors


@pytest.mark.parametrize("person", ["member_a", "steering_a"])
def test_only_managers_write_plans(client_for, site_a, person, request):
    user = request.getfixturevalue(person)
    response = client_for(user).post(edit_url(site_a), sections_post(aim="x"))
    assert response.status_code == 403
    assert not PlanDocument.objects.exists()


def test_document_page_queries_stay_bounded(
    client_for, site_a, lead_a, django_assert_max_num_queries
):
    document = PlanDocumentFactory(site=site_a, kind=KIND)
    for i in range(25):
        document.add_version(sections={"aim": f"Text {i}"}, author=lead_a)
    client = client_for(lead_a)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("pilots:document_detail", args=[site_a.slug, KIND]))
    assert response.status_code == 200
    assert len(response.context["history"]) == 25
