"""Signing in through an OpenID Connect provider — panva's oidc-provider running on loopback,
not mocked HTTP: the test client plays Triad's side of the browser, `requests` the person at the
provider, and allauth talks to the provider's token, userinfo and key endpoints itself."""

import logging
from urllib.parse import urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse

from pilots.models import Membership, User
from tests.idp import servers
from tests.pilots.factories import PilotSiteFactory, UserFactory

pytestmark = pytest.mark.django_db


def provider_url(response):
    """Where Triad's page sends the browser on to (by itself: see accounts/providers.py)."""
    assert response.status_code == 200, response.content[:500]
    url = response.context["provider_url"]
    assert f'content="0;url={url}"'.replace("&", "&amp;") in response.content.decode()
    return url


def back_from_provider(client, response, login):
    """Follow Triad's page on to the provider, sign in there as `login`, and bring the answer
    back to Triad. Returns Triad's response to it."""
    back = servers.oidc_sign_in(provider_url(response), login)
    parts = urlsplit(back)
    assert parts.netloc == "testserver", back
    return client.get(f"{parts.path}?{parts.query}")


def sign_in(client, email, login):
    response = client.post(reverse("accounts:federated_login"), {"email": email})
    return back_from_provider(client, response, login)


def invite(email, site=None):
    from accounts import tokens
    from tests.pilots.factories import InvitationFactory

    token, digest = tokens.new_token()
    invitation = InvitationFactory(
        email=email, site=site or PilotSiteFactory(), token_digest=digest
    )
    return invitation, token


def messages_of(response):
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def stored_everywhere() -> str:
    """Everything the database holds, sessions decoded, as one text."""
    import io

    out = io.StringIO()
    call_command("dumpdata", stdout=out, exclude=["sessions"])
    sessions = [str(s.get_decoded()) for s in Session.objects.all()]
    return out.getvalue() + "\n".join(sessions)


def assert_no_number(text):
    for form in servers.PNR_FORMS:
        assert form not in text


def test_domain_finds_the_provider_and_unknown_domain_is_told_in_swedish(client, oidc_connection):
    response = client.post(reverse("accounts:federated_login"), {"email": "x@skola.example"})
    assert provider_url(response).startswith(oidc_connection.app.settings["server_url"] + "/auth")
    response = client.post(reverse("accounts:federated_login"), {"email": "x@annan.example"})
    assert response.status_code == 200
    assert "loggar inte in till Triad med sina egna konton" in response.content.decode()


def test_invited_person_gets_the_account_through_the_provider_and_no_number_is_kept(
    client, oidc_connection, caplog
):
    caplog.set_level(logging.DEBUG)
    invitation, token = invite("anna@skola.example")
    response = client.post(reverse("accounts:federated_invitation", args=[token]))
    response = back_from_provider(client, response, "anna")

    user = User.objects.get(email="anna@skola.example")
    assert response.status_code == 302
    assert response["Location"] == invitation.site.get_absolute_url()
    assert client.session["_auth_user_id"] == str(user.pk)
    assert Membership.objects.filter(user=user, site=invitation.site).exists()
    account = SocialAccount.objects.get(user=user)
    assert account.provider == oidc_connection.slug
    assert account.extra_data["userinfo"]["email"] == "anna@skola.example"
    # Sent as personalIdentityNumber and ssn, kept nowhere: not in the extra data, not in
    # any table, not in the session, not in any log line.
    assert "personalIdentityNumber" not in str(account.extra_data)
    assert "ssn" not in account.extra_data["userinfo"]
    assert_no_number(stored_everywhere())
    assert_no_number(caplog.text)


def test_sign_in_matching_no_one_is_told_so_and_creates_nothing(client, oidc_connection):
    users = User.objects.count()
    response = sign_in(client, "okand@skola.example", "okand")
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    assert "Ingen i Triad är kopplad till kontot" in messages_of(response)
    assert User.objects.count() == users
    assert not SocialAccount.objects.exists()
    assert "_auth_user_id" not in client.session
    # No sign-in is left waiting to be completed (allauth's pending sign-up), nor its data.
    assert "socialaccount_sociallogin" not in client.session
    assert "okand@skola.example" not in stored_everywhere()
    assert_no_number(stored_everywhere())


def test_asserted_email_links_nobody_until_the_connection_trusts_it(client, oidc_connection):
    cecilia = UserFactory(email="cecilia@skola.example")
    response = sign_in(client, cecilia.email, "cecilia")
    assert response["Location"] == reverse("account_login")
    assert not SocialAccount.objects.exists()

    oidc_connection.trust_email = True
    oidc_connection.save()
    response = sign_in(client, cecilia.email, "cecilia")
    assert client.session["_auth_user_id"] == str(cecilia.pk)
    assert SocialAccount.objects.get().user == cecilia


def test_person_links_the_account_after_signing_in_and_then_signs_in_with_it(
    client, oidc_connection
):
    from tests.test_mfa import reauthenticate, sign_in_with_password

    david = UserFactory(email="david@skola.example")
    sign_in_with_password(client, david)
    reauthenticate(client)  # linking asks for the password again (allauth), as adding a factor
    response = client.post(reverse("accounts:federated_connect"))
    response = back_from_provider(client, response, "david")
    assert SocialAccount.objects.get().user == david

    client.logout()
    sign_in(client, david.email, "david")
    assert client.session["_auth_user_id"] == str(david.pk)


def test_sign_in_waiting_for_the_second_factor_keeps_no_number_in_the_session(
    client, oidc_connection
):
    from tests.test_mfa import with_totp

    anna = UserFactory(email="anna@skola.example")
    with_totp(anna)
    SocialAccount.objects.create(user=anna, provider=oidc_connection.slug, uid="anna")
    response = sign_in(client, anna.email, "anna")
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert_no_number(stored_everywhere())


def case_list_after_signing_in(client, connection, login, sign_in, settings):
    """Sign `login` in through the provider, linked already and working at a site, with a
    second factor required for case pages; return the case list's answer."""
    from pilots.models import Role
    from tests.pilots.factories import MembershipFactory

    settings.TRIAD_REQUIRE_MFA_FOR_CASES = True
    email = servers.PEOPLE[login][0]
    membership = MembershipFactory(role=Role.WORKING, user__email=email)
    SocialAccount.objects.create(user=membership.user, provider=connection.slug, uid=email)
    sign_in(client, email, login)
    assert client.session["_auth_user_id"] == str(membership.user.pk)
    return client.get(reverse("cases:case_list", args=[membership.site.slug]))


@pytest.mark.parametrize(("login", "counts"), [("bertil", True), ("anna", False)])
def test_multi_factor_asserted_by_the_provider_is_the_second_factor(
    client, oidc_connection, settings, login, counts
):
    # bertil's sign-in says amr ["pwd", "mfa"], anna's ["pwd"].
    oidc_connection.app.settings["uid_field"] = "email"
    oidc_connection.app.save()
    response = case_list_after_signing_in(client, oidc_connection, login, sign_in, settings)
    if counts:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
