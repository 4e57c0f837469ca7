"""The security audit record (AuditEvent): sign-ins, failed sign-ins, sign-outs, wrong
two-factor codes, changes to two-factor settings, refused and throttled requests. Case reads, changes and exports have their own record (cases.audit).

Receivers for Django's authentication signals are connected in PilotsConfig.ready; the
refusals are seen by AuditMiddleware, after the response is made, so a view's own
transaction (ATOMIC_REQUESTS) rolling back cannot take the line with it."""

from django.core.exceptions import PermissionDenied

from .models import AuditEvent, AuditKind
from .pnr import mask_text

# A 403 to a signed-in person is always worth a line; a 404 only under these paths, where
# someone would probe for another site's objects. Elsewhere a 404 is a mistyped address.
WATCHED_PREFIXES = ("/sites/",)


def client_ip(request):
    from allauth.account.adapter import get_adapter

    try:
        # allauth's answer honours ALLAUTH_TRUSTED_PROXY_COUNT, as its rate limits do.
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


def recorded_path(request) -> str:
    """The page as the audit records keep it: the path without its query string (a search
    for a personal identity number must not land in an append-only row), with any number in
    the path itself masked."""
    return mask_text(request.path)[:300]


def record(kind, request=None, *, user=None, email="", **fields):
    """Write one line. `user` defaults to the request's signed-in person."""
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    if request is not None:
        fields.setdefault("ip", client_ip(request))
        fields.setdefault("method", request.method or "")
        fields.setdefault("path", recorded_path(request))
        site = getattr(request, "site", None)
        if site is not None:
            fields.setdefault("site_slug", site.slug)
    return AuditEvent.objects.create(
        kind=kind,
        user=user,
        # A person may type anything as the address, their identity number too.
        user_email=mask_text(email or (user.email if user else ""))[:254],
        **fields,
    )


def on_logged_in(sender, request, user, **kwargs):
    record(AuditKind.LOGIN, request, user=user)


def on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(AuditKind.LOGOUT, request, user=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; keep only the identifier.
    tried = credentials.get("email") or credentials.get("username") or ""
    record(AuditKind.LOGIN_FAILED, request, email=str(tried))


def on_mfa_failed(sender, request, user, authenticator, **kwargs):
    record(
        AuditKind.MFA_FAILED,
        request,
        user=user,
        detail={"type": authenticator.type, "reauthentication": kwargs.get("reauthentication")},
    )


def on_mfa_changed(sender, request, user, authenticator, **kwargs):
    # Someone who took over a session would first turn two-factor off or take new codes.
    record(AuditKind.MFA_CHANGED, request, user=user, detail={"type": authenticator.type})


class AuditMiddleware:
    """Records refused requests of signed-in people (403 anywhere, 404 under /sites/) and
    throttled ones (429, signed in or not)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = response.status_code
        if status == 429:
            record(AuditKind.THROTTLED, request, status=status)
        elif (
            (status == 403 or (status == 404 and request.path.startswith(WATCHED_PREFIXES)))
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            record(AuditKind.REFUSED, request, status=status)
        return response
