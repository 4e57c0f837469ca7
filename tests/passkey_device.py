"""A passkey in software, for the tests: it answers allauth's WebAuthn pages the way a
browser with a security key does, from the options the page itself carries (its "js_data"
block), so the tests exercise allauth's real verification (fido2) with no mock.

    key = PasskeyDevice()
    credential = key.register(page_html)              # on the "add a passkey" page
    client.post(url, {"name": "…", "credential": json.dumps(credential)})
    assertion = key.sign(page_html)                   # on the sign-in or confirm page
"""

import hashlib
import json
import os
import re
from html import unescape

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import (
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

ORIGIN = "https://testserver"  # the test client's host; fido2 checks the origin against it
JS_DATA = re.compile(r'<script id="js_data" type="application/json">(.*?)</script>', re.DOTALL)


def page_options(html):
    """The WebAuthn options a page hands to the browser (allauth's `js_data`)."""
    return json.loads(unescape(JS_DATA.search(html).group(1)))


class PasskeyDevice:
    def __init__(self, origin=ORIGIN):
        self.origin = origin
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.counter = 0

    def _client_data(self, kind, challenge):
        return CollectedClientData.create(
            type=kind, challenge=websafe_decode(challenge), origin=self.origin
        )

    def register(self, html):
        """The browser's answer to navigator.credentials.create() on an "add" page."""
        options = page_options(html)["creation_options"]["publicKey"]
        return self._registration(options["rp"]["id"], options["challenge"])

    def _registration(self, rp_id, challenge):
        client_data = self._client_data("webauthn.create", challenge)
        flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV | AuthenticatorData.FLAG.AT
        auth_data = AuthenticatorData.create(
            hashlib.sha256(rp_id.encode()).digest(),
            flags,
            self.counter,
            AttestedCredentialData.create(
                b"\0" * 16,
                self.credential_id,
                ES256.from_cryptography_key(self.private_key.public_key()),
            ),
        )
        attestation = AttestationObject.create("none", auth_data, {})
        return {
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "attestationObject": websafe_encode(bytes(attestation)),
            },
            "clientExtensionResults": {"credProps": {"rk": False}},
        }

    def sign(self, html):
        """The browser's answer to navigator.credentials.get() on a sign-in or confirm page."""
        options = page_options(html)["request_options"]["publicKey"]
        self.counter += 1
        client_data = self._client_data("webauthn.get", options["challenge"])
        auth_data = AuthenticatorData.create(
            hashlib.sha256(options["rpId"].encode()).digest(),
            AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV,
            self.counter,
        )
        signature = self.private_key.sign(
            bytes(auth_data) + client_data.hash, ec.ECDSA(hashes.SHA256())
        )
        return {
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "authenticatorData": websafe_encode(bytes(auth_data)),
                "signature": websafe_encode(signature),
            },
            "clientExtensionResults": {},
        }


def add_passkey(user, name="Nyckel", device=None, rp_id="testserver"):
    """Give `user` a passkey directly, as if added on the page; returns the device holding it
    and the Authenticator row."""
    from allauth.mfa.webauthn.internal.auth import WebAuthn

    device = device or PasskeyDevice()
    credential = device._registration(rp_id, websafe_encode(os.urandom(32)))
    return device, WebAuthn.add(user, name, credential).instance
