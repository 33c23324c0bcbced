"""Middleware of the whole site: the body-size limit and the pages no cache may keep.

``RequestSizeLimitMiddleware`` answers a body larger than every attachment at its limit plus the
form (``views.max_request_bytes``) with the 413 page before anything reads it, in the citizen's
language (it runs after ``LocaleMiddleware``). A body within that size but with too much form
data is refused by Django itself and reaches the same page through ``handler400``.

``NoStoreMiddleware`` marks every back-office response (``/kantor/``, its login page included)
``Cache-Control: no-store``: officers' pages show reporters' identities and contacts and must not
stay in a shared computer's cache or a proxy. Portal pages holding a secret or a reporter's own
data (the confirmation page, "laporan saya", the track page seen by its reporter) are marked in
their views with ``never_cache``; the public track page keeps its own revalidation
(``portal/track_cache.py``)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from lapor.core import views


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > views.max_request_bytes():
            return views.too_large(request)
        return self.get_response(request)


def is_back_office(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and "backoffice" in match.app_names


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_back_office(request):
            add_never_cache_headers(response)
        return response
