"""Uploads and generated files in an S3-compatible object store (moto's server on loopback),
uploaded and read back through Triad's own views: the same access checks and audit lines as on
the file system, the object really in the bucket, and nothing on this machine's disk."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exchange.models import LibraryItem
from infra.models import AuditEvent, AuditKind
from tests.workshops.factories import PDF
from workshops.models import Delivery, Material

from .conftest import PREFIX

pytestmark = pytest.mark.django_db


def files_on_disk(settings) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def body(response) -> bytes:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return b"".join(response.streaming_content)


def refused(user, url) -> list[tuple]:
    return list(
        AuditEvent.objects.filter(kind=AuditKind.REFUSED, user=user, path=url).values_list(
            "status", "method"
        )
    )


def test_a_library_file_is_stored_in_the_bucket_and_served_only_to_its_site(
    bucket, settings, client_for, site_a, site_b, member_a, member_b
):
    create = reverse("exchange:site_library_create", kwargs={"site_slug": site_a.slug})
    response = client_for(member_a).post(
        create, {"title": "Rutin", "file": SimpleUploadedFile("rutin.pdf", PDF)}
    )
    assert response.status_code == 302
    item = LibraryItem.objects.get()
    assert bucket.keys() == [f"{PREFIX}/{item.file.name}"]
    assert bucket.read(item.file.name) == PDF
    assert files_on_disk(settings) == []

    url = item.get_download_url()
    response = client_for(member_a).get(url)
    assert body(response) == PDF
    assert 'filename="rutin.pdf"' in response["Content-Disposition"]
    assert response["Content-Length"] == str(len(PDF))

    assert client_for(member_b).get(url).status_code == 404
    assert refused(member_b, url) == [(404, "GET")]


def test_a_delivered_file_is_replaced_in_the_bucket_and_refused_to_another_site(
    bucket,
    settings,
    client_for,
    lead_a,
    member_a,
    member_b,
    site_a,
    deliverable,
    django_capture_on_commit_callbacks,
):
    deliver = reverse(
        "workshops:site_deliver", kwargs={"site_slug": site_a.slug, "pk": deliverable.pk}
    )
    client = client_for(lead_a)
    client.post(deliver, {"upload": SimpleUploadedFile("v1.pdf", PDF)})
    first = Delivery.objects.get().file.name
    assert bucket.keys() == [f"{PREFIX}/{first}"]

    second_pdf = PDF + b"% andra versionen\n"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(deliver, {"upload": SimpleUploadedFile("v2.pdf", second_pdf)})
    delivery = Delivery.objects.get()
    # The old version is removed from the bucket once the new one is committed.
    assert bucket.keys() == [f"{PREFIX}/{delivery.file.name}"] != [f"{PREFIX}/{first}"]
    assert files_on_disk(settings) == []

    url = reverse("workshops:delivery_file", kwargs={"site_slug": site_a.slug, "pk": delivery.pk})
    assert body(client_for(member_a).get(url)) == second_pdf
    assert client_for(member_b).get(url).status_code == 404
    assert refused(member_b, url) == [(404, "GET")]


def test_workshop_material_comes_from_the_bucket_to_the_invited_only(
    bucket, settings, client_for, coordinator, member_a, steering_a, workshop
):
    client_for(coordinator).post(
        reverse("workshops:material_create", kwargs={"pk": workshop.pk}),
        {"title": "Bilder", "file": SimpleUploadedFile("bilder.pdf", PDF)},
    )
    material = Material.objects.get()
    assert bucket.keys() == [f"{PREFIX}/{material.file.name}"]
    assert files_on_disk(settings) == []
    assert body(client_for(member_a).get(material.get_absolute_url())) == PDF
    assert client_for(steering_a).get(material.get_absolute_url()).status_code == 404

    client_for(coordinator).post(reverse("workshops:material_delete", kwargs={"pk": material.pk}))
    assert not Material.objects.exists()
    assert bucket.keys() == []


def test_a_file_missing_from_the_bucket_answers_404_not_an_error(
    bucket, client_for, site_a, member_a
):
    create = reverse("exchange:site_library_create", kwargs={"site_slug": site_a.slug})
    client_for(member_a).post(
        create, {"title": "Rutin", "file": SimpleUploadedFile("rutin.pdf", PDF)}
    )
    item = LibraryItem.objects.get()
    bucket.remove(item.file.name)
    assert client_for(member_a).get(item.get_download_url()).status_code == 404


def test_generated_files_saved_to_default_storage_land_in_the_bucket(bucket, settings):
    # What a stored PDF of a summary does: default_storage is the object store.
    name = default_storage.save("dashboards/lagesbild.pdf", ContentFile(PDF))
    assert bucket.keys() == [f"{PREFIX}/{name}"]
    assert bucket.read(name) == PDF
    with default_storage.open(name, "rb") as stored:
        assert stored.read() == PDF
    assert files_on_disk(settings) == []


def test_a_file_of_the_same_name_never_replaces_another(bucket):
    first = default_storage.save("exchange/library/same.txt", ContentFile(b"first"))
    second = default_storage.save("exchange/library/same.txt", ContentFile(b"second"))
    assert first != second
    assert bucket.read(first) == b"first"


def test_no_link_to_an_object_is_ever_handed_out(bucket, s3_endpoint, settings):
    name = default_storage.save("exchange/library/rutin.pdf", ContentFile(PDF))
    url = default_storage.url(name)
    # The address is the file system's unserved one: no endpoint, bucket or signature in it.
    assert url == f"{settings.MEDIA_URL}{name}"
    assert s3_endpoint.split("//")[1] not in url
    assert bucket.name not in url
    assert "Signature" not in url
