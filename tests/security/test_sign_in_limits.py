"""Failed sign-ins lock an account per account *and* client address; a slower limit per account
alone pauses the password from everywhere, and then the owner still gets in with a code sent to
their e-mail (and their second factor after it, when they have one).

Each browser here is its own test client with its own REMOTE_ADDR, as people at different
addresses would be; the counts live in the cache they all share."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from infra.models import AuditEvent, AuditKind
from tests.pilots.factories import PASSWORD, UserFactory
from tests.test_mfa import totp_code, with_totp

LOGIN = reverse("account_login")
LOCKED = "För många misslyckade inloggningsförsök"
PAUSED = "Inloggning med lösenord är pausad"
ACCOUNT_LIMIT = 20


def browser(address):
    return Client(REMOTE_ADDR=address)


def sign_in(client, email, password=PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def signed_in(client):
    return "_auth_user_id" in client.session


def pause_the_password(email):
    """Fail ACCOUNT_LIMIT times on `email`, each time from a new address (so no per-address
    limit is reached): the way a guesser spread over many machines would."""
    for n in range(ACCOUNT_LIMIT):
        response = sign_in(browser(f"10.1.{n // 250}.{n % 250 + 1}"), email, "guess")
        assert PAUSED not in response.content.decode(), f"paused after {n} failures"


@pytest.fixture
def person(db):
    return UserFactory(email="mia@example.org", full_name="Mia Medlem")


def code_in(message):
    return re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.body, re.MULTILINE).group(1)


# --- Per account and address -------------------------------------------------------------------


def test_five_failures_from_one_address_do_not_lock_the_account_for_another(person):
    a, b = browser("10.0.0.1"), browser("10.0.0.2")
    for _ in range(5):
        assert sign_in(a, person.email, "guess").status_code == 200
    response = sign_in(a, person.email)  # the right password, from A: refused
    assert LOCKED in response.content.decode()
    assert not signed_in(a)

    response = sign_in(b, person.email)  # from B the owner signs in
    assert response.status_code == 302
    assert signed_in(b)


def test_the_count_per_address_is_shared_by_every_browser_there(person):
    """Counted in the shared cache, not in a session: five browsers behind one address."""
    for _ in range(5):
        sign_in(browser("10.0.0.1"), person.email, "guess")
    response = sign_in(browser("10.0.0.1"), person.email)
    assert LOCKED in response.content.decode()


def test_a_right_password_takes_back_its_count(person):
    """Successes do not count, and do not wipe the failures either."""
    client = browser("10.0.0.1")
    for _ in range(4):
        sign_in(client, person.email, "guess")
    for _ in range(3):
        assert sign_in(browser("10.0.0.1"), person.email).status_code == 302
    sign_in(client, person.email, "guess")  # the fifth failure
    assert LOCKED in sign_in(client, person.email).content.decode()


# --- Per account alone, and the way in by e-mail ------------------------------------------------


def test_the_account_limit_pauses_the_password_from_every_address(person):
    pause_the_password(person.email)
    for address in ("10.9.0.1", "192.0.2.7"):
        client = browser(address)
        response = sign_in(client, person.email)  # the right password
        html = response.content.decode()
        assert response.status_code == 200
        assert PAUSED in html
        assert "Skicka en inloggningskod till mig" in html  # the way in, on the same page
        assert reverse("account_request_login_code") in html
        assert not signed_in(client)


def test_another_account_is_not_paused(person):
    other = UserFactory(email="sam@example.org")
    pause_the_password(person.email)
    assert sign_in(browser("10.9.0.1"), other.email).status_code == 302


def test_an_address_without_an_account_is_answered_the_same(db):
    """The limit counts the address typed in, so its answers tell nothing about who has an
    account."""
    pause_the_password("nobody@example.org")
    response = sign_in(browser("10.9.0.1"), "nobody@example.org")
    assert PAUSED in response.content.decode()


def test_with_the_password_paused_the_emailed_code_signs_the_owner_in(
    person, django_capture_on_commit_callbacks
):
    pause_the_password(person.email)
    client = browser("10.9.0.1")
    assert PAUSED in sign_in(client, person.email).content.decode()

    # The button on the paused page sends the code for the address typed in.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_request_login_code"), {"email": person.email})
    assert response.url == reverse("account_confirm_login_code")
    (message,) = mail.outbox
    assert message.to == [person.email]
    assert message.subject == "[Triad] Din inloggningskod"
    assert "logga in i Triad utan lösenord" in message.body
    page = client.get(response.url).content.decode()
    assert "Ange koden från din e-post" in page

    response = client.post(reverse("account_confirm_login_code"), {"code": code_in(message)})
    assert response.status_code == 302
    assert signed_in(client)
    assert client.get(reverse("pilots:home")).wsgi_request.user == person


def test_after_the_emailed_code_the_second_factor_is_still_asked_for(
    person, django_capture_on_commit_callbacks
):
    secret, _ = with_totp(person)
    pause_the_password(person.email)
    client = browser("10.9.0.1")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_request_login_code"), {"email": person.email})
    response = client.post(
        reverse("account_confirm_login_code"), {"code": code_in(mail.outbox[-1])}
    )
    assert response.url == reverse("mfa_authenticate")
    assert not signed_in(client)  # the code from the mailbox is not enough

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.url == reverse("pilots:home")
    assert signed_in(client)


def test_wrong_emailed_codes_are_limited(person, django_capture_on_commit_callbacks):
    client = browser("10.0.0.1")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_request_login_code"), {"email": person.email})
    right = code_in(mail.outbox[-1])
    for _ in range(3):
        client.post(reverse("account_confirm_login_code"), {"code": "BBBB-BBBB"})
    # After three wrong codes the code is gone: the right one no longer works.
    response = client.post(reverse("account_confirm_login_code"), {"code": right})
    assert response.status_code == 302
    assert response.url == reverse("account_request_login_code")
    assert not signed_in(client)


def test_a_completed_password_reset_lifts_the_pause(person, django_capture_on_commit_callbacks):
    pause_the_password(person.email)
    client = browser("10.9.0.1")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": person.email})
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    form_url = client.get(link).url
    new = "ny-och-lang-fras-2018"
    client.post(form_url, {"password1": new, "password2": new})
    assert sign_in(browser("10.9.0.2"), person.email, new).status_code == 302


def test_the_signed_in_owner_can_still_confirm_their_password(person):
    """Typing the password again before an export or a two-factor change: the session is the
    owner's already, so the pause (there against guessing from afar) does not refuse it."""
    client = browser("10.0.0.1")
    client.force_login(person)
    pause_the_password(person.email)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def test_the_refusals_are_in_the_security_audit(person):
    pause_the_password(person.email)
    sign_in(browser("10.9.0.1"), person.email)
    event = AuditEvent.objects.filter(kind=AuditKind.THROTTLED).get()
    assert event.user_email == person.email
    assert event.detail == {"limit": "login_failed_account"}
    assert event.ip == "10.9.0.1"

    a = browser("10.0.0.1")
    for _ in range(6):
        sign_in(a, "sam@example.org", "guess")
    event = AuditEvent.objects.filter(kind=AuditKind.THROTTLED).latest("pk")
    assert (event.user_email, event.detail) == ("sam@example.org", {"limit": "login_failed"})


