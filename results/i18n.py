"""Languages: public pages take theirs from the path, the admin German unless the editor chose English."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PathLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware without its `Vary: Accept-Language`.

    With `prefix_default_language=False` (winnenden/urls.py) a path without a prefix is German and one with a
    prefix is that language: Accept-Language never decides, so varying on it would only split every cache (the
    page cache's and the browsers') in two. The rest of Django's process_response, a redirect to the prefixed
    path on a 404, applies only with the default language prefixed.
    """

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class AdminLanguageMiddleware:
    """Under the admin, the editor's choice (the language cookie set by Django's set_language view) or German.

    The browser's Accept-Language is not consulted there: editors share one German admin by default, and one
    click switches it. Public pages take their language from the path (PathLocaleMiddleware) and are left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/" + settings.ADMIN_PATH

    def __call__(self, request):
        if not request.path_info.startswith(self.prefix):
            return self.get_response(request)
        choice = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = choice if choice in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
