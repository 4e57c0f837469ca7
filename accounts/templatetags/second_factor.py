"""What the two-factor pages need to know about the person: which kinds of second factor
they have (an authenticator app, passkeys, recovery codes), also on the sign-in step before
they are signed in."""

from collections import Counter

from allauth.mfa.models import Authenticator
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def second_factor_kinds(context):
    """How many authenticators of each kind ("totp", "webauthn", "recovery_codes") the person
    signing in (allauth's login stage) or, failing that, the signed-in person has:
    `"totp" in kinds`, `kinds.webauthn`."""
    request = context["request"]
    stage = getattr(request, "_login_stage", None)
    user = stage.login.user if stage is not None else request.user
    if user is None or user.pk is None:
        return {}
    types = Authenticator.objects.filter(user_id=user.pk).values_list("type", flat=True)
    return dict(Counter(str(t) for t in types))
