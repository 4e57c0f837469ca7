"""Passkeys (allauth's WebAuthn) beside the authenticator app: adding one through the pages,
signing in with the password and then the key, confirming access with it, renaming and
removing keys, and the gate before case pages accepting a passkey as the second factor.

The key is tests/passkey_device.py: a software authenticator answering from the options the
page itself carries, so allauth's real verification (fido2) runs."""

import json
import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.passkey_device import PasskeyDevice, add_passkey, page_options
from tests.pilots.factories import PASSWORD
from tests.test_mfa import probe_url, reauthenticate, sign_in_with_password, with_totp

ADD = reverse("mfa_add_webauthn")
LIST = reverse("mfa_list_webauthn")


def passkeys_of(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN)


def add_through_the_page(client, device, name="Jobbtelefonen"):
    page = client.get(ADD)
    assert page.status_code == 200, page
    credential = device.register(page.content.decode())
    return client.post(ADD, {"name": name, "credential": json.dumps(credential)})


def sign_in_with_key(client, user, device):
    response = sign_in_with_password(client, user)
    assert response.url == reverse("mfa_authenticate")
    page = client.get(response.url).content.decode()
    return client.post(reverse("mfa_authenticate"), {"credential": json.dumps(device.sign(page))})


# --- Adding a passkey and signing in with it --------------------------------------------------------


def test_adding_a_passkey_through_the_pages_then_signing_in_with_password_and_key(client, member_a):
    sign_in_with_password(client, member_a)
    index = client.get(reverse("mfa_index")).content.decode()
    assert "Nycklar (passkeys)" in index
    assert f'href="{ADD}"' in index

    assert client.get(ADD).url.startswith(reverse("account_reauthenticate"))  # password first
    reauthenticate(client)
    page = client.get(ADD)
    html = page.content.decode()
    assert "Lägg till en nyckel" in html
    assert "Namnge nyckeln" in html
    assert page_options(html)["creation_options"]["publicKey"]["rp"]["id"] == "testserver"

    device = PasskeyDevice()
    credential = device.register(html)
    response = client.post(ADD, {"name": "Jobbtelefonen", "credential": json.dumps(credential)})
    # The first factor comes with recovery codes, shown straight away.
    assert response.url == reverse("mfa_view_recovery_codes")
    (key,) = passkeys_of(member_a)
    assert key.wrap().name == "Jobbtelefonen"
    assert Authenticator.objects.filter(
        user=member_a, type=Authenticator.Type.RECOVERY_CODES
    ).exists()
    listing = client.get(LIST).content.decode()
    assert "Jobbtelefonen" in listing and "inte använd än" in listing

    client.post(reverse("account_logout"))
    response = sign_in_with_password(client, member_a)
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # the password alone is not enough
    page = client.get(response.url).content.decode()
    assert "Använd min nyckel" in page
    assert "Tappat bort nyckeln?" in page  # no app: the code field takes recovery codes

    response = client.post(
        reverse("mfa_authenticate"), {"credential": json.dumps(device.sign(page))}
    )
    assert response.url == reverse("pilots:home")
    assert client.get(reverse("pilots:home")).wsgi_request.user == member_a
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_with_both_the_app_and_a_key_the_sign_in_step_offers_both(client, member_a):
    secret, _ = with_totp(member_a)
    device, _ = add_passkey(member_a)
    sign_in_with_password(client, member_a)
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert "Använd min nyckel" in page
    assert "Eller med en kod" in page

    response = client.post(
        reverse("mfa_authenticate"), {"credential": json.dumps(device.sign(page))}
    )
    assert response.url == reverse("pilots:home")


def test_a_key_that_is_not_the_persons_does_not_sign_in(client, member_a):
    add_passkey(member_a)
    stranger = PasskeyDevice()  # never added to this account
    response = sign_in_with_key(client, member_a, stranger)
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 302)
    assert not response.get("Location", "").endswith(reverse("pilots:home"))


def test_a_key_made_for_another_site_is_refused(client, member_a):
    """WebAuthn binds a key to the site's origin: an answer signed for a look-alike site (a
    phishing page passing the challenge on) is refused, so nothing is added."""
    client.force_login(member_a)
    reauthenticate(client)
    response = add_through_the_page(client, PasskeyDevice(origin="https://triad.example.net"))
    assert response.status_code == 200
    assert "Nyckeln kunde inte läggas till" in response.content.decode()
    assert not passkeys_of(member_a).exists()


def test_the_same_key_cannot_sign_a_stale_challenge(client, member_a):
    """Each sign-in page holds a fresh challenge; an answer to an earlier one is refused."""
    device, _ = add_passkey(member_a)
    sign_in_with_password(client, member_a)
    old_page = client.get(reverse("mfa_authenticate")).content.decode()
    client.get(reverse("mfa_authenticate"))  # a new challenge replaces the old
    client.post(reverse("mfa_authenticate"), {"credential": json.dumps(device.sign(old_page))})
    assert "_auth_user_id" not in client.session


# --- Confirming access, renaming, removing ---------------------------------------------------------


