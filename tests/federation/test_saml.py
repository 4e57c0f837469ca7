"""Signing in through a SAML 2.0 provider — Debian's SimpleSAMLphp on loopback: the test client
plays Triad's side of the browser, `requests` the person at the provider, whose page posts the
signed answer back (python3-saml checks it against the certificate in the provider's
metadata, which the connection was made from)."""

import logging
from urllib.parse import urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from pilots.models import Membership, User
from tests.federation.test_oidc import (
    assert_no_number,
    invite,
    messages_of,
    provider_url,
    stored_everywhere,
)
from tests.idp import servers
from tests.pilots.factories import UserFactory

pytestmark = pytest.mark.django_db


def back_from_provider(client, response, login):
    acs, fields = servers.saml_sign_in(provider_url(response), login)
    parts = urlsplit(acs)
    assert parts.netloc == "testserver", acs
    response = client.post(parts.path, fields)  # the provider's page posts it
    assert response.status_code == 302, response.content[:500]
    return client.get(response["Location"])  # allauth picks the answer up in Triad's session


def sign_in(client, email, login):
    response = client.post(reverse("accounts:federated_login"), {"email": email})
    return back_from_provider(client, response, login)


def test_connection_is_made_from_the_providers_metadata_address(saml_connection, saml_idp):
    idp = saml_connection.app.settings["idp"]
    assert idp["entity_id"] == saml_idp.extra["metadata"]
    assert idp["metadata_url"] == saml_idp.extra["metadata"]


def test_invited_person_gets_the_account_through_saml_and_no_number_is_kept(
    client, saml_connection, caplog
):
    caplog.set_level(logging.DEBUG)
    invitation, token = invite("anna@skola.example")
    response = client.post(reverse("accounts:federated_invitation", args=[token]))
    response = back_from_provider(client, response, "anna")

    user = User.objects.get(email="anna@skola.example")
    assert response["Location"] == invitation.site.get_absolute_url()
    assert client.session["_auth_user_id"] == str(user.pk)
    assert Membership.objects.filter(user=user, site=invitation.site).exists()
    account = SocialAccount.objects.get(user=user)
    assert account.uid == "anna@skola.example"  # the subject-id attribute
    assert account.extra_data[servers.SAML_ATTRIBUTES["email"]] == ["anna@skola.example"]
    # Sent as urn:oid:1.2.752.29.4.13 and as personalIdentityNumber: kept nowhere.
    assert servers.SAML_ATTRIBUTES["pnr"] not in account.extra_data
    assert "personalIdentityNumber" not in account.extra_data
    assert_no_number(stored_everywhere())
    assert_no_number(caplog.text)
    # allauth keeps the provider's signed answer (which carries the number, base64-encoded)
    # in a session of its own for one redirect only: gone once the sign-in is finished.
    assert "SAMLResponse" not in stored_everywhere()


def test_saml_sign_in_matching_no_one_is_told_so_and_creates_nothing(client, saml_connection):
    users = User.objects.count()
    response = sign_in(client, "okand@skola.example", "okand")
    assert response["Location"] == reverse("account_login")
    assert "Ingen i Triad är kopplad till kontot" in messages_of(response)
    assert User.objects.count() == users
    assert not SocialAccount.objects.exists()


def test_linked_person_signs_in_through_saml(client, saml_connection):
    cecilia = UserFactory(email="cecilia@skola.example")
    SocialAccount.objects.create(
        user=cecilia, provider=saml_connection.slug, uid="cecilia@skola.example"
    )
    sign_in(client, cecilia.email, "cecilia")
    assert client.session["_auth_user_id"] == str(cecilia.pk)


@pytest.mark.parametrize(("login", "counts"), [("bertil", True), ("anna", False)])
def test_authn_context_asserted_by_the_provider_is_the_second_factor(
    client, saml_connection, settings, login, counts
):
    from tests.federation.test_oidc import case_list_after_signing_in

    # SimpleSAMLphp says MobileTwoFactorContract for bertil, PasswordProtectedTransport for anna.
    response = case_list_after_signing_in(client, saml_connection, login, sign_in, settings)
    if counts:
        assert response.status_code == 200
    else:
        assert response["Location"] == reverse("mfa_activate_totp")


def test_connection_from_an_uploaded_metadata_file_signs_in(client, saml_idp, db):
    import requests
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.federation.conftest import SAML_SLUG, make_connection

    xml = requests.get(saml_idp.extra["metadata"], timeout=10).content
    connection = make_connection(
        name="Skolkommunen SAML",
        slug=SAML_SLUG,
        protocol="saml",
        files={"metadata_file": SimpleUploadedFile("idp.xml", xml, "text/xml")},
    )
    idp = connection.app.settings["idp"]
    assert idp["sso_url"].startswith(saml_idp.base) and idp["x509cert"]
    cecilia = UserFactory(email="cecilia@skola.example")
    SocialAccount.objects.create(user=cecilia, provider=SAML_SLUG, uid="cecilia@skola.example")
    sign_in(client, cecilia.email, "cecilia")
    assert client.session["_auth_user_id"] == str(cecilia.pk)


def test_coordinator_connects_a_provider_on_the_page_and_a_taken_domain_is_refused(
    client, coordinator, saml_idp, saml_connection
):
    client.force_login(coordinator)
    from tests.pilots.factories import OrganisationFactory

    response = client.get(reverse("accounts:connection_list"))
    assert "Skolkommunen SAML" in response.content.decode()
    response = client.post(
        reverse("accounts:connection_create"),
        {
            "organisation": OrganisationFactory().pk,
            "name": "Andra kommunen",
            "email_domains": "andra.example\nskola.example",
            "protocol": "saml",
            "metadata_url": saml_idp.extra["metadata"],
            "mfa_values": "mfa",
        },
    )
    assert response.status_code == 200
    assert "En annan koppling loggar redan in skola.example." in response.content.decode()
