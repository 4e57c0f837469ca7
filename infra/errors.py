"""Error pages in the person's language, and the answer to a rate-limited request."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django_ratelimit.exceptions import Ratelimited


class Refusal(PermissionDenied):
    """A 403 that says why, in words written for the person: the error page shows them
    instead of its general advice. (A plain PermissionDenied's message is never shown.)"""


@login_not_required
@requires_csrf_token
def permission_denied(request, exception=None):
    # django-ratelimit refuses with Ratelimited, a kind of PermissionDenied: that is "too many
    # attempts, wait a little", not "your role does not allow this".
    if isinstance(exception, Ratelimited):
        return rate_limited(request, exception)
    reason = str(exception) if isinstance(exception, Refusal) else ""
    return render(request, "403.html", {"reason": reason}, status=403)


@login_not_required
@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@login_not_required
@requires_csrf_token
def server_error(request):
    # Rendered without the request's context: whatever failed may fail again.
    return HttpResponseServerError(loader.render_to_string("500.html"))


@login_not_required
@requires_csrf_token
def rate_limited(request, exception=None):
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response
