"""Delivering work before a workshop (a link to the site's object, or a file) and the
coordinators' review."""

import os

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from infra import uploads
from pilots.models import DocumentKind, PlanDocument
from tests.workshops.factories import PDF, DeliveryFactory
from workshops import linking
from workshops.models import Delivery, DeliveryEvent, DeliveryStatus


def deliver_url(site, deliverable):
    return reverse("workshops:site_deliver", kwargs={"site_slug": site.slug, "pk": deliverable.pk})


def pdf(name="projektplan.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_lead_delivers_by_linking_the_sites_project_plan(client_for, lead_a, site_a, deliverable):
    plan = PlanDocument.objects.create(site=site_a, kind=DocumentKind.PROJECT_PLAN)
    response = client_for(lead_a).post(
        deliver_url(site_a, deliverable), {"linked": f"pilots.plandocument:{plan.pk}"}
    )
    assert response.status_code == 302
    delivery = Delivery.objects.get(site=site_a, deliverable=deliverable)
    assert delivery.linked == plan
    assert delivery.status == DeliveryStatus.SUBMITTED
    assert delivery.submitted_by == lead_a
    assert delivery.events.get().action == DeliveryEvent.Action.SUBMITTED


def test_only_the_sites_own_documents_of_the_right_kind_are_offered(
    client_for, lead_a, site_a, site_b, deliverable
):
    own = PlanDocument.objects.create(site=site_a, kind=DocumentKind.PROJECT_PLAN)
    PlanDocument.objects.create(site=site_a, kind=DocumentKind.NEEDS_ANALYSIS)
    PlanDocument.objects.create(site=site_b, kind=DocumentKind.PROJECT_PLAN)
    form = client_for(lead_a).get(deliver_url(site_a, deliverable)).context["form"]
    values = [v for _group, options in form.fields["linked"].choices[1:] for v, _l in options]
    assert values == [f"pilots.plandocument:{own.pk}"]


def test_linking_another_sites_plan_by_forging_the_value_is_refused(
    client_for, lead_a, site_a, site_b, deliverable
):
    foreign = PlanDocument.objects.create(site=site_b, kind=DocumentKind.PROJECT_PLAN)
    response = client_for(lead_a).post(
        deliver_url(site_a, deliverable), {"linked": f"pilots.plandocument:{foreign.pk}"}
    )
    assert response.status_code == 200
    assert not Delivery.objects.exists()


def test_practical_test_of_the_site_can_be_linked_when_cases_has_them(
    client_for, lead_a, site_a, site_b, deliverable
):
    model = linking.practical_test_model()
    if model is None:
        pytest.skip("cases.PracticalTest does not exist yet")
    factories = pytest.importorskip("tests.cases.factories")
    own = factories.PracticalTestFactory(site=site_a)
    factories.PracticalTestFactory(site=site_b)
    deliverable.kind = "test_plan"
    deliverable.save()
    form = client_for(lead_a).get(deliver_url(site_a, deliverable)).context["form"]
    values = [v for _group, options in form.fields["linked"].choices[1:] for v, _l in options]
    assert values == [f"{model._meta.label_lower}:{own.pk}"]


def test_lead_delivers_a_file_that_is_stored_outside_static_and_served_as_attachment(
    client_for, lead_a, member_a, site_a, deliverable
):
    client_for(lead_a).post(deliver_url(site_a, deliverable), {"upload": pdf()})
    delivery = Delivery.objects.get()
    assert delivery.original_name == "projektplan.pdf"
    path = delivery.file.path
    assert str(path).startswith(str(settings.MEDIA_ROOT))
    assert "projektplan" not in delivery.file.name  # stored under a random name
    url = reverse("workshops:delivery_file", kwargs={"site_slug": site_a.slug, "pk": delivery.pk})
    response = client_for(member_a).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF


def test_file_of_another_type_is_rejected(client_for, lead_a, site_a, deliverable):
    response = client_for(lead_a).post(
        deliver_url(site_a, deliverable),
        {"upload": SimpleUploadedFile("plan.exe", b"MZ\x90\x00", "application/octet-stream")},
    )
    assert response.status_code == 200
    assert "upload" in response.context["form"].errors
    assert not Delivery.objects.exists()


def test_file_whose_content_does_not_match_its_name_is_rejected(
    client_for, lead_a, site_a, deliverable
):
    response = client_for(lead_a).post(
        deliver_url(site_a, deliverable), {"upload": pdf(content=b"<html>not a pdf</html>")}
    )
    assert "upload" in response.context["form"].errors
    assert not Delivery.objects.exists()


def test_too_large_file_is_rejected(client_for, lead_a, site_a, deliverable, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 10)
    response = client_for(lead_a).post(deliver_url(site_a, deliverable), {"upload": pdf()})
    assert "upload" in response.context["form"].errors
    assert not Delivery.objects.exists()


def test_delivering_nothing_or_both_asks_for_one(client_for, lead_a, site_a, deliverable):
    plan = PlanDocument.objects.create(site=site_a, kind=DocumentKind.PROJECT_PLAN)
    client = client_for(lead_a)
    assert client.post(deliver_url(site_a, deliverable), {}).context["form"].non_field_errors()
    both = client.post(
        deliver_url(site_a, deliverable),
        {"linked": f"pilots.plandocument:{plan.pk}", "upload": pdf()},
    )
    assert both.context["form"].non_field_errors()
    assert not Delivery.objects.exists()


def test_delivering_again_replaces_the_file_and_resets_the_review(
    client_for, lead_a, coordinator, site_a, deliverable, django_capture_on_commit_callbacks
):
    client = client_for(lead_a)
    client.post(deliver_url(site_a, deliverable), {"upload": pdf("v1.pdf")})
    first = Delivery.objects.get()
    old_path = first.file.path
    first.status, first.reviewed_by, first.review_comment = "needs_revision", coordinator, "Mer"
    first.reviewed_at = first.submitted_at
    first.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(deliver_url(site_a, deliverable), {"upload": pdf("v2.pdf")})
    delivery = Delivery.objects.get()
    assert not os.path.exists(old_path)
    assert os.path.exists(delivery.file.path)
    assert delivery.original_name == "v2.pdf"
    assert delivery.status == DeliveryStatus.SUBMITTED
    assert delivery.review_comment == "" and delivery.reviewed_at is None
    assert delivery.events.count() == 2


def test_working_member_sees_the_status_but_cannot_deliver(
    client_for, member_a, site_a, deliverable
):
    client = client_for(member_a)
    page = client.get(
        reverse(
            "workshops:site_deliverable", kwargs={"site_slug": site_a.slug, "pk": deliverable.pk}
        )
    )
    assert page.status_code == 200
    assert deliver_url(site_a, deliverable) not in page.content.decode()
    assert client.post(deliver_url(site_a, deliverable), {"upload": pdf()}).status_code == 403
    assert not Delivery.objects.exists()


def review_url(delivery):
    return reverse(
        "workshops:delivery_review", kwargs={"site_slug": delivery.site.slug, "pk": delivery.pk}
    )


def test_coordinator_accepts_a_delivery_and_the_leads_are_told(
    client_for, coordinator, lead_a, site_a, deliverable, django_capture_on_commit_callbacks
):
    delivery = DeliveryFactory(deliverable=deliverable, site=site_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(review_url(delivery), {"status": "accepted"})
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.ACCEPTED
    assert delivery.reviewed_by == coordinator
    assert [m.to for m in mail.outbox] == [[lead_a.email]]
    assert deliverable.title in mail.outbox[0].subject


def test_sending_back_for_revision_needs_a_comment(client_for, coordinator, site_a, deliverable):
    delivery = DeliveryFactory(deliverable=deliverable, site=site_a)
    client = client_for(coordinator)
    response = client.post(review_url(delivery), {"status": "needs_revision", "comment": " "})
    assert response.status_code == 200
    assert "comment" in response.context["form"].errors
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUBMITTED
    client.post(review_url(delivery), {"status": "needs_revision", "comment": "Lägg till tidplan."})
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.NEEDS_REVISION
    assert delivery.review_comment == "Lägg till tidplan."
    assert delivery.events.filter(action="needs_revision", comment="Lägg till tidplan.").exists()


def test_review_comment_is_shown_to_the_site(
    client_for, member_a, coordinator, site_a, deliverable
):
    delivery = DeliveryFactory(deliverable=deliverable, site=site_a)
    client_for(coordinator).post(
        review_url(delivery), {"status": "needs_revision", "comment": "Beskriv styrgruppen."}
    )
    page = client_for(member_a).get(
        reverse(
            "workshops:site_deliverable", kwargs={"site_slug": site_a.slug, "pk": deliverable.pk}
        )
    )
    assert "Beskriv styrgruppen." in page.content.decode()


def test_project_lead_cannot_review_own_delivery(client_for, lead_a, site_a, deliverable):
    delivery = DeliveryFactory(deliverable=deliverable, site=site_a)
    assert client_for(lead_a).post(review_url(delivery), {"status": "accepted"}).status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUBMITTED


def test_a_delivery_needs_a_link_or_a_file_in_the_database(site_a, deliverable):
    with pytest.raises(IntegrityError), transaction.atomic():
        DeliveryFactory(deliverable=deliverable, site=site_a, file="")
