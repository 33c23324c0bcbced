"""The site's URLs plus pages that fail on purpose, for the error-page tests; the handlers are
the site's own (``lapor.urls``)."""

from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django_ratelimit.exceptions import Ratelimited

from lapor.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def throttled(request: HttpRequest) -> HttpResponse:
    raise Ratelimited


urlpatterns = [
    *i18n_patterns(
        path("uji/rusak/", broken),
        path("uji/terlarang/", forbidden),
        path("uji/dibatasi/", throttled),
        prefix_default_language=False,
    ),
    *urlpatterns,
]
