"""Two-factor authentication (TOTP with recovery codes) through the pages, and the gate that
keeps people without it away from case pages when TRIAD_REQUIRE_MFA_FOR_CASES is on.

Codes are computed from the secret with allauth's own HOTP arithmetic (RFC 6238), so the tests
need no authenticator app and no mock of the thing under test."""

import re
import runpy
import sys
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from django.views import View

import config.urls
from pilots.scoping import SiteViewMixin
from tests.pilots.factories import PASSWORD

LOGIN = reverse("account_login")


def totp_code(secret, steps_ahead=0):
    """The code an authenticator app shows now (or `steps_ahead` 30-second windows later)."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD + steps_ahead
    return format_hotp_value(hotp_value(secret, counter))


def sign_in_with_password(client, user):
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def with_totp(user):
    """Give `user` TOTP and recovery codes the way the activation page does; return the secret
    and the codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user)
    return secret, codes.get_unused_codes()


def reauthenticate(client):
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


# --- Setting up TOTP through the pages ------------------------------------------------------


def test_activating_totp_through_the_pages_then_signing_in_with_password_and_code(client, member_a):
    sign_in_with_password(client, member_a)
    assert "Av" in client.get(reverse("mfa_index")).content.decode()

    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))  # password first
    reauthenticate(client)

    page = client.get(reverse("mfa_activate_totp"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ställ in autentiseringsappen" in html
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code
    secret = re.search(r'id="authenticator_secret">([A-Z2-7]+)<', html).group(1)

    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200
    assert "Felaktig kod." in response.content.decode()

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.url == reverse("mfa_view_recovery_codes")
    codes_page = client.get(response.url).content.decode()
    assert "Dina återställningskoder" in codes_page
    assert len(re.findall(r"<li><code>\w+</code></li>", codes_page)) == 10
    assert Authenticator.objects.filter(user=member_a, type=Authenticator.Type.TOTP).exists()

    client.post(reverse("account_logout"))
    response = sign_in_with_password(client, member_a)
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not signed in on the password alone
    assert "Ange din kod" in client.get(response.url).content.decode()

    # The code just used to activate is spent; the app's next code is accepted (tolerance 1).
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret, 1)})
    assert response.url == reverse("pilots:home")
    assert client.get(reverse("pilots:home")).wsgi_request.user == member_a


def test_a_totp_code_works_only_once(client, member_a):
    secret, _ = with_totp(member_a)
    code = totp_code(secret)
    sign_in_with_password(client, member_a)
    client.post(reverse("mfa_authenticate"), {"code": code})
    client.post(reverse("account_logout"))

    sign_in_with_password(client, member_a)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200
    assert "Felaktig kod." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_wrong_code_is_refused_in_swedish(client, member_a):
    with_totp(member_a)
    sign_in_with_password(client, member_a)
    response = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert response.status_code == 200
    assert "Felaktig kod." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_guessing_codes_is_rate_limited(client, member_a):
    with_totp(member_a)
    sign_in_with_password(client, member_a)
    for _ in range(5):
        client.post(reverse("mfa_authenticate"), {"code": "123456"})
    response = client.post(reverse("mfa_authenticate"), {"code": "654321"})
    assert "För många misslyckade inloggningsförsök" in response.content.decode()


# --- Recovery codes ---------------------------------------------------------------------------


def test_a_recovery_code_signs_in_once_and_then_no_longer_works(client, member_a):
    _, codes = with_totp(member_a)
    sign_in_with_password(client, member_a)
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.url == reverse("pilots:home")
    assert "_auth_user_id" in client.session
    client.post(reverse("account_logout"))

    sign_in_with_password(client, member_a)
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 200
    assert "Felaktig kod." in response.content.decode()
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": codes[1]})
    assert response.url == reverse("pilots:home")


def test_recovery_codes_page_shows_the_unused_codes(client, member_a):
    _, codes = with_totp(member_a)
    sign_in_with_password(client, member_a)
    client.post(reverse("mfa_authenticate"), {"code": codes[0]})

    index = client.get(reverse("mfa_index")).content.decode()
    assert "9 av 10 återställningskoder är oanvända" in index

    response = client.get(reverse("mfa_view_recovery_codes"))
    if response.status_code == 302:
        reauthenticate(client)
        response = client.get(reverse("mfa_view_recovery_codes"))
    html = response.content.decode()
    assert codes[0] not in html
    assert all(code in html for code in codes[1:])


