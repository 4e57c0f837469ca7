"""People and login: django-allauth's accounts, second factors and sign-in through an
organisation's identity provider, with Triad's own limits on them. Star-imported by base.py."""

import environ

# base.py has read .env into the process environment already; this reads the same values.
env = environ.Env()

AUTH_USER_MODEL = "pilots.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "pilots:home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "accounts.adapters.InvitationOnlyAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
# Failed sign-ins: 10 a minute from one client address, and 5 in 5 minutes on one account from
# one address (accounts.adapters counts the key per account *and* address, so nobody locks a
# colleague out from afar). "login_failed_account" is Triad's own: failures on one account
# from anywhere; when reached, the password is refused for that account but a code sent to
# its e-mail still signs the owner in (ACCOUNT_LOGIN_BY_CODE_ENABLED).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login_failed_account": "20/h/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user",
    # Triad's own: codes e-mailed before a second factor is added (accounts/enrolment.py).
    "enrolment_code": "5/h/user",
    "change_password": "5/m/user",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Triad] "
# One address per person: changing it replaces the old one once the new one is confirmed.
ACCOUNT_CHANGE_EMAIL = True
# Tell the person by e-mail when their password or address changes (someone else may have done it).
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Changing the e-mail address or two-factor settings asks for the password again.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Again means the password (or the second factor), never a code by e-mail: a mailbox alone
# must not open an export or a change of two-factor settings.
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")
# A code sent to the account's e-mail signs a person in without the password (the second
# factor still follows). It is the way in when failed sign-ins have paused the password.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_REAUTHENTICATION_TIMEOUT = 10 * 60
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
# Rate limits count per client address; behind N reverse proxies, set this to N so the
# client's own address (from X-Forwarded-For) is counted rather than the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
# Second factors: a code from an authenticator app (TOTP), or a passkey or security key
# (WebAuthn: fingerprint, face or PIN on the phone or computer, or a USB key); recovery codes
# come with the first of them.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
# A passkey is a second factor after the password, never a way in on its own: signing in stays
# one path for everyone (password, then second factor), and the failed-sign-in limits and the
# e-mailed code (ACCOUNT_LOGIN_BY_CODE_ENABLED) keep guarding it.
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_PASSKEY_SIGNUP_ENABLED = False
# WebAuthn checks that the browser signed for this site's own https origin. Left on everywhere:
# fido2 already accepts http://localhost (browsers treat it as secure), which is all `make run`
# (open http://localhost:8000 — an IP address cannot hold a passkey) and the tests need.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
MFA_TOTP_ISSUER = "Triad"
# Accept the code of the previous and next 30-second window too: phone clocks drift.
MFA_TOTP_TOLERANCE = 1
MFA_RECOVERY_CODE_COUNT = 10
# When on, a person must have a second factor (TOTP or a passkey) before any page that shows
# cases (on in production).
TRIAD_REQUIRE_MFA_FOR_CASES = env.bool("TRIAD_REQUIRE_MFA_FOR_CASES", default=False)
# ...and then adding a second factor takes, besides the password, a code sent to the account's
# e-mail (accounts/enrolment.py): valid this many seconds, and the proof as long after.
TRIAD_ENROLMENT_CODE_TIMEOUT = 10 * 60
INVITATION_VALID_DAYS = 14

# Signing in with an organisation's own identity provider (accounts/federation.py): nobody signs
# up that way, and the providers' subclasses drop personal identity numbers when extracting.
SOCIALACCOUNT_ADAPTER = "accounts.adapters.FederatedSignInAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {
    "saml": {"provider_class": "accounts.providers.TriadSAMLProvider"},
    "openid_connect": {"provider_class": "accounts.providers.TriadOpenIDConnectProvider"},
}
