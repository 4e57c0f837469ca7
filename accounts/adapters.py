"""How django-allauth fits Triad: nobody signs up on their own (people come in by invitation),
and allauth's e-mails go out like all of ours — in the recipient's language, through Celery,
once the request's transaction has committed."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils import translation

from infra.mail import send_email


def recipient_language(email: str) -> str | None:
    """The language a known person chose; None for an address Triad does not know."""
    user = get_user_model().objects.filter(email__iexact=email).only("language").first()
    return user.language if user is not None else None


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False

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
                html = render_to_string(
                    "email/base.html", {"subject": message.subject, "text": message.body}
                )
        send_email.delay_on_commit(
            to=list(message.to), subject=message.subject, text=message.body, html=html
        )