def test_a_person_with_a_key_can_confirm_access_with_it(client, member_a):
    device, _ = add_passkey(member_a)
    client.force_login(member_a)
    page = client.get(reverse("mfa_reauthenticate_webauthn"))
    html = page.content.decode()
    assert "Bekräfta med din nyckel" in html
    response = client.post(
        reverse("mfa_reauthenticate_webauthn") + f"?next={LIST}",
        {"credential": json.dumps(device.sign(html)), "next": LIST},
    )
    assert response.status_code == 302
    # Confirmed: renaming opens without asking again.
    _, key = add_passkey(member_a, "Reserv")
    assert client.get(reverse("mfa_edit_webauthn", kwargs={"pk": key.pk})).status_code == 200


def test_renaming_and_removing_keys(client, member_a):
    add_passkey(member_a, "Gamla nyckeln")
    _, spare = add_passkey(member_a, "Reservnyckeln")
    client.force_login(member_a)
    reauthenticate(client)
    edit = reverse("mfa_edit_webauthn", kwargs={"pk": spare.pk})
    assert "Byt namn på nyckeln" in client.get(edit).content.decode()
    response = client.post(edit, {"name": "Blå USB-nyckeln"})
    assert response.url == LIST
    spare.refresh_from_db()
    assert spare.wrap().name == "Blå USB-nyckeln"

    remove = reverse("mfa_remove_webauthn", kwargs={"pk": spare.pk})
    page = client.get(remove).content.decode()
    assert "Ta bort ”Blå USB-nyckeln”?" in page
    assert "enda andra steg" not in page  # another key remains
    assert client.post(remove).url == LIST
    assert list(passkeys_of(member_a).values_list("pk", flat=True)) != [spare.pk]
    assert passkeys_of(member_a).count() == 1


def test_removing_the_only_key_warns_first(client, member_a):
    _, key = add_passkey(member_a, "Enda nyckeln")
    client.force_login(member_a)
    reauthenticate(client)
    page = client.get(reverse("mfa_remove_webauthn", kwargs={"pk": key.pk})).content.decode()
    assert "Det här är ditt enda andra steg" in page


@pytest.mark.parametrize("name", ["mfa_edit_webauthn", "mfa_remove_webauthn"])
def test_another_persons_key_is_not_found(name, client, member_a, member_b):
    _, theirs = add_passkey(member_b, "Charlies nyckel")
    client.force_login(member_a)
    reauthenticate(client)
    url = reverse(name, kwargs={"pk": theirs.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Min nu"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.wrap().name == "Charlies nyckel"


# --- The pages keep to the Content-Security-Policy ---------------------------------------------------


SCRIPT_SOURCES = re.compile(r'<script src="([^"]+)"')


def test_the_passkey_scripts_come_from_our_own_static_files(client, member_a):
    add_passkey(member_a)
    client.force_login(member_a)
    reauthenticate(client)
    for url in (ADD, reverse("mfa_reauthenticate_webauthn")):
        response = client.get(url)
        html = response.content.decode()
        sources = SCRIPT_SOURCES.findall(html)
        for name in ("js/passkeys.js", "mfa/js/webauthn-json.js", "mfa/js/webauthn.js"):
            assert f"/static/{name}" in sources, (url, name)
            assert finders.find(name), name  # shipped: in our static folder or allauth's
        assert all(src.startswith("/static/") for src in sources)
        # Every other script element is a JSON data block, which browsers never run.
        others = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
        assert others and all('type="application/json"' in attrs for attrs in others)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp


# --- The gate before case pages ------------------------------------------------------------------------


gated = pytest.mark.urls("tests.test_mfa")


@gated
def test_with_the_gate_on_a_passkey_is_a_second_factor(client_for, member_a, site_a, settings):
    settings.TRIAD_REQUIRE_MFA_FOR_CASES = True
    add_passkey(member_a)
    response = client_for(member_a).get(probe_url(site_a))
    assert response.status_code == 200
    assert response.content == b"case data"


@gated
def test_with_the_gate_on_recovery_codes_alone_are_no_second_factor(
    client_for, member_a, site_a, settings
):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    settings.TRIAD_REQUIRE_MFA_FOR_CASES = True
    RecoveryCodes.activate(member_a)
    response = client_for(member_a).get(probe_url(site_a))
    assert response.url == reverse("mfa_activate_totp")


@gated
def test_removing_the_last_key_closes_the_gate_again(client, member_a, site_a, settings):
    settings.TRIAD_REQUIRE_MFA_FOR_CASES = True
    device, key = add_passkey(member_a)
    sign_in_with_key(client, member_a, device)
    assert client.get(probe_url(site_a)).status_code == 200
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("mfa_remove_webauthn", kwargs={"pk": key.pk}))
    assert not Authenticator.objects.filter(user=member_a).exists()  # codes go with it
    assert client.get(probe_url(site_a)).url == reverse("mfa_activate_totp")


def test_the_app_setup_page_points_to_passkeys(client, member_a):
    client.force_login(member_a)
    reauthenticate(client)
    html = client.get(reverse("mfa_activate_totp")).content.decode()
    assert f'<a href="{ADD}">Lägg till en nyckel i stället</a>' in html
