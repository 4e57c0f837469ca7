"""The identity-number guard is in every free-text field of every model and form of Triad's
own apps (infra/guard.py), uploaded file names included, and no number reaches the audit
records through a page's address or a download's name.

The matcher itself (what counts as a number) is tested in tests/cases/test_pnr.py."""

import importlib
import pkgutil

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.forms.formsets import BaseFormSet
from django.urls import reverse
from django.utils import translation

from cases.models import CaseAccess
from exchange.models import LibraryItem
from infra import guard
from infra.models import AuditEvent, AuditKind
from infra.uploads import check_upload
from pilots.models import Decision, InterestRegistration
from tests.exchange.factories import PDF, LibraryItemFactory
from tests.matrix import OK
from tests.test_forms_fuzz import page_forms
from tests.test_permission_matrix import ROWS
from tests.world import world_per_test  # noqa: F401 - the fixture is used below

NUMBER = "640823-3234"  # Skatteverket's example
MASKED = "640823-****"


def guarded_model_fields():
    return [
        (label, field)
        for label, field in guard.model_text_fields()
        if guard.model_field_allowed(label, field) is None
    ]


def value_with_a_number(field):
    kind = field.get_internal_type()
    if kind == "JSONField":
        return {"text": [f"Eleven {NUMBER}"]}
    if kind in ("FileField", "ImageField"):
        return ContentFile(b"x", name=f"{NUMBER}.txt")
    if kind == "EmailField":
        return f"{NUMBER}@example.org"
    return f"Eleven {NUMBER}"


# --- The check ---------------------------------------------------------------------------------


def test_the_system_check_finds_no_text_field_without_the_guard():
    assert guard.check_guard() == []


def test_the_check_names_a_model_field_and_a_form_field_that_lack_the_guard():
    from pilots.forms.governance import DecisionForm

    model_field = Decision._meta.get_field("text")
    form_field = DecisionForm.base_fields["text"]
    kept = list(model_field.validators), list(form_field.validators)
    model_field.validators[:] = [v for v in kept[0] if not guard.is_guarded_by(v)]
    form_field.validators[:] = [v for v in kept[1] if not guard.is_guarded_by(v)]
    try:
        messages = [error.msg for error in guard.check_guard()]
    finally:
        model_field.validators[:], form_field.validators[:] = kept
    assert any(m.startswith("pilots.Decision.text ") for m in messages), messages
    assert any(m.startswith("pilots.forms.governance.DecisionForm.text ") for m in messages)


def test_the_allow_list_is_short_and_names_real_fields():
    labels = {label for label, _field in guard.model_text_fields()}
    assert set(guard.ALLOWED_MODEL_FIELDS) <= labels
    assert len(guard.ALLOWED_MODEL_FIELDS) <= 20


def test_guarding_fields_asks_for_no_migration(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


# --- Every model field ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "label, field", guarded_model_fields(), ids=[label for label, _f in guarded_model_fields()]
)
def test_every_guarded_model_field_refuses_a_number(label, field):
    with pytest.raises(ValidationError) as error:
        field.run_validators(value_with_a_number(field))
    assert "personal_number" in [e.code for e in error.value.error_list], label


def test_the_fields_issue_13_found_unguarded_are_guarded():
    labels = {label for label, _field in guarded_model_fields()}
    assert {
        "pilots.PlanVersion.sections",
        "pilots.PlanVersion.note",
        "pilots.SteeringMeeting.notes",
        "pilots.Decision.text",
        "pilots.Action.title",
        "pilots.Action.description",
        "workshops.Delivery.note",
        "workshops.Delivery.review_comment",
        "workshops.DeliveryEvent.comment",
        "pilots.School.name",
        "pilots.Organisation.name",
        "pilots.PilotSite.name",
        "pilots.Membership.title",
        "pilots.Membership.end_reason",
        "accounts.Invitation.full_name",
        "accounts.Invitation.title",
        "workshops.Workshop.title",
        "workshops.Workshop.theme",
        "workshops.Workshop.agenda",
        "workshops.Programme.description",
        "cases.InterventionProgramme.name",
        "pilots.InterestRegistration.contact_phone",
        "pilots.InterestRegistration.contact_email",
        "workshops.Material.original_name",
        "workshops.Delivery.original_name",
        "exchange.LibraryItem.original_name",
    } <= labels


# --- Every form class, and every form on every page ----------------------------------------------


def import_every_module_of_our_apps():
    for config in guard.our_app_configs():
        package = importlib.import_module(config.name)
        for info in pkgutil.walk_packages(package.__path__, f"{config.name}."):
            if ".migrations" not in info.name and ".management." not in info.name:
                importlib.import_module(info.name)


def test_every_form_class_of_our_apps_is_guarded():
    import_every_module_of_our_apps()
    classes = guard.our_form_classes()
    assert len(classes) > 40
    unseen = [c.__qualname__ for c in classes if not c.__dict__.get("_pnr_guarded")]
    assert not unseen, f"form classes the guard did not see: {unseen}"
    unguarded = [label for c in classes for label in guard.unguarded_form_fields(c)]
    assert not unguarded, unguarded


def test_every_form_on_every_page_is_guarded(world, client):
    """The forms as the views make them, with the fields they add while made (one per plan
    section, one per fidelity item, one per actor's response)."""
    unguarded, checked, pages = [], 0, 0
    for name, row in sorted(ROWS.items()):
        person = next(
            (p for p in ("member_a", "lead_a", "coordinator", "anonymous") if row.get.get(p) == OK),
            None,
        )
        if person is None:
            continue
        client.logout()
        if world.people[person] is not None:
            client.force_login(world.people[person])
        response = client.get(reverse(name, kwargs=row.kwargs(world, world.a)))
        for form in page_forms(response):
            members = form.forms if isinstance(form, BaseFormSet) else [form]
            for member in members:
                if not guard.is_ours(type(member)):
                    continue  # allauth's forms, django-filter's
                pages += 1
                checked += sum(guard.is_text_form_field(f) for f in member.fields.values())
                unguarded += guard.unguarded_form_fields(type(member), member.fields)
    assert not unguarded, unguarded
    assert pages > 30 and checked > 80


