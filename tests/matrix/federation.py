"""Rows for signing in through an organisation's identity provider (accounts/federation.py):
Triad's own pages and the SAML and OpenID Connect pages allauth adds. The world has one
connection of each kind; the matrix never reaches a provider (no request here leaves Triad)."""

from . import LOGIN, OK, PEOPLE, Row, coordinator_row, public_row

SAML_SLUG = "matrix-saml"
OIDC_SLUG = "matrix-oidc"


def _as(anonymous, signed_in=OK):
    return {"anonymous": anonymous, **{p: signed_in for p in PEOPLE if p != "anonymous"}}


ROWS = [
    # Typing the address that finds the provider: anyone. (The matrix posts no address, so
    # the form only says one is needed.)
    public_row("accounts:federated_login", post=True),
    # From an invitation's link: POST only; a link that is not an invitation goes back to the
    # invitation page, which says so.
    Row(
        "accounts:federated_invitation",
        kwargs=lambda w, s: {"token": "not-a-token"},
        get=_as(405, 405),
        post=_as(302, 302),
    ),
    # Linking one's own: signed-in people only; the matrix's people have example.org addresses,
    # which no connection signs in, so they are told so.
    Row("accounts:federated_connect", get=_as(LOGIN, 405), post=_as(LOGIN, OK)),
    # The coordinators' pages
    coordinator_row("accounts:connection_list"),
    coordinator_row("accounts:connection_create", post=True),
    coordinator_row(
        "accounts:connection_update", kwargs=lambda w: {"pk": w.saml_connection.pk}, post=True
    ),
    coordinator_row(
        "accounts:connection_delete", kwargs=lambda w: {"pk": w.saml_connection.pk}, post=True
    ),
    # allauth's pages: the linked accounts of a signed-in person, and the answers to a sign-in
    # that went wrong or was cancelled. Signing up through a provider is closed.
    Row("socialaccount_connections", get=_as(LOGIN), post=_as(LOGIN)),
    public_row("socialaccount_login_cancelled"),
    Row("socialaccount_login_error", get=_as(LOGIN, 401)),
    # Nobody signs up through a provider: without a sign-in waiting, back to the sign-in page.
    Row("socialaccount_signup", get=_as(LOGIN, LOGIN), post=_as(LOGIN, LOGIN)),
    # OpenID Connect: the page that sends to the provider asks first (SOCIALACCOUNT_LOGIN_ON_GET
    # off); a return without the state Triad sent is refused with allauth's error page.
    # Posting sends to the provider, which does not answer here: back to the sign-in page.
    Row(
        "openid_connect_login",
        kwargs=lambda w, s: {"provider_id": OIDC_SLUG},
        get=_as(OK),
        post=_as(LOGIN, LOGIN),
    ),
    Row(
        "openid_connect_callback",
        kwargs=lambda w, s: {"provider_id": OIDC_SLUG},
        get=_as(401, 401),
    ),
    # SAML: the service provider's metadata is public; the assertion consumer takes only a
    # posted answer, and finishing without one is allauth's error page.
    # Posting answers with the page that goes on to the provider's single sign-on address.
    Row(
        "saml_login",
        kwargs=lambda w, s: {"organization_slug": SAML_SLUG},
        get=_as(OK),
        post=_as(OK),
    ),
    Row(
        "saml_metadata",
        kwargs=lambda w, s: {"organization_slug": SAML_SLUG},
        get=_as(OK),
        post=_as(OK),
    ),
    Row(
        "saml_acs",
        kwargs=lambda w, s: {"organization_slug": SAML_SLUG},
        get=_as(OK),
        post=_as(OK),
    ),
    Row(
        "saml_finish_acs",
        kwargs=lambda w, s: {"organization_slug": SAML_SLUG},
        get=_as(401, 401),
    ),
    # Single logout without a request from the provider: python3-saml refuses it.
    Row(
        "saml_sls",
        kwargs=lambda w, s: {"organization_slug": SAML_SLUG},
        get=_as(400, 400),
        post=_as(400, 400),
    ),
]

# A made-up signing certificate: the matrix's SAML provider is never reached.
_CERT = "MIIBszCCAVmgAwIBAgIUZmFrZWZha2VmYWtlZmFrZWZha2UwCgYIKoZIzj0EAwIw"


def build(world):
    from allauth.socialaccount.models import SocialApp

    from accounts.models import ConnectionDomain, IdentityConnection
    from tests.pilots.factories import OrganisationFactory

    organisation = OrganisationFactory()
    saml = SocialApp.objects.create(
        provider="saml",
        provider_id=SAML_SLUG,
        client_id=SAML_SLUG,
        name="Matriskommunen SAML",
        settings={
            "idp": {
                "entity_id": "https://idp.matrix.invalid/",
                "sso_url": "https://idp.matrix.invalid/sso",
                "x509cert": _CERT,
            },
            "advanced": {"allow_single_label_domains": True},
        },
    )
    oidc = SocialApp.objects.create(
        provider="openid_connect",
        provider_id=OIDC_SLUG,
        client_id="triad",
        secret="not-secret",
        name="Matriskommunen OIDC",
        settings={"server_url": "https://idp.matrix.invalid"},
    )
    world.saml_connection = IdentityConnection.objects.create(
        organisation=organisation, name="Matriskommunen", slug=SAML_SLUG, protocol="saml", app=saml
    )
    IdentityConnection.objects.create(
        organisation=organisation,
        name="Matriskommunen OIDC",
        slug=OIDC_SLUG,
        protocol="openid_connect",
        app=oidc,
    )
    ConnectionDomain.objects.create(connection=world.saml_connection, domain="matris.invalid")
