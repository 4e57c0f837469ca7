"""The framework's and libraries' pages: signing in, one's own account and two-factor
authentication, health and language. They show the person's own account only, but they
share the base template (its menu), so every one that opens is read too."""

from . import programme_page

PAGES = [
    programme_page(name)
    for name in (
        "healthz",
        "accessibility",
        "accessibility_edit",
        "baseline",
        "account_login",
        "account_inactive",
        "account_signup",
        "account_email_verification_sent",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key_done",
        "account_change_password",
        "account_set_password",
        "account_email",
        "account_reauthenticate",
        "account_request_login_code",
        "usersessions_list",
        "mfa_index",
        "mfa_reauthenticate",
        "mfa_activate_totp",
        "mfa_generate_recovery_codes",
        "accounts:mfa_enrolment_proof",
        "mfa_list_webauthn",
        "mfa_add_webauthn",
        "accounts:federated_login",
        "socialaccount_connections",
        "socialaccount_login_cancelled",
    )
]

OBJECTS = []

# A person's own passkey: allauth looks it up only among the person's own keys, and only after
# the password again, so another person's key is tried in tests/test_passkeys.py
# (test_another_persons_key_is_not_found) rather than here.
OWN_ONLY = {"mfa_edit_webauthn", "mfa_remove_webauthn"}

OTHER = {
    "set_language": "a POST-only form (the person's language)",
    "account_logout": "signing out",
    "account_confirm_login_code": "the second step of signing in by code: no code was asked for",
    "account_request_reauthentication_code": "refused (403): re-entering the password never "
    "takes an e-mailed code",
    "account_confirm_reauthentication_code": "refused (403), as above",
    "mfa_reauthenticate_webauthn": "confirming with one's own passkey; no one here has one",
    "mfa_edit_webauthn": "one's own passkey (see OWN_ONLY)",
    "mfa_remove_webauthn": "one's own passkey (see OWN_ONLY)",
    "mfa_authenticate": "the second step of signing in: everyone here is sent to sign in",
    "mfa_deactivate_totp": "the person's own TOTP, which no one here has set up (404)",
    "mfa_view_recovery_codes": "the person's own recovery codes (404 without TOTP)",
    "mfa_download_recovery_codes": "the person's own recovery codes (404 without TOTP)",
    "account_confirm_email": "the secret in the address is the credential (a confirmation key)",
    "account_reset_password_from_key": "the secret in the address is the credential",
    "accounts:federated_connect": "POST only: sends the person to their organisation's provider",
    "socialaccount_login_error": "allauth's answer to a failed sign-in at a provider (401)",
    "socialaccount_signup": "closed: nobody signs up through a provider (to the sign-in page)",
    "openid_connect_login": "asks before sending to a provider; shows no one's data",
    "saml_login": "asks before sending to a provider; shows no one's data",
    "openid_connect_callback": "the provider's answer; without Triad's state refused (401)",
    "saml_acs": "the provider's posted answer, passed on to saml_finish_acs",
    "saml_finish_acs": "the provider's answer; without one refused (401)",
    "saml_sls": "the provider's single logout; refused without its request (400)",
    "saml_metadata": "Triad's own SAML metadata (XML), the same for everyone",
}
