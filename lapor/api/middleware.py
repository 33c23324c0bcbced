"""``ApiLanguageMiddleware``: the language of an API answer is the request's ``Accept-Language``
(Indonesian by default, English second), and only that.

Django's ``LocaleMiddleware`` gives every address outside ``i18n_patterns`` the default language
when the default is not prefixed (``prefix_default_language=False``), so it would answer the API
always in Indonesian. This middleware, placed right after it, re-activates the language for
``/api/`` from the header alone (not the portal's language cookie: a shared cache varies the
answer by ``Accept-Language`` only)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

API_PREFIX = "/api/"


def language_of(request: HttpRequest) -> str:
    """The first supported language of ``Accept-Language``, else the default."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return str(settings.LANGUAGE_CODE)


class ApiLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            language = language_of(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
