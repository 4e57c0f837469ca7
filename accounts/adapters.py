"""How django-allauth fits Triad: nobody signs up on their own (people come in by invitation),
allauth's e-mails go out like all of ours — in the recipient's language, through Celery,
once the request's transaction has committed — and failed sign-ins are counted so that
nobody can lock another person out from afar (see `pre_authenticate`)."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from infra.mail import html_from_text, send_email

# The slower limit per account alone, in ACCOUNT_RATE_LIMITS beside allauth's own actions.
ACCOUNT_LIMIT = "login_failed_account"


def recipient_language(email: str) -> str | None:
    """The language a known person chose; None for an address Triad does not know."""
    user = get_user_model().objects.filter(email__iexact=email).only("language").first()
    return user.language if user is not None else None


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts_for_account": _(
            "Too many failed sign-ins to this account. Signing in with the password is paused "
            "for a while; sign in with a code sent to your e-mail instead."
        ),
    }

    def is_open_for_signup(self, request):
        return False

    # --- Failed sign-ins --------------------------------------------------------------------
    #
    # allauth counts failed sign-ins per client address ("…/ip") and per key ("…/key"), the
    # key being the address typed in. Counted that way, anyone who knows a colleague's e-mail
    # address can lock them out from anywhere. Here the key is the account *and* the client
    # address, so five wrong passwords lock that account from that address only; a slower
    # limit per account alone (ACCOUNT_RATE_LIMITS["login_failed_account"]) stops a guesser
    # who spreads over many addresses. When it is reached, the password is refused from
    # everywhere, but the owner still gets in with a code sent to their e-mail (login by code,
    # which goes through no password and so through none of these counts).

    def _get_login_attempts_cache_key(self, request, **credentials):
        return f"{self._account_key(request, **credentials)}|{ratelimit.get_ip(request)}"

    def _account_key(self, request, **credentials):
        # The address typed in, lower-cased. (allauth puts the host name in front, which lets
        # a guesser double the count by reaching the same site by another name.) An address
        # that belongs to nobody is counted the same way, so the answers tell nothing about
        # who has an account.
        return str(credentials.get("email", credentials.get("username", ""))).lower()

    def _delete_login_attempts_cached_email(self, request, **credentials):
        # A completed password reset proves the mailbox: lift both counts, as allauth does.
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(
            request,
            app="allauth.account",
            action=ACCOUNT_LIMIT,
            key=self._account_key(request, **credentials),
        )

    def pre_authenticate(self, request, **credentials):
        account_usage = None
        if not self._is_reauthentication(request, credentials):
            account_usage = ratelimit.consume(
                request,
                app="allauth.account",
                action=ACCOUNT_LIMIT,
                key=self._account_key(request, **credentials),
            )
            if not account_usage:
                self._record_throttled(request, credentials, ACCOUNT_LIMIT)
                raise self.validation_error("too_many_login_attempts_for_account")
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            # Refused for this address: not an attempt on the account either.
            if account_usage:
                account_usage.rollback()
            self._record_throttled(request, credentials, "login_failed")
            raise
        if account_usage:
            # A right password rolls back every count this attempt took (allauth's rule: a
            # success must not wipe the counts, or successes could hide a guessing run).
            self._login_failed_rl_usage.usage.extend(account_usage.usage)

    @staticmethod
    def _is_reauthentication(request, credentials):
        """A signed-in person typing their own password again (before an export, a change of
        two-factor settings): the session is theirs already, so the per-account limit, there
        to stop guessing from afar, does not refuse them."""
        user = getattr(request, "user", None)
        return bool(
            user is not None
            and user.is_authenticated
            and str(credentials.get("email", "")).lower() == user.email.lower()
        )

    @staticmethod
    def _record_throttled(request, credentials, limit):
        from infra import audit
        from infra.models import AuditKind

        tried = str(credentials.get("email") or credentials.get("username") or "")
        audit.record(AuditKind.THROTTLED, request, email=tried, detail={"limit": limit})

    def send_mail(self, template_prefix, email, context):
        # A known person gets the mail in their own language; anyone else in the language of
        # the page they used (Swedish unless they switched).
        language = recipient_language(email) or translation.get_language()
        # allauth's texts name `current_site`; without django.contrib.sites that would be the
        # bare host name, so it is Triad and its public address instead.
        site = SimpleNamespace(name="Triad", domain=urlsplit(settings.SITE_URL).netloc)
        ctx = {
            "request": allauth_context.request,
            "email": email,
            "current_site": site,
            "site_url": settings.SITE_URL,
            **context,
        }
        with translation.override(language or settings.LANGUAGE_CODE):
            message = self.render_mail(template_prefix, email, ctx)
            alternatives = getattr(message, "alternatives", [])
            html = next((body for body, mime in alternatives if mime == "text/html"), None)
            if html is None:
                html = html_from_text(message.subject, message.body)
        send_email.delay_on_commit(
            to=list(message.to), subject=message.subject, text=message.body, html=html
        )


class FederatedSignInAdapter(DefaultSocialAccountAdapter):
    """Signing in through an organisation's identity provider (accounts/federation.py): it
    signs in a person already linked to the identity, and links one only from their
    invitation or, where the connection trusts it, by the asserted e-mail. Anyone else is told
    so, and nothing is created or kept."""

    def is_open_for_signup(self, request, sociallogin):
        return False

    def is_auto_signup_allowed(self, request, sociallogin):
        return False

    def pre_social_login(self, request, sociallogin):
        from allauth.core.exceptions import ImmediateHttpResponse
        from allauth.socialaccount.providers.base.constants import AuthProcess
        from django.contrib import messages
        from django.shortcuts import redirect

        from . import federation

        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            return
        connection = federation.connection_for_app(sociallogin.provider.app)
        invitation = sociallogin.state.get("invitation")
        if sociallogin.is_existing:
            # Already linked: it signs its person in; from an invitation to them, it accepts it.
            if invitation is not None:
                federation.accept_through_provider(invitation, connection, sociallogin.user)
            return
        user = None
        if invitation is not None:
            user = federation.accept_through_provider(invitation, connection)
        if user is None:
            emails = [a.email for a in sociallogin.email_addresses]
            emails.append(getattr(sociallogin.user, "email", "") or "")
            user = federation.user_by_asserted_email(connection, emails)
        if user is None:
            messages.error(
                request,
                _(
                    "Nobody in Triad is linked to the account you signed in with. Sign in with "
                    "your e-mail address and password and link it under Linked accounts, or "
                    "use the link in your invitation."
                ),
            )
            raise ImmediateHttpResponse(redirect("account_login"))
        sociallogin.connect(request, user)
