"""allauth's SAML and OpenID Connect providers with what Triad keeps from their answers: named
in SOCIALACCOUNT_PROVIDERS["…"]["provider_class"], allauth's own way of choosing a provider's
class. Every value allauth builds a sign-in from passes through the extract step, so this is
the one place where personal identity numbers are dropped (accounts/federation.py)."""

from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.saml.provider import SAMLProvider

from .federation import AUTHN_CONTEXT_KEY, carries_number, safe_uid, without_numbers


class WithoutPersonalNumbers:
    """Drops personal identity numbers from what a provider extracts, before anything is built
    from it: the uid, the extra data, the fields copied to the user, the e-mail addresses."""

    def extract_uid(self, data):
        return safe_uid(super().extract_uid(data))

    def extract_extra_data(self, data):
        return without_numbers(super().extract_extra_data(data))

    def extract_common_fields(self, data):
        return without_numbers(super().extract_common_fields(data))

    def extract_email_addresses(self, data):
        return [
            address
            for address in super().extract_email_addresses(data)
            if not carries_number(address.email)
        ]


class TriadSAMLProvider(WithoutPersonalNumbers, SAMLProvider):
    package = "allauth.socialaccount.providers.saml"  # whose URLs allauth mounts

    def extract_extra_data(self, data):
        # How the person authenticated (AuthnContextClassRef) decides whether the sign-in
        # counts as the second factor; allauth keeps only the attributes.
        extra = super().extract_extra_data(data)
        contexts = [c for c in data.get_last_authn_contexts() or [] if not carries_number(c)]
        return {**extra, AUTHN_CONTEXT_KEY: contexts}


class TriadOpenIDConnectProvider(WithoutPersonalNumbers, OpenIDConnectProvider):
    package = "allauth.socialaccount.providers.openid_connect"
