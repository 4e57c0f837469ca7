"""Swedish first: the interface is Swedish unless the person chose English (in their profile or
with the language switch). The browser's Accept-Language is deliberately not consulted."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


def preferred_language(request) -> str:
    choice = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language:
        choice = user.language
    return choice if choice in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class PreferredLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = preferred_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        # The same address answers in another language for another cookie or person.
        patch_vary_headers(response, ("Cookie",))
        return response
