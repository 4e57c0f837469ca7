"""The identity providers (tests/idp/servers.py) started once per test process, and the
connections to them that a coordinator would make."""

import pytest

from tests.idp import servers

OIDC_SLUG = "skolan-oidc"
SAML_SLUG = "skolan-saml"
DOMAIN = "skola.example"


@pytest.fixture(scope="session")
def oidc_idp(tmp_path_factory):
    missing = servers.oidc_missing()
    if missing:
        pytest.fail(f"The OpenID Connect provider cannot start: {missing}.")
    server = servers.start_oidc(
        tmp_path_factory.mktemp("oidc"),
        [f"http://testserver/accounts/oidc/{OIDC_SLUG}/login/callback/"],
    )
    yield server
    server.stop()


def make_connection(**data):
    """A connection saved through the coordinators' form, as the page saves it."""
    from accounts.forms.federation import IdentityConnectionForm
    from tests.pilots.factories import OrganisationFactory

    organisation = OrganisationFactory()
    files = data.pop("files", None)
    form = IdentityConnectionForm(
        data={"organisation": organisation.pk, "email_domains": DOMAIN, **data}, files=files
    )
    assert form.is_valid(), form.errors
    return form.save()


@pytest.fixture
def oidc_connection(db, oidc_idp):
    return make_connection(
        name="Skolkommunen",
        slug=OIDC_SLUG,
        protocol="openid_connect",
        issuer=oidc_idp.base,
        client_id=servers.OIDC_CLIENT_ID,
        secret=servers.OIDC_SECRET,
        mfa_values="mfa",
    )


@pytest.fixture(scope="session")
def saml_idp(tmp_path_factory):
    missing = servers.saml_missing()
    if missing:
        pytest.fail(f"The SAML identity provider cannot start: {missing}.")
    server = servers.start_saml(tmp_path_factory.mktemp("saml"))
    servers.add_saml_sp(server, "http://testserver", SAML_SLUG)
    yield server
    server.stop()


@pytest.fixture
def saml_connection(db, saml_idp):
    return make_connection(
        name="Skolkommunen SAML",
        slug=SAML_SLUG,
        protocol="saml",
        metadata_url=saml_idp.extra["metadata"],
    )
