"""The error pages 403, 404, 429 and 500: in Swedish, rendered through Triad's handlers."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django_ratelimit.decorators import ratelimit

import config.urls
from infra.errors import Refusal


def boom(request):
    raise RuntimeError("a bug")


def forbidden(request):
    raise PermissionDenied("internal detail")


def refused(request):
    raise Refusal("Bara samordnarna ändrar den.")


@ratelimit(key="ip", rate="1/m", block=True)
def limited(request):
    from django.http import HttpResponse

    return HttpResponse("ok")


# A URLconf of the real one plus three views that fail on purpose, with the real handlers.
urlpatterns = [
    path("test-errors/boom/", boom),
    path("test-errors/forbidden/", forbidden),
    path("test-errors/refused/", refused),
    path("test-errors/limited/", limited),
    *config.urls.urlpatterns,
]
handler403 = config.urls.handler403
handler404 = config.urls.handler404
handler500 = config.urls.handler500

with_failing_views = pytest.mark.urls("tests.test_errors")


def test_the_urlconf_uses_triads_handlers():
    assert config.urls.handler403 == "infra.errors.permission_denied"
    assert config.urls.handler404 == "infra.errors.page_not_found"
    assert config.urls.handler500 == "infra.errors.server_error"


def test_unknown_address_gives_a_swedish_404_page(client_for, member_a):
    response = client_for(member_a).get("/finns-inte/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="sv">' in html
    assert "Vi hittar inte den sidan" in html
    assert "Till startsidan" in html


def test_anonymous_404_is_swedish_too(client, db):
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    assert "Vi hittar inte den sidan" in response.content.decode()


def test_404_follows_an_english_speakers_choice(client_for, member_a):
    member_a.language = "en"
    member_a.save()
    response = client_for(member_a).get("/does-not-exist/")
    assert "We could not find that page" in response.content.decode()


def test_another_sites_page_is_the_same_404(client_for, member_b, site_a):
    response = client_for(member_b).get(reverse("pilots:site_home", kwargs={"site_slug": "site-a"}))
    assert response.status_code == 404
    assert "Vi hittar inte den sidan" in response.content.decode()


def test_403_is_swedish_through_the_real_urlconf(client_for, member_a):
    # The admin's login refuses a signed-in person without admin access.
    response = client_for(member_a).get(reverse("admin:login"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Din roll ger inte tillgång till den här sidan" in html


@with_failing_views
def test_a_refused_view_renders_the_swedish_403_page(client_for, member_a):
    response = client_for(member_a).get("/test-errors/forbidden/")
    assert response.status_code == 403
    assert "Din roll ger inte tillgång till den här sidan" in response.content.decode()


@with_failing_views
def test_a_refusal_says_why_and_a_plain_one_keeps_its_message_to_itself(client_for, member_a):
    client = client_for(member_a)
    page = client.get("/test-errors/refused/").content.decode()
    assert "Bara samordnarna ändrar den." in page
    assert "Din roll ger inte tillgång till den här sidan" in page
    assert "internal detail" not in client.get("/test-errors/forbidden/").content.decode()


@with_failing_views
def test_a_crash_renders_the_swedish_500_page(client, member_a):
    client.raise_request_exception = False
    client.force_login(member_a)
    response = client.get("/test-errors/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="sv">' in html
    assert "Något gick fel hos oss" in html
    assert "a bug" not in html


@with_failing_views
def test_django_ratelimit_answers_429_in_swedish_not_403(client_for, member_a):
    client = client_for(member_a)
    assert client.get("/test-errors/limited/").status_code == 200
    response = client.get("/test-errors/limited/")
    assert response.status_code == 429
    assert "För många försök" in response.content.decode()
    assert response["Retry-After"] == "60"


def test_allauths_rate_limit_renders_the_swedish_429_page(client, db):
    login = reverse("account_login")
    for i in range(30):
        client.post(login, {"login": f"x{i}@example.org", "password": "x"})
    response = client.post(login, {"login": "y@example.org", "password": "x"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "För många försök" in html
    assert "Tillbaka till inloggningen" in html
