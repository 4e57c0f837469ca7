from django.contrib.auth.decorators import login_not_required
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language


@login_not_required
@require_POST
def set_language(request):
    """Remember the chosen language in a cookie and, for a signed-in person, in their profile
    (so their e-mails come in it too)."""
    response = django_set_language(request)
    language = request.POST.get("language")
    user = request.user
    if user.is_authenticated and language in dict(user._meta.get_field("language").choices):
        user.language = language
        user.save(update_fields=["language"])
    return response
