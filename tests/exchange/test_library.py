import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from cases.models.choices import StartingPoint
from exchange.models import LibraryItem

from .factories import PDF, LibraryItemFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search (DATABASE_URL)"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the plain SQLite search")


def site_url(name, site, **kwargs):
    return reverse(f"exchange:site_{name}", kwargs={"site_slug": site.slug, **kwargs})


def upload(client, site, name, content, title="Rutin"):
    return client.post(
        site_url("library_create", site),
        {"title": title, "file": SimpleUploadedFile(name, content)},
    )


def test_a_file_uploaded_for_site_a_cannot_be_downloaded_by_member_b(
    client_for, site_a, site_b, member_a, member_b
):
    assert upload(client_for(member_a), site_a, "rutin.pdf", PDF).status_code == 302
    item = LibraryItem.objects.get()
    assert item.site == site_a
    # Stored under MEDIA_ROOT, never under the static files.
    assert str(settings.STATIC_ROOT) not in item.file.path
    assert not item.file.name.endswith("rutin.pdf")  # a random name on disk

    response = client_for(member_a).get(item.get_download_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF

    client = client_for(member_b)
    assert client.get(item.get_download_url()).status_code == 404
    assert client.get(site_url("library_download", site_b, pk=item.pk)).status_code == 404
    assert (
        client.get(reverse("exchange:library_download", kwargs={"pk": item.pk})).status_code == 404
    )


def test_coordinator_downloads_any_sites_file(client_for, coordinator, site_a):
    item = LibraryItemFactory(site=site_a)
    assert client_for(coordinator).get(item.get_download_url()).status_code == 200


@pytest.mark.parametrize(
    "name,content",
    [
        ("sida.html", b"<html><script>alert(1)</script></html>"),
        ("bild.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        ("falsk.pdf", b"<html>not a pdf</html>"),
        ("tom.pdf", b""),
    ],
)
def test_uploads_are_checked_for_type(client_for, site_a, member_a, name, content):
    response = upload(client_for(member_a), site_a, name, content)
    assert response.status_code == 200
    assert not LibraryItem.objects.exists()


def test_uploads_are_checked_for_size(client_for, site_a, member_a, monkeypatch):
    monkeypatch.setattr("infra.uploads.MAX_UPLOAD_BYTES", 10)
    response = upload(client_for(member_a), site_a, "stor.pdf", PDF)
    assert response.status_code == 200
    assert not LibraryItem.objects.exists()


def test_text_file_is_served_as_an_attachment_never_inline(client_for, site_a, member_a):
    upload(client_for(member_a), site_a, "anteckning.txt", b"<script>alert(1)</script>")
    response = client_for(member_a).get(LibraryItem.objects.get().get_download_url())
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"].startswith("text/plain")
    assert "sandbox" in response["Content-Security-Policy"]


def test_steering_member_cannot_add_to_the_sites_library(client_for, site_a, steering_a):
    assert upload(client_for(steering_a), site_a, "a.pdf", PDF).status_code == 403


def test_a_link_or_a_file_but_not_both(client_for, site_a, member_a):
    client = client_for(member_a)
    response = client.post(
        site_url("library_create", site_a),
        {"title": "Båda", "url": "https://example.org", "file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert response.status_code == 200
    response = client.post(
        site_url("library_create", site_a), {"title": "Länk", "url": "https://example.org/x"}
    )
    assert response.status_code == 302
    assert LibraryItem.objects.get().is_link


def test_site_material_is_listed_only_at_its_site(client_for, site_a, site_b, member_a, member_b):
    LibraryItemFactory(site=site_a, title="A:s rutin")
    LibraryItemFactory(site=None, title="Programmets mall")
    assert (
        "A:s rutin" in client_for(member_a).get(site_url("library_list", site_a)).content.decode()
    )
    programme = client_for(member_b).get(reverse("exchange:library_list")).content.decode()
    assert "Programmets mall" in programme and "A:s rutin" not in programme
    assert client_for(member_b).get(site_url("library_list", site_a)).status_code == 404


def test_library_filters_by_starting_point_and_workshop(client_for, member_a):
    LibraryItemFactory(title="Tidiga insatser", starting_points=[StartingPoint.EARLY])
    LibraryItemFactory(title="Söka hjälp", starting_points=[StartingPoint.SEEK_HELP])
    page = (
        client_for(member_a)
        .get(reverse("exchange:library_list"), {"starting_point": StartingPoint.EARLY})
        .content.decode()
    )
    assert "Tidiga insatser" in page and "Söka hjälp" not in page


def _search(client, q):
    return client.get(reverse("exchange:library_list"), {"q": q}).content.decode()


@on_sqlite
def test_search_on_sqlite_matches_parts_of_words(client_for, member_a):
    LibraryItemFactory(title="Samtyckesblankett", description="För informationsdelning")
    LibraryItemFactory(title="PGSA-mall", description="Planera, göra, studera, agera")
    client = client_for(member_a)
    page = _search(client, "samtycke")
    assert "Samtyckesblankett" in page and "PGSA-mall" not in page
    assert "PGSA-mall" in _search(client, "studera")


@on_postgresql
def test_search_on_postgresql_uses_swedish_full_text_search(client_for, member_a):
    LibraryItemFactory(title="Vägledning om samtycke", description="Hur barnen söker hjälp")
    LibraryItemFactory(title="PGSA-mall", description="Planera, göra, studera, agera")
    client = client_for(member_a)
    # Swedish stemming: "barnens" and "barn" find "barnen"; "söka" finds "söker".
    page = _search(client, "barnens")
    assert "Vägledning om samtycke" in page and "PGSA-mall" not in page
    assert "Vägledning om samtycke" in _search(client, "söka")
    assert "PGSA-mall" in _search(client, "studera")
    assert "PGSA-mall" not in _search(client, "samtycke")


def test_library_list_queries_stay_bounded(
    client_for, member_a, site_a, django_assert_max_num_queries
):
    client = client_for(member_a)
    LibraryItemFactory.create_batch(2, site=site_a)
    url = site_url("library_list", site_a)
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    LibraryItemFactory.create_batch(10, site=site_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
