"""The public side of interest registration (intresseanmälan): the form a municipality or
region sends without an account, the thanks, and the applicant's own page that follows the
registration through the queue."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe
from django_ratelimit.decorators import ratelimit

from infra.errors import rate_limited

from .. import services
from ..forms.intake import InterestRegistrationForm
from ..models import RegistrationStatus

# Sending the public form: enough for a few people behind one municipal network address,
# too few for a flood.
REGISTRATION_RATE = "10/h"
SENT_SESSION_KEY = "registration_sent_to"


@login_not_required
@ratelimit(key="ip", rate=REGISTRATION_RATE, method="POST", block=False)
def registration_create(request):
    """The public interest registration (intresseanmälan) for the pre-study."""
    if getattr(request, "limited", False):
        return rate_limited(request)
    form = InterestRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # A bot that filled the hidden field is thanked like anyone else, and nothing is kept.
        if not form.is_spam:
            services.register_interest(form.save(commit=False), language=translation.get_language())
        request.session[SENT_SESSION_KEY] = form.cleaned_data["contact_email"]
        return redirect("pilots:registration_sent")
    return render(request, "pilots/intake/registration_form.html", {"form": form})


@login_not_required
@require_safe
def registration_sent(request):
    """Thanks, and where the confirmation went."""
    return render(
        request,
        "pilots/intake/registration_sent.html",
        {"email": request.session.get(SENT_SESSION_KEY)},
    )


@login_not_required
@require_safe
def registration_follow(request, token):
    """The applicant's own view of their registration, from the link in the confirmation."""
    registration = services.registration_for_token(token)
    if registration is None:
        return render(request, "pilots/intake/registration_follow_unknown.html", status=404)
    return render(
        request,
        "pilots/intake/registration_follow.html",
        {
            "registration": registration,
            "steps": _follow_steps(registration),
        },
    )


def _follow_steps(registration):
    """The registration's way through the queue, as the applicant sees it."""
    status = registration.status
    steps = [
        {"label": _("Registration received"), "done": True, "date": registration.created_at},
        {
            "label": _("Dialogue with the programme"),
            "done": status != RegistrationStatus.NEW,
            "current": status == RegistrationStatus.IN_DIALOGUE,
        },
    ]
    if status == RegistrationStatus.DECLINED:
        steps.append(
            {
                "label": pgettext("registration status", "Declined"),
                "done": True,
                "date": registration.decided_at,
                "end": True,
            }
        )
    else:
        steps.append(
            {
                "label": _("Accepted as a pilot site"),
                "done": status == RegistrationStatus.ACCEPTED,
                "date": registration.decided_at,
            }
        )
    return steps