# --- Reauthentication is never by e-mail --------------------------------------------------------


def test_confirming_access_takes_the_password_not_an_emailed_code(client, person):
    client.force_login(person)
    assert client.get(reverse("account_request_reauthentication_code")).status_code == 403
    page = client.get(reverse("account_reauthenticate")).content.decode()
    assert reverse("account_request_reauthentication_code") not in page


def test_production_keeps_the_account_limit(monkeypatch):
    from tests.security.test_login import production_settings

    limits = production_settings(monkeypatch)["ACCOUNT_RATE_LIMITS"]
    assert limits["login_failed_account"].endswith("/key")
    assert limits["login_failed"].split(",")[0].endswith("/ip")


def test_another_host_name_for_the_site_counts_the_same(person, settings):
    """The count is the account's, however the site was reached (allauth's own key starts with
    the host name)."""
    settings.ALLOWED_HOSTS = ["testserver", "triad.example.org"]
    for n in range(ACCOUNT_LIMIT):
        host = "testserver" if n % 2 else "triad.example.org"
        Client(REMOTE_ADDR=f"10.3.0.{n + 1}", HTTP_HOST=host).post(
            LOGIN, {"login": person.email, "password": "guess"}
        )
    response = sign_in(browser("10.9.0.1"), person.email)
    assert PAUSED in response.content.decode()
