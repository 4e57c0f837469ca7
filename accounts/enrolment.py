"""Proof of the account's e-mail before a second factor is added.

With TRIAD_REQUIRE_MFA_FOR_CASES on, a second factor is what keeps a stolen password away from
case pages. But a person who has none yet signs in with the password alone, so whoever holds a
stolen password could enrol their *own* authenticator app or passkey and walk in. Hence the
pages that add one — every allauth URL whose view is in ENROLMENT_VIEWS, wrapped by
`with_enrolment_proof` where config/urls.py includes allauth — want, besides the password
typed again (allauth's reauthentication), a code sent to the account's e-mail address and
entered in the same session:

- a code is 8 characters, works for TRIAD_ENROLMENT_CODE_TIMEOUT seconds (10 minutes) and at
  most MAX_ATTEMPTS wrong tries, after which a new one must be sent; only its hash is kept,
  in the session, bound to the person and the address;
- sending is limited per person (ACCOUNT_RATE_LIMITS["enrolment_code"]);
- an entered code is proof for the same TRIAD_ENROLMENT_CODE_TIMEOUT, and for one new factor:
  adding one spends it.

The person is told by e-mail whenever a factor is added or removed (allauth's notification
mails, ACCOUNT_EMAIL_NOTIFICATIONS; our Swedish texts in templates/mfa/email/)."""

import hmac
import time
from functools import wraps
from urllib.parse import quote

from allauth.account.adapter import get_adapter
from allauth.account.decorators import reauthentication_required
from allauth.core.internal import ratelimit
from allauth.core.internal.cryptokit import normalize_user_code
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.views import ActivateTOTPView
from allauth.mfa.webauthn.views import AddWebAuthnView
from django.conf import settings
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver, reverse
from django.utils.crypto import salted_hmac
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import FormView

from infra import audit
from infra.models import AuditKind

from .forms import EnrolmentCodeForm

SESSION_KEY = "triad_enrolment_proof"
MAX_ATTEMPTS = 3
# The allauth views that add a second factor (passkey sign-up is off: MFA_PASSKEY_SIGNUP_ENABLED).
ENROLMENT_VIEWS = (ActivateTOTPView, AddWebAuthnView)


def proof_required() -> bool:
    return settings.TRIAD_REQUIRE_MFA_FOR_CASES


def _timeout() -> int:
    return settings.TRIAD_ENROLMENT_CODE_TIMEOUT


def _digest(code: str) -> str:
    return salted_hmac("triad.enrolment-code", normalize_user_code(code)).hexdigest()


def _state(request) -> dict | None:
    """This session's code or proof, if it is the signed-in person's and for their address."""
    state = request.session.get(SESSION_KEY)
    user = request.user
    if not state or state.get("user") != user.pk or state.get("email") != user.email.lower():
        return None
    return state


def has_proof(request) -> bool:
    state = _state(request)
    return bool(state and state.get("proved_at", 0) > time.time() - _timeout())


def pending_code(request) -> dict | None:
    """The code sent and not yet entered, while it is valid."""
    state = _state(request)
    if state and state.get("digest") and state["sent_at"] > time.time() - _timeout():
        return state
    return None


