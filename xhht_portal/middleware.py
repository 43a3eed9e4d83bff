"""Vietnamese unless the person chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language, so an officer whose browser is
set to English would get English pages without asking. Here only the language switch (its
cookie) changes the language.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.utils import translation


class PortalLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class NullCharacterPathMiddleware:
    """A path with a NUL (``/reports/period/%00/``) names no page: 404 before any view looks it up.

    PostgreSQL refuses NUL in text, so a period or unit code carrying one was a 500 in every view
    that reads a code from the URL; SQLite only answered 404.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404
        return self.get_response(request)
