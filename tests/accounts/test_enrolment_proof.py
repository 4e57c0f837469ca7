"""With the second factor required (TRIAD_REQUIRE_MFA_FOR_CASES), adding one — an authenticator
app or a passkey — takes the password again *and* a code sent to the account's e-mail: a stolen
password alone cannot enrol the thief's own authenticator. Wrong codes are limited, codes and
proof expire, and the person is told by e-mail, in Swedish, when a factor is added or removed."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import get_resolver, reverse
from django.utils import timezone

from accounts.enrolment import ENROLMENT_VIEWS
from infra.models import AuditEvent, AuditKind
from tests.passkey_device import PasskeyDevice
from tests.pilots.factories import PASSWORD
from tests.test_mfa import probe_url, reauthenticate, sign_in_with_password, totp_code

ACTIVATE = reverse("mfa_activate_totp")
ADD_KEY = reverse("mfa_add_webauthn")
PROOF = reverse("accounts:mfa_enrolment_proof")
NAMED_CODE = re.compile(r"^\s*([A-Z]{4}-[A-Z]{4})\s*$", re.MULTILINE)


@pytest.fixture(autouse=True)
def gate_on(settings):
    settings.TRIAD_REQUIRE_MFA_FOR_CASES = True


@pytest.fixture
def send_on_commit(django_capture_on_commit_callbacks):
    """E-mail goes out when the request's transaction commits: make that happen."""

    def post(client, url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    return post


def factors_of(user):
    return Authenticator.objects.filter(user=user)


def code_in(message):
    return NAMED_CODE.search(message.body).group(1)


def signed_in_with_password(client, user):
    """The thief's position: the password, typed at sign-in and again when asked."""
    sign_in_with_password(client, user)
    reauthenticate(client)
    return client


def prove_email(client, user, send_on_commit, next_url=ACTIVATE):
    send_on_commit(client, PROOF, {"action": "send", "next": next_url})
    message = mail.outbox[-1]
    assert message.to == [user.email]
    return client.post(PROOF, {"code": code_in(message), "next": next_url})


# --- Every page that adds a factor is guarded ---------------------------------------------------------


def walk(patterns):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            yield from walk(pattern.url_patterns)
        else:
            yield pattern


def test_every_view_that_adds_a_second_factor_wants_the_proof():
    adding = [
        p
        for p in walk(get_resolver().url_patterns)
        if issubclass(getattr(p.callback, "view_class", object), ENROLMENT_VIEWS)
    ]
    assert {p.name for p in adding} == {"mfa_activate_totp", "mfa_add_webauthn"}
    assert all(getattr(p.callback, "needs_enrolment_proof", False) for p in adding)


# --- A stolen password alone ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", [ACTIVATE, ADD_KEY])
def test_a_stolen_password_alone_cannot_enrol_an_authenticator(url, client, member_a):
    signed_in_with_password(client, member_a)
    for response in (client.get(url), client.post(url, {"code": "123456", "name": "Min"})):
        assert response.status_code == 302
        assert response.url == f"{PROOF}?next={url}"
    assert not factors_of(member_a).exists()


def test_a_ready_totp_answer_is_refused_without_the_proof(client, member_a, settings):
    """The gate stops the POST that would otherwise turn the app on: the secret was shown
    (here with the gate off) and the code is right, but no proof, no factor."""
    signed_in_with_password(client, member_a)
    settings.TRIAD_REQUIRE_MFA_FOR_CASES = False
    html = client.get(ACTIVATE).content.decode()
    secret = re.search(r'id="authenticator_secret">([A-Z2-7]+)<', html).group(1)
    settings.TRIAD_REQUIRE_MFA_FOR_CASES = True
    response = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert response.url.startswith(PROOF)
    assert not factors_of(member_a).exists()


def test_a_ready_passkey_answer_is_refused_without_the_proof(client, member_a, settings):
    signed_in_with_password(client, member_a)
    settings.TRIAD_REQUIRE_MFA_FOR_CASES = False
    credential = PasskeyDevice().register(client.get(ADD_KEY).content.decode())
    settings.TRIAD_REQUIRE_MFA_FOR_CASES = True
    response = client.post(ADD_KEY, {"name": "Tjuvens", "credential": json.dumps(credential)})
    assert response.url.startswith(PROOF)
    assert not factors_of(member_a).exists()


def test_the_proof_page_asks_for_the_password_first(client_for, member_a):
    response = client_for(member_a).get(f"{PROOF}?next={ACTIVATE}")
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not mail.outbox


def test_a_sign_in_by_emailed_code_is_not_the_password(client, member_a, send_on_commit):
    """The mailbox alone must not enrol a factor either: after signing in with an e-mailed
    code the password is still asked for before the proof page."""
    send_on_commit(client, reverse("account_request_login_code"), {"email": member_a.email})
    client.post(reverse("account_confirm_login_code"), {"code": code_in(mail.outbox[-1])})
    assert "_auth_user_id" in client.session
    assert client.get(PROOF).url.startswith(reverse("account_reauthenticate"))


# --- With the code ---------------------------------------------------------------------------------------


def test_with_the_emailed_code_the_authenticator_app_is_turned_on(
    client, member_a, site_a, send_on_commit
):
    # The case gate sends a member without a second factor to set up the app...
    sign_in_with_password(client, member_a)
    assert client.get(probe_url_for(site_a)).url == ACTIVATE
    # ...the app page to the e-mail proof, which asks for the password first.
    response = client.get(ACTIVATE)
    assert response.url == f"{PROOF}?next={ACTIVATE}"
    response = client.get(response.url)
    assert response.url.startswith(reverse("account_reauthenticate"))
    response = client.post(response.url, {"password": PASSWORD})
    assert response.url == f"{PROOF}?next={ACTIVATE}"

    page = client.get(response.url).content.decode()
    assert "Bekräfta din e-postadress" in page
    assert f"Vi skickar en kod till <strong>{member_a.email}</strong>" in page
    response = send_on_commit(client, PROOF, {"action": "send", "next": ACTIVATE})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [member_a.email]
    assert message.subject == "[Triad] Kod för att lägga till ett andra steg"
    assert "troligen du" in message.body and "10 minuter" in message.body
    page = client.get(response.url).content.decode()
    assert "Vi har skickat en kod till" in page and "Koden från mejlet" in page

    response = client.post(PROOF, {"code": code_in(message).lower(), "next": ACTIVATE})
    assert response.url == ACTIVATE
    html = client.get(ACTIVATE).content.decode()
    secret = re.search(r'id="authenticator_secret">([A-Z2-7]+)<', html).group(1)
    with_mail = send_on_commit(client, ACTIVATE, {"code": totp_code(secret)})
    assert with_mail.url == reverse("mfa_view_recovery_codes")
    assert factors_of(member_a).filter(type=Authenticator.Type.TOTP).exists()

    # Told by e-mail, in Swedish, with when and from where.
    told = mail.outbox[-1]
    assert told.subject == "[Triad] En autentiseringsapp har lagts till på ditt konto"
    assert "andra steg på ditt konto i Triad" in told.body
    assert "När: " in told.body and "IP-adress 127.0.0.1" in told.body
    assert "byt lösenord genast" in told.body

    # One proof, one new factor: a passkey next needs a new code.
    assert client.get(ADD_KEY).url.startswith(PROOF)


def probe_url_for(site):
    # The gated probe lives in tests.test_mfa's URLconf; the real case list does the same.
    return reverse("cases:case_list", kwargs={"site_slug": site.slug})


def test_with_the_emailed_code_a_passkey_is_added(client, member_a, send_on_commit):
    signed_in_with_password(client, member_a)
    response = prove_email(client, member_a, send_on_commit, next_url=ADD_KEY)
    assert response.url == ADD_KEY
    credential = PasskeyDevice().register(client.get(ADD_KEY).content.decode())
    response = send_on_commit(
        client, ADD_KEY, {"name": "Jobbtelefonen", "credential": json.dumps(credential)}
    )
    assert response.status_code == 302
    assert factors_of(member_a).filter(type=Authenticator.Type.WEBAUTHN).count() == 1
    told = next(m for m in mail.outbox if "nyckel" in m.subject)
    assert told.subject == "[Triad] En nyckel har lagts till på ditt konto"
    assert "En nyckel (passkey) har lagts till" in told.body


def test_removing_a_factor_is_told_by_email_too(client, member_a, send_on_commit):
    signed_in_with_password(client, member_a)
    prove_email(client, member_a, send_on_commit)
    secret = re.search(
        r'id="authenticator_secret">([A-Z2-7]+)<', client.get(ACTIVATE).content.decode()
    ).group(1)
    client.post(ACTIVATE, {"code": totp_code(secret)})
    send_on_commit(client, reverse("mfa_deactivate_totp"))
    assert not factors_of(member_a).exists()
    assert mail.outbox[-1].subject == "[Triad] Autentiseringsappen har tagits bort från ditt konto"


# --- Wrong codes, expiry, sending -----------------------------------------------------------------------


def test_wrong_codes_are_limited(client, member_a, send_on_commit):
    signed_in_with_password(client, member_a)
    send_on_commit(client, PROOF, {"action": "send", "next": ACTIVATE})
    right = code_in(mail.outbox[-1])

    page = client.post(PROOF, {"code": "BBBB-BBBB", "next": ACTIVATE}).content.decode()
    assert "Fel kod." in page and "2 försök kvar." in page
    page = client.post(PROOF, {"code": "CCCC-CCCC", "next": ACTIVATE}).content.decode()
    assert "1 försök kvar." in page
    page = client.post(PROOF, {"code": "DDDD-DDDD", "next": ACTIVATE}).content.decode()
    assert "För många felaktiga koder. Skicka en ny." in page

    # The code is gone: the right one no longer helps.
    response = client.post(PROOF, {"code": right, "next": ACTIVATE})
    assert response.status_code == 200
    assert client.get(ACTIVATE).url.startswith(PROOF)
    wrong = AuditEvent.objects.filter(kind=AuditKind.MFA_FAILED, user=member_a)
    assert wrong.count() == 3
    assert wrong.first().detail == {"type": "email_code", "purpose": "enrolment"}


def test_a_code_expires_after_ten_minutes(client, member_a, send_on_commit):
    signed_in_with_password(client, member_a)
    send_on_commit(client, PROOF, {"action": "send", "next": ACTIVATE})
    code = code_in(mail.outbox[-1])
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        reauthenticate(client)  # the password again is ten minutes too
        page = client.post(PROOF, {"code": code, "next": ACTIVATE}).content.decode()
        assert "Koden har slutat gälla" in page
        assert client.get(ACTIVATE).url.startswith(PROOF)


def test_the_proof_expires_too(client, member_a, send_on_commit):
    signed_in_with_password(client, member_a)
    assert prove_email(client, member_a, send_on_commit).url == ACTIVATE
    assert client.get(ACTIVATE).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        reauthenticate(client)
        assert client.get(ACTIVATE).url.startswith(PROOF)


def test_a_new_code_replaces_the_old(client, member_a, send_on_commit):
    signed_in_with_password(client, member_a)
    send_on_commit(client, PROOF, {"action": "send", "next": ACTIVATE})
    old = code_in(mail.outbox[-1])
    send_on_commit(client, PROOF, {"action": "send", "next": ACTIVATE})
    new = code_in(mail.outbox[-1])
    assert old != new
    assert "Fel kod." in client.post(PROOF, {"code": old}).content.decode()
    assert client.post(PROOF, {"code": new, "next": ACTIVATE}).url == ACTIVATE


def test_sending_codes_is_limited(client, member_a, send_on_commit):
    signed_in_with_password(client, member_a)
    for _ in range(5):
        send_on_commit(client, PROOF, {"action": "send", "next": ACTIVATE})
    sent = len(mail.outbox)
    page = send_on_commit(client, PROOF, {"action": "send", "next": ACTIVATE})
    assert "Du har bett om många koder på kort tid" in page.content.decode()
    assert len(mail.outbox) == sent


def test_the_proof_is_for_the_address_it_was_sent_to(client, member_a, send_on_commit):
    signed_in_with_password(client, member_a)
    prove_email(client, member_a, send_on_commit)
    type(member_a).objects.filter(pk=member_a.pk).update(email="mia.ny@example.org")
    assert client.get(ACTIVATE).url.startswith(PROOF)


def test_the_next_page_must_be_our_own(client, member_a, send_on_commit):
    signed_in_with_password(client, member_a)
    response = prove_email(client, member_a, send_on_commit, next_url="https://evil.example/")
    assert response.url == reverse("mfa_index")


def test_with_the_gate_off_no_emailed_code_is_asked_for(client, member_a, settings):
    settings.TRIAD_REQUIRE_MFA_FOR_CASES = False
    signed_in_with_password(client, member_a)
    assert client.get(ACTIVATE).status_code == 200
    assert client.get(ADD_KEY).status_code == 200
    assert not mail.outbox


@pytest.mark.urls("tests.test_mfa")
def test_the_gate_before_case_pages_still_leads_to_the_app_setup(client_for, member_a, site_a):
    assert client_for(member_a).get(probe_url(site_a)).url == ACTIVATE