def send_code(request) -> bool:
    """E-mail a new code to the signed-in person; False if they asked for too many."""
    if not ratelimit.consume(
        request, app="allauth.account", action="enrolment_code", user=request.user
    ):
        return False
    adapter = get_adapter(request)
    code = adapter.generate_login_code()
    request.session[SESSION_KEY] = {
        "user": request.user.pk,
        "email": request.user.email.lower(),
        "digest": _digest(code),
        "sent_at": time.time(),
        "attempts": 0,
    }
    adapter.send_mail(
        "accounts/email/enrolment_code",
        request.user.email,
        {"code": code, "minutes": _timeout() // 60, "user": request.user},
    )
    return True


class WrongCode(Exception):
    """The code entered is not the one sent (`attempts_left` more tries), or none is valid."""

    def __init__(self, message, attempts_left=0):
        super().__init__(message)
        self.attempts_left = attempts_left


def check_code(request, code: str) -> None:
    """Turn a right code into proof; raise WrongCode otherwise (and count the try)."""
    state = pending_code(request)
    if state is None:
        request.session.pop(SESSION_KEY, None)
        raise WrongCode(_("The code has expired or was never sent. Send a new one."))
    if hmac.compare_digest(state["digest"], _digest(code)):
        request.session[SESSION_KEY] = {
            "user": state["user"],
            "email": state["email"],
            "proved_at": time.time(),
        }
        return
    state["attempts"] += 1
    left = MAX_ATTEMPTS - state["attempts"]
    audit.record(
        AuditKind.MFA_FAILED, request, detail={"type": "email_code", "purpose": "enrolment"}
    )
    if left <= 0:
        request.session.pop(SESSION_KEY, None)
        raise WrongCode(_("Too many wrong codes. Send a new one."))
    request.session[SESSION_KEY] = state
    raise WrongCode(_("Wrong code."), attempts_left=left)


# --- The gate on allauth's enrolment pages ---------------------------------------------------


def enrolment_proof_required(view):
    """Send a signed-in person without proof to the proof page (and back afterwards), GET or
    POST: nothing is added without it. Anonymous visitors go on to the view, which sends
    them to sign in."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not (proof_required() and request.user.is_authenticated):
            return view(request, *args, **kwargs)
        if not has_proof(request):
            proof_url = reverse("accounts:mfa_enrolment_proof")
            return redirect(f"{proof_url}?next={quote(request.get_full_path())}")
        before = _factor_count(request.user)
        response = view(request, *args, **kwargs)
        if _factor_count(request.user) > before:
            # The proof has served for one new factor. (Counted here rather than on allauth's
            # authenticator_added, which fires on commit: after the session may be saved.)
            request.session.pop(SESSION_KEY, None)
        return response

    guarded.needs_enrolment_proof = True
    return guarded


def _factor_count(user) -> int:
    return Authenticator.objects.filter(
        user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).count()


def _adds_a_factor(pattern: URLPattern) -> bool:
    view_class = getattr(pattern.callback, "view_class", None)
    return view_class is not None and issubclass(view_class, ENROLMENT_VIEWS)


def with_enrolment_proof(patterns):
    """allauth's URL patterns, the same paths and names, with every view that adds a second
    factor wrapped in `enrolment_proof_required` — found by its class, so a renamed or moved
    allauth URL stays guarded. Wrapping the view itself (not a middleware) also covers
    allauth replaying a suspended POST after reauthentication, which calls the view directly."""
    guarded = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            pattern = URLResolver(
                pattern.pattern,
                with_enrolment_proof(pattern.url_patterns),
                pattern.default_kwargs,
                pattern.app_name,
                pattern.namespace,
            )
        elif _adds_a_factor(pattern):
            pattern = URLPattern(
                pattern.pattern,
                enrolment_proof_required(pattern.callback),
                pattern.default_args,
                pattern.name,
            )
        guarded.append(pattern)
    return guarded


# --- The proof page ---------------------------------------------------------------------------------


@method_decorator(reauthentication_required(app="allauth.mfa"), name="dispatch")
class EnrolmentProofView(FormView):
    """Send a code to the account's e-mail and take it back. The password comes first
    (reauthentication), then the code; then on to the page that adds the factor."""

    template_name = "accounts/enrolment_proof.html"
    form_class = EnrolmentCodeForm

    def next_url(self):
        url = self.request.POST.get("next") or self.request.GET.get("next")
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return url
        return reverse("mfa_index")

    def dispatch(self, request, *args, **kwargs):
        if has_proof(request) or not proof_required():
            return redirect(self.next_url())
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "send":
            if not send_code(request):
                return self.render_to_response(
                    self.get_context_data(
                        form=self.form_class(),
                        throttled=True,
                    )
                )
            return redirect(f"{request.path}?next={quote(self.next_url())}")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            check_code(self.request, form.cleaned_data["code"])
        except WrongCode as wrong:
            form.add_error("code", str(wrong))
            return self.form_invalid(form)
        return redirect(self.next_url())

    def get_context_data(self, **kwargs):
        pending = pending_code(self.request)
        kwargs.update(
            pending=pending,
            email=self.request.user.email,
            next_url=self.next_url(),
            minutes=_timeout() // 60,
            attempts_left=MAX_ATTEMPTS - pending["attempts"] if pending else 0,
        )
        return super().get_context_data(**kwargs)
