"""How long a signed-in session lasts, and ending every session of a person.

Idle: Django's own SESSION_COOKIE_AGE, counted from the session's last save, so a session ends
after that long without a request (30 minutes by default). SessionAgeMiddleware renews it at
most once a minute (RENEW_AFTER) rather than writing the session on every request as
SESSION_SAVE_EVERY_REQUEST would: a page load then costs no session write.
In all: a session ends TRIAD_SESSION_MAX_AGE after sign-in (10 hours by default), however busy
— SessionAgeMiddleware below, with the sign-in time kept in the session.

Every session of a person is known through allauth's usersessions (a row per session, written
at sign-in), so they can be ended whatever the SESSION_ENGINE: when a person is deactivated
all of them end at once."""

import time

from django.conf import settings
from django.contrib.auth import logout

from infra.models import AuditKind

LOGIN_AT = "triad_login_at"
SEEN_AT = "triad_seen_at"
RENEW_AFTER = 60


def on_logged_in(sender, request, user, **kwargs):
    """Note the sign-in time, and make sure the session is known as this person's (allauth
    does so for its own sign-in; an invitation's sign-in and the admin's go through Django)."""
    request.session[LOGIN_AT] = request.session[SEEN_AT] = int(time.time())
    from allauth.usersessions.models import UserSession

    if request.META.get("REMOTE_ADDR"):
        UserSession.objects.create_from_request(request, user=user)


def mark_federated_mfa(sender, request, user, sociallogin=None, **kwargs):
    """Note whether this sign-in came through an identity provider that asserted
    multi-factor authentication: then it counts as the second factor for case pages
    (pilots.scoping.second_factor_gate). Any other sign-in clears the mark."""
    from . import federation

    asserted = False
    if sociallogin is not None:
        connection = federation.connection_for_app(sociallogin.provider.app)
        asserted = federation.asserts_mfa(connection, sociallogin.account.extra_data or {})
    request.session[federation.MFA_SESSION_KEY] = asserted


def end_all_sessions(user) -> int:
    """End every session of `user`, wherever it is kept. Returns how many were ended."""
    from allauth.usersessions.models import UserSession

    sessions = list(UserSession.objects.filter(user_id=user.pk))
    for session in sessions:
        session.end()
    return len(sessions)


def clear_expired() -> int:
    """Delete expired sessions, then forget the sessions that no longer exist."""
    from importlib import import_module

    from allauth.usersessions.models import UserSession

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    gone = 0
    for session in UserSession.objects.iterator():
        gone += session.purge()
    return gone


def on_user_saved(sender, instance, raw=False, **kwargs):
    """A deactivated person is signed out everywhere, now (not at their sessions' expiry)."""
    if raw or instance.pk is None or instance.is_active:
        return
    ended = end_all_sessions(instance)
    if ended:
        from infra import audit

        audit.record(AuditKind.SESSIONS_ENDED, user=instance, detail={"sessions": ended})


class SessionAgeMiddleware:
    """Signs a person out once their session is older than TRIAD_SESSION_MAX_AGE seconds,
    counted from sign-in (the next page then asks them to sign in again), and keeps an active
    session from expiring as idle."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(LOGIN_AT)
            now = int(time.time())
            if started is None:
                # A session from before this rule: count from now rather than end it unasked.
                request.session[LOGIN_AT] = now
            elif now - started > settings.TRIAD_SESSION_MAX_AGE:
                logout(request)
                return self.get_response(request)
            if now - request.session.get(SEEN_AT, 0) >= RENEW_AFTER:
                # Changing the session makes Django save it, with a new idle expiry.
                request.session[SEEN_AT] = now
        return self.get_response(request)
