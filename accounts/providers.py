"""allauth's SAML and OpenID Connect providers with what Triad keeps from their answers: named
in SOCIALACCOUNT_PROVIDERS["…"]["provider_class"], allauth's own way of choosing a provider's
class. Every value allauth builds a sign-in from passes through the extract step, so this is
the one place where personal identity numbers are dropped (accounts/federation.py)."""

import logging

import requests
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.saml.provider import SAMLProvider
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from onelogin.saml2.errors import OneLogin_Saml2_Error

from .federation import AUTHN_CONTEXT_KEY, carries_number, safe_uid, without_numbers

logger = logging.getLogger(__name__)


class SendsOnToTheProvider:
    """The way to the provider: a page that goes on to it by itself. One that does not answer
    (its discovery document or metadata cannot be fetched) sends the person back to the
    sign-in page with a message, not to a server error."""

    def redirect(self, request, *args, **kwargs):
        try:
            response = super().redirect(request, *args, **kwargs)
        except (requests.RequestException, OSError, ValueError, OneLogin_Saml2_Error):
            logger.warning("Identity provider %s did not answer", self.app.provider_id)
            messages.error(
                request,
                _(
                    "Your organisation's sign-in service did not answer. Try again in a while, "
                    "or sign in with your e-mail address and password."
                ),
            )
            return redirect("account_login")
        # A page that goes on by itself, not a redirect: the sign-in starts from a form, and
        # the browser refuses to let a form's answer redirect to another site (Triad's
        # Content-Security-Policy says form-action 'self').
        return render(
            request,
            "accounts/federation/to_provider.html",
            {"provider_url": response["Location"], "provider_name": self.app.name},
        )


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


class TriadSAMLProvider(SendsOnToTheProvider, WithoutPersonalNumbers, SAMLProvider):
    package = "allauth.socialaccount.providers.saml"  # whose URLs allauth mounts

    def extract_extra_data(self, data):
        # How the person authenticated (AuthnContextClassRef) decides whether the sign-in
        # counts as the second factor; allauth keeps only the attributes.
        extra = super().extract_extra_data(data)
        contexts = [c for c in data.get_last_authn_contexts() or [] if not carries_number(c)]
        return {**extra, AUTHN_CONTEXT_KEY: contexts}


class TriadOpenIDConnectProvider(
    SendsOnToTheProvider, WithoutPersonalNumbers, OpenIDConnectProvider
):
    package = "allauth.socialaccount.providers.openid_connect"
