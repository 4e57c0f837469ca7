"""Signing in with an organisation's own identity provider (SAML 2.0 or OpenID Connect, through
django-allauth's providers), on Triad's terms:

- The provider is found from the e-mail domain a person types (`connection_for_email`), not
  from a button per organisation.
- Nobody gets an account by signing in. An identity is linked to a person only when they sign
  in through the provider from their own invitation link (`accept_through_provider`), when they
  link it themselves after signing in the usual way (allauth's "connect"), or, for a connection
  marked to trust it, by the e-mail address the provider asserts. The rules are applied in
  `accounts.adapters.FederatedSignInAdapter.pre_social_login`.
- Nothing the provider sends that identifies a person by number is kept: `without_numbers` runs
  in the providers' extract step (accounts/providers.py), before allauth builds anything from
  the answer, so the personal identity number is in neither the social account's extra data,
  nor the session holding a sign-in that waits for a second factor, nor any log line made from
  them. An identifier that *is* a number (a BankID broker's subject) is kept only as a keyed
  hash (`safe_uid`): the same person still finds their link, and the number cannot be read back.
- A provider that asserts multi-factor authentication counts as the second factor for case
  pages (`asserts_mfa`, read by pilots.scoping.second_factor_gate through the session mark set
  at sign-in).
"""

import hashlib
import hmac
import re

from django.conf import settings

from infra.pnr import find_personal_numbers

# Claim and attribute names that carry a personal identity number, compared case-blind on the
# last part of the name (after the last "/", ":" or "#"), so that
# "http://sambi.se/attributes/1/personalIdentityNumber" is caught as well.
NUMBER_NAMES = frozenset(
    {
        "ssn",
        "personalidentitynumber",
        "socialsecuritynumber",
        "personnummer",
        "samordningsnummer",
        "coordinationnumber",
        "nationalidentitynumber",
        "birthnumber",
        "national_id",
        "nin",
    }
)
# The same by their full name: the OIDs of the Swedish eID framework and Sambi.
NUMBER_OIDS = frozenset(
    {
        "urn:oid:1.2.752.29.4.13",  # personalIdentityNumber
        "urn:oid:1.2.752.201.3.7",  # prid (may be built from the number)
        "urn:oid:1.2.752.201.3.16",  # mappedPersonalIdentityNumber
    }
)

# Where a SAML provider's authentication context classes are kept in the extra data.
AUTHN_CONTEXT_KEY = "triad:authn_context"

# The session mark of a sign-in whose provider asserted multi-factor authentication.
MFA_SESSION_KEY = "triad_federated_mfa"

# Values that mean "more than a password" when a connection names none of its own: OIDC `amr`
# values (RFC 8176) and `acr`, SAML authentication context classes, and the Swedish eID
# framework's assurance levels 3 and 4 (Freja eID+, BankID, SITHS).
DEFAULT_MFA_VALUES = "\n".join(
    [
        "mfa",
        "otp",
        "hwk",
        "swk",
        "sc",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorUnregistered",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:TimeSyncToken",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI",
        "http://schemas.microsoft.com/claims/multipleauthn",
        "http://id.elegnamnden.se/loa/1.0/loa3",
        "http://id.elegnamnden.se/loa/1.0/loa4",
    ]
)


def is_number_name(name) -> bool:
    text = str(name).strip()
    if text.lower() in NUMBER_OIDS:
        return True
    last = re.split(r"[/:#]", text)[-1].lower()
    return last in NUMBER_NAMES


def carries_number(value) -> bool:
    return isinstance(value, str) and bool(find_personal_numbers(value))


def without_numbers(value):
    """`value` (a provider's claims or attributes: dicts, lists, strings) with every entry that
    is named as a personal identity number, or whose value contains one, left out."""
    if isinstance(value, dict):
        return {
            key: without_numbers(item)
            for key, item in value.items()
            if not is_number_name(key) and not carries_number(key) and not carries_number(item)
        }
    if isinstance(value, list | tuple):
        return [without_numbers(item) for item in value if not carries_number(item)]
    return value


