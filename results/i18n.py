"""The admin's language: German unless the editor chose English with the switch in its header."""

from django.conf import settings
from django.utils import translation


class AdminLanguageMiddleware:
    """Under the admin, the editor's choice (the language cookie set by Django's set_language view) or German.

    The browser's Accept-Language is not consulted there: editors share one German admin by default, and one
    click switches it. Public pages take their language from the path (LocaleMiddleware) and are left alone.
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
