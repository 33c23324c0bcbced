"""``ApiLanguageMiddleware``: the language of an API answer is the request's ``Accept-Language``
(Indonesian by default, English second), and only that.

Django's ``LocaleMiddleware`` gives every address outside ``i18n_patterns`` the default language
when the default is not prefixed (``prefix_default_language=False``), so it would answer the API
always in Indonesian. This middleware, placed right after it, re-activates the language for
``/api/`` from the header alone (not the portal's language cookie: a shared cache varies the
answer by ``Accept-Language`` only).

It also answers a body over ``core.views.max_request_bytes`` with the API's own 413, which names
the limits (``errors.too_large_body``), before ``RequestSizeLimitMiddleware`` would answer the
bare one."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from lapor.api.errors import too_large_body
from lapor.core.views import max_request_bytes

API_PREFIX = "/api/"


def language_of(request: HttpRequest) -> str:
    """The first supported language of ``Accept-Language``, else the default."""
    return _supported(request.META.get("HTTP_ACCEPT_LANGUAGE", "")) or str(settings.LANGUAGE_CODE)


@functools.lru_cache(maxsize=512)
def _supported(header: str) -> str | None:
    """The first supported language named by the header (a few headers are met again and
    again: each is parsed once per process)."""
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


@receiver(setting_changed)
def _languages_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in ("LANGUAGES", "LANGUAGE_CODE"):  # as Django clears its own (tests)
        _supported.cache_clear()


class ApiLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            language = language_of(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language
            if _length(request) > max_request_bytes():  # before anything reads it
                return too_large_body()  # the API's 413, naming the limits
        return self.get_response(request)


def _length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