def test_a_plan_section_added_while_the_form_is_made_refuses_a_number(client_for, site_a, lead_a):
    from pilots.models import DocumentKind
    from pilots.models.documents import SECTIONS

    kind = DocumentKind.PROJECT_PLAN
    data = {f"section_{key}": "" for key, _h, _g in SECTIONS[kind]}
    data.update({f"section_{SECTIONS[kind][0][0]}": f"Eleven {NUMBER}", "base_version": "0"})
    response = client_for(lead_a).post(
        reverse("pilots:document_edit", args=[site_a.slug, kind]), data
    )
    assert response.status_code == 200
    assert MASKED in response.content.decode()
    assert NUMBER not in response.content.decode().replace(f"Eleven {NUMBER}", "")


@pytest.mark.parametrize(
    "field",
    [
        "municipality_name",
        "region_name",
        "schools",
        "contact_name",
        "contact_title",
        "contact_organisation",
        "contact_email",
        "contact_phone",
        "local_needs",
    ],
)
def test_every_field_of_the_public_registration_refuses_a_number(client, db, field):
    from tests.pilots.test_intake import FORM

    value = {"contact_email": f"{NUMBER}@example.org", "contact_phone": "6408233234"}.get(
        field, f"Eleven {NUMBER}"
    )
    response = client.post(reverse("pilots:registration_create"), {**FORM, field: value})
    assert response.status_code == 200
    assert "personal_number" in [e.code for e in response.context["form"].errors.as_data()[field]]
    assert not InterestRegistration.objects.exists()


# --- Uploaded file names -------------------------------------------------------------------------


def test_an_upload_named_with_a_number_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile(f"{NUMBER} journal.pdf", PDF))
    with translation.override("en"):
        assert error.value.messages == [
            f"The file's name contains a personal identity number or coordination number "
            f"({MASKED}). Rename the file without it and upload it again."
        ]
    check_upload(SimpleUploadedFile("Rutin 2018-12-18.pdf", PDF))


def test_the_library_refuses_a_file_named_with_a_number(client_for, site_a, member_a):
    response = client_for(member_a).post(
        reverse("exchange:site_library_create", kwargs={"site_slug": site_a.slug}),
        {"title": "Rutin", "file": SimpleUploadedFile(f"{NUMBER} journal.pdf", PDF)},
    )
    assert response.status_code == 200
    # In Swedish, the default language.
    assert "Filnamnet innehåller ett personnummer" in response.content.decode()
    assert MASKED in response.content.decode()
    assert NUMBER not in response.content.decode()
    assert not LibraryItem.objects.exists()


def test_a_stored_name_with_a_number_is_never_sent_back(client_for, site_a, member_a):
    item = LibraryItemFactory(site=site_a)
    # A name stored before uploads were checked.
    LibraryItem.objects.filter(pk=item.pk).update(original_name=f"{NUMBER} journal.pdf")
    response = client_for(member_a).get(item.get_download_url())
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert header.startswith("attachment")
    assert "3234" not in header and "640823" in header


@pytest.mark.parametrize(
    "header",
    [
        f'attachment; filename="{NUMBER} journal.pdf"',
        f"attachment; filename*=utf-8''{NUMBER.replace('-', '%E2%80%93')}%20journal.pdf",
        f"attachment; filename={NUMBER}.pdf",
    ],
)
def test_the_download_name_middleware_masks_every_form_of_the_header(rf, header):
    from django.http import HttpResponse

    from infra.uploads import DownloadNameMiddleware, download_name

    def view(request):
        response = HttpResponse(b"x")
        response["Content-Disposition"] = header
        return response

    sent = DownloadNameMiddleware(view)(rf.get("/"))["Content-Disposition"]
    assert sent.startswith("attachment")
    assert "3234" not in download_name(sent)


# --- The audit records keep no number from the address -------------------------------------------


def test_the_access_record_keeps_the_page_without_its_query_string(client_for, member_a, site_a):
    from tests.cases.factories import CaseFactory

    CaseFactory(site=site_a)
    url = reverse("cases:case_list", kwargs={"site_slug": site_a.slug})
    client_for(member_a).get(f"{url}?status=open&q={NUMBER}")
    client_for(member_a).get(f"{url}?q={NUMBER.replace('-', '%E2%80%93')}")
    assert list(CaseAccess.objects.values_list("path", flat=True)) == [url, url]


def test_the_security_audit_keeps_the_page_without_its_query_string_and_masks_the_path(
    client_for, member_b, site_a
):
    client_for(member_b).get(f"/sites/{site_a.slug}/cases/?q={NUMBER}")
    client_for(member_b).get(f"/sites/{NUMBER}/")
    paths = set(AuditEvent.objects.filter(kind=AuditKind.REFUSED).values_list("path", flat=True))
    assert paths == {f"/sites/{site_a.slug}/cases/", f"/sites/{MASKED}/"}


def test_an_address_tried_at_sign_in_is_kept_masked(client, db):
    client.post(reverse("account_login"), {"login": f"{NUMBER}@example.org", "password": "x"})
    event = AuditEvent.objects.get(kind=AuditKind.LOGIN_FAILED)
    assert event.user_email == f"{MASKED}@example.org"