def safe_uid(uid: str) -> str:
    """The provider's identifier of a person, unless it is (or contains) a personal identity
    number: then a keyed hash of it, the same each time, that does not give the number back."""
    if not carries_number(uid):
        return uid
    digits = "".join(ch for ch in find_personal_numbers(uid)[0] if ch.isdigit())[-10:]
    key = f"triad-federated-uid:{settings.SECRET_KEY}".encode()
    return "h:" + hmac.new(key, digits.encode(), hashlib.sha256).hexdigest()


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower().rstrip(".")


def connection_for_email(email: str):
    """The identity connection that signs in people with this address, or None."""
    from .models import ConnectionDomain

    domain = email_domain(email or "")
    if not domain:
        return None
    found = ConnectionDomain.objects.select_related("connection__app").filter(domain=domain).first()
    return found.connection if found else None


def connection_for_app(app):
    from .models import IdentityConnection

    if app is None or app.pk is None:
        return None
    return IdentityConnection.objects.filter(app=app).first()


def asserted_contexts(extra_data: dict) -> set[str]:
    """What a provider said about how the person authenticated: OIDC `acr` and `amr` (from the
    ID token or the userinfo), SAML AuthnContextClassRef."""
    found: set[str] = set()
    sources = [extra_data, extra_data.get("id_token") or {}, extra_data.get("userinfo") or {}]
    for source in sources:
        if not isinstance(source, dict):
            continue
        for key in ("acr", "amr", AUTHN_CONTEXT_KEY):
            value = source.get(key)
            if isinstance(value, str):
                found.add(value)
            elif isinstance(value, list | tuple):
                found.update(str(v) for v in value)
    return {value.strip().lower() for value in found if value}


def asserts_mfa(connection, extra_data: dict) -> bool:
    """Whether the provider asserted more than a password for this sign-in."""
    if connection is None:
        return False
    return bool(asserted_contexts(extra_data) & connection.mfa_value_set())


def accept_through_provider(invitation_pk, connection, linked_user=None):
    """The person an invitation is for, its role given to them, when they sign in through their
    organisation's provider from the invitation's link: the one way a federated sign-in makes
    an account. None when the invitation is no longer usable or its address does not belong to
    this connection's organisation. `linked_user`: the person the identity is already linked
    to, who gets the role only if the invitation is addressed to them."""
    from django.utils import translation

    from pilots.models import User

    from . import services
    from .models import Invitation

    invitation = Invitation.objects.filter(pk=invitation_pk).first()
    if invitation is None or not invitation.is_usable:
        return None
    if connection is None or connection_for_email(invitation.email) != connection:
        return None
    user = User.objects.filter(email__iexact=invitation.email).first()
    if linked_user is not None and linked_user != user:
        return None
    try:
        if user is None:
            user = services.accept_as_new_person(
                invitation,
                full_name=invitation.full_name,
                password=None,
                language=translation.get_language() or "sv",
            )
        else:
            services.accept_invitation(invitation, user)
    except services.InvitationError:
        return None
    return user


def user_by_asserted_email(connection, emails) -> object | None:
    """For a connection marked to trust the e-mail its provider asserts: the one person with
    that address at one of the connection's domains."""
    from pilots.models import User

    if connection is None or not connection.trust_email:
        return None
    domains = set(connection.domains.values_list("domain", flat=True))
    for email in emails:
        if email and email_domain(email) in domains:
            user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
            if user is not None:
                return user
    return None


class HostHeaderMiddleware:
    """python3-saml reads the Host header itself (allauth's `prepare_django_request`), so a
    request without one (HTTP/1.0) would end in a server error where a SAML sign-in starts or
    ends. It gets the
    host Django itself would read (SERVER_NAME), checked against ALLOWED_HOSTS as always."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "HTTP_HOST" not in request.META:
            request.META["HTTP_HOST"] = request.get_host()
        return self.get_response(request)
