"""Rows for the URLs that come from the framework and libraries: login and account pages
(django-allauth), the admin, health and language. Admin URLs are covered by one rule: every
one of them sends a non-staff person (all of ours) to the admin's login."""

from . import LOGIN, OK, PEOPLE, Row, coordinator_row, public_row, signed_in_row

SIGNED_IN = {p: OK for p in PEOPLE if p != "anonymous"}


def _as(anonymous, signed_in=OK):
    return {"anonymous": anonymous, **{p: signed_in for p in PEOPLE if p != "anonymous"}}


ROWS = [
    public_row("healthz"),
    # The accessibility statement: anyone reads it; the coordinators edit it.
    public_row("accessibility"),
    coordinator_row("accessibility_edit", post=True),
    signed_in_row("baseline"),
    Row("set_language", get=_as(405, 405), post=_as(OK)),
    # Signing in and out
    public_row("account_login", post=True),
    Row("account_logout", get=_as(LOGIN), post=_as(LOGIN, LOGIN)),
    public_row("account_inactive"),
    public_row("account_signup", post=True),
    # Signing in with a code sent by e-mail (the way in when the password is paused for an
    # account). Confirming needs a code asked for in this browser: without one, everybody is
    # sent to the page that asks for one.
    public_row("account_request_login_code", post=True),
    Row("account_confirm_login_code", get=_as(302, 302), post=_as(302, 302)),
    public_row("account_email_verification_sent"),
    Row(
        "account_confirm_email",
        kwargs=lambda w, s: {"key": "not-a-key"},
        get=_as(OK),
        post=_as(404, 404),  # no such key: nothing to confirm
    ),
    # Passwords
    public_row("account_reset_password", post=True),
    public_row("account_reset_password_done"),
    public_row(
        "account_reset_password_from_key",
        kwargs=lambda w: {"uidb36": "1", "key": "not-a-key"},
        post=True,  # the link is bad: the page says so and changes nothing
    ),
    public_row("account_reset_password_from_key_done"),
    signed_in_row("account_change_password", post=True),
    signed_in_row("account_set_password", post=True),
    signed_in_row("account_email", post=True),
    signed_in_row("account_reauthenticate", post=True),
    # Reauthentication by an e-mailed code: never (ACCOUNT_REAUTHENTICATION_METHODS is the
    # password and the second factor), so allauth refuses it outright.
    Row("account_request_reauthentication_code", get=_as(LOGIN, 403), post=_as(LOGIN, 403)),
    Row("account_confirm_reauthentication_code", get=_as(LOGIN, 403), post=_as(LOGIN, 403)),
    # A person's own sessions (allauth.usersessions): see them, end the others.
    signed_in_row("usersessions_list", post=True),
    # Two-factor authentication
    signed_in_row("mfa_index"),
    Row("mfa_authenticate", get=_as(LOGIN), post=_as(LOGIN)),
    signed_in_row("mfa_reauthenticate", post=True),
    signed_in_row("mfa_activate_totp", post=True),
    # allauth answers 404 for these until the person has set up TOTP (none of ours has here).
    Row("mfa_deactivate_totp", get=_as(LOGIN, 404), post=_as(LOGIN, 404)),
    Row("mfa_view_recovery_codes", get=_as(LOGIN, 404)),
    signed_in_row("mfa_generate_recovery_codes", post=True),
    Row("mfa_download_recovery_codes", get=_as(LOGIN, 404)),
    # Before a second factor is added (with TRIAD_REQUIRE_MFA_FOR_CASES on): a code sent to
    # the account's e-mail, after the password again (accounts/enrolment.py). The matrix runs
    # with the gate off, where the page only asks for the password and moves on.
    signed_in_row("accounts:mfa_enrolment_proof", post=True),
    # Passkeys (allauth's WebAuthn). Adding, renaming and removing ask for the password again
    # first, so a signed-in person is sent there; a key is only ever looked up among the
    # person's own (tests/test_passkeys.py opens another person's key after reauthenticating).
    signed_in_row("mfa_list_webauthn"),
    signed_in_row("mfa_add_webauthn", post=True),
    # Confirming with a passkey: people without one are sent to the password instead; a
    # broken answer from the key (the matrix posts nothing) goes back to allauth's sign-in page.
    Row(
        "mfa_reauthenticate_webauthn",
        get=_as(LOGIN),
        post={**_as(LOGIN), "member_b": LOGIN},
    ),
    signed_in_row("mfa_edit_webauthn", kwargs=lambda w: {"pk": w.passkey.pk}, post=True),
    signed_in_row("mfa_remove_webauthn", kwargs=lambda w: {"pk": w.passkey.pk}, post=True),
]


def build(world):
    """A passkey of the member of site B: the one key the rows above point at."""
    from tests.passkey_device import add_passkey

    _, world.passkey = add_passkey(world.people["member_b"], "Charlies nyckel")