def test_recovery_codes_download_as_a_text_file(client, member_a):
    _, codes = with_totp(member_a)
    sign_in_with_password(client, member_a)
    client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    reauthenticate(client)
    response = client.get(reverse("mfa_download_recovery_codes"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode().split() == codes[1:]


def test_regenerating_recovery_codes_invalidates_the_old_ones(client, member_a):
    secret, old_codes = with_totp(member_a)
    sign_in_with_password(client, member_a)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    response = client.get(reverse("mfa_generate_recovery_codes"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    reauthenticate(client)
    page = client.get(reverse("mfa_generate_recovery_codes"))
    assert page.status_code == 200
    response = client.post(reverse("mfa_generate_recovery_codes"))
    assert response.url == reverse("mfa_view_recovery_codes")
    new_codes = RecoveryCodes(
        Authenticator.objects.get(user=member_a, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    assert set(new_codes).isdisjoint(old_codes)

    client.post(reverse("account_logout"))
    sign_in_with_password(client, member_a)
    assert client.post(reverse("mfa_authenticate"), {"code": old_codes[1]}).status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_password_reset_does_not_skip_the_second_step(
    client, member_a, django_capture_on_commit_callbacks
):
    from django.core import mail

    with_totp(member_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": member_a.email})
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    form_url = client.get(link).url
    new = "ny-och-lang-fras-2018"
    client.post(form_url, {"password1": new, "password2": new})
    assert "_auth_user_id" not in client.session
    response = client.post(LOGIN, {"login": member_a.email, "password": new})
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


# --- The gate before case pages ------------------------------------------------------------------


class CaseProbeView(SiteViewMixin, View):
    """Stands in for a case page: needs the case ability and, when required, MFA."""

    permission = "can_see_cases"
    shows_case_data = True

    def get(self, request, *args, **kwargs):
        return HttpResponse("case data")


urlpatterns = [
    path("sites/<slug:site_slug>/case-probe/", CaseProbeView.as_view(), name="case_probe"),
    *config.urls.urlpatterns,
]
handler403 = config.urls.handler403
handler404 = config.urls.handler404

gated = pytest.mark.urls("tests.test_mfa")


def probe_url(site):
    return reverse("case_probe", kwargs={"site_slug": site.slug})


@gated
def test_with_the_gate_on_a_member_without_mfa_is_sent_to_set_it_up(
    client_for, member_a, site_a, settings
):
    settings.TRIAD_REQUIRE_MFA_FOR_CASES = True
    client = client_for(member_a)
    response = client.get(probe_url(site_a))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    # The next page tells them why, in Swedish (whatever the catalogue's wording).
    page = client.get(reverse("mfa_index")).content.decode()
    with translation.override("sv"):
        why = gettext("Set up two-factor authentication before you open cases.")
    assert escape(why) in page


@gated
def test_with_the_gate_on_a_member_with_totp_gets_the_case_page(
    client_for, member_a, site_a, settings
):
    settings.TRIAD_REQUIRE_MFA_FOR_CASES = True
    with_totp(member_a)
    response = client_for(member_a).get(probe_url(site_a))
    assert response.status_code == 200
    assert response.content == b"case data"


@gated
def test_turning_totp_off_closes_the_gate_again(client, member_a, site_a, settings):
    settings.TRIAD_REQUIRE_MFA_FOR_CASES = True
    secret, _ = with_totp(member_a)
    sign_in_with_password(client, member_a)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert client.get(probe_url(site_a)).status_code == 200

    reauthenticate(client)
    page = client.get(reverse("mfa_deactivate_totp"))
    assert page.status_code == 200
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.url == reverse("mfa_index")
    assert not Authenticator.objects.filter(user=member_a).exists()  # codes go with it
    assert client.get(probe_url(site_a)).url == reverse("mfa_activate_totp")


@gated
def test_with_the_gate_off_no_mfa_is_needed(client_for, member_a, site_a, settings):
    settings.TRIAD_REQUIRE_MFA_FOR_CASES = False
    assert client_for(member_a).get(probe_url(site_a)).status_code == 200


@gated
def test_the_gate_comes_after_access_another_sites_member_gets_404(
    client_for, member_b, site_a, settings
):
    settings.TRIAD_REQUIRE_MFA_FOR_CASES = True
    assert client_for(member_b).get(probe_url(site_a)).status_code == 404


@gated
@pytest.mark.parametrize("who", ["coordinator", "steering_a"])
def test_people_who_never_see_cases_get_403_even_with_mfa(who, request, site_a, client, settings):
    settings.TRIAD_REQUIRE_MFA_FOR_CASES = True
    person = request.getfixturevalue(who)
    with_totp(person)
    client.force_login(person)
    assert client.get(probe_url(site_a)).status_code == 403


@gated
def test_anonymous_is_sent_to_sign_in(client, site_a, settings):
    settings.TRIAD_REQUIRE_MFA_FOR_CASES = True
    response = client.get(probe_url(site_a))
    assert response.url.startswith(LOGIN)


def test_production_settings_require_mfa_for_cases_by_default(monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 60)
    monkeypatch.setenv("DATABASE_URL", "postgres://triad:pw@localhost:5432/triad")
    monkeypatch.setenv("REDIS_URL", "redis://localhost:6379/0")
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "triad.example.org")
    monkeypatch.delenv("TRIAD_REQUIRE_MFA_FOR_CASES", raising=False)
    # Read the settings afresh from this environment; the test run's own stay untouched.
    monkeypatch.delitem(sys.modules, "config.settings.base")
    production = runpy.run_module("config.settings.production")
    assert production["TRIAD_REQUIRE_MFA_FOR_CASES"] is True
