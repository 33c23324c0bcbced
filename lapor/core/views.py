"""The error pages: what went wrong, in the visitor's language, and what to do next.

Wired as ``handler400``/``403``/``404``/``500`` in ``lapor/urls.py``. Each page has the portal's
look (``portal/base.html``) except the 500 page: it is rendered from a plain context, with no
request, context processor or database, since the database may be what failed.

Under ``/api/`` each answers the API's error shape instead (``{"code", "message", "field"}``,
``lapor/api/errors.py``): an API client cannot read an HTML page."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_ratelimit.exceptions import Ratelimited

# Django refuses these bodies before any view sees them; the citizen hears about the size limit.
TOO_LARGE = (RequestDataTooBig, TooManyFilesSent)

MB = 1024 * 1024


def max_request_bytes() -> int:
    """The largest body accepted: every attachment at its limit, plus the form's own fields."""
    return int(
        settings.LAPOR_MAX_ATTACHMENTS * settings.LAPOR_MAX_UPLOAD_BYTES
        + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    )


API_PREFIX = "/api/"


def _api_error(request: HttpRequest, code: str, message: str, status: int) -> HttpResponse | None:
    """The API's error shape when ``request`` is an API call, else None (the HTML page)."""
    if not request.path.startswith(API_PREFIX):
        return None
    return JsonResponse({"code": code, "message": message, "field": None}, status=status)


def too_large(request: HttpRequest) -> HttpResponse:
    """413: the limits in MB and how to send the report within them."""
    api = _api_error(request, "too_large", _("Isi permintaan terlalu besar."), 413)
    if api is not None:
        return api
    context = {
        "total": -(-max_request_bytes() // MB),
        "count": settings.LAPOR_MAX_ATTACHMENTS,
        "size": settings.LAPOR_MAX_UPLOAD_BYTES // MB,
    }
    return render(request, "413.html", context, status=413)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, TOO_LARGE):
        return too_large(request)
    api = _api_error(request, "invalid", _("Permintaan tidak valid."), 400)
    return api or render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, Ratelimited):  # a throttle other than the portal's own (429.html)
        return render(request, "429.html", status=429)
    api = _api_error(request, "forbidden", _("Anda tidak berwenang melakukan ini."), 403)
    return api or render(request, "403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page kept open too long, or with cookies blocked (CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    api = _api_error(request, "not_found", _("Tidak ditemukan."), 404)
    return api or render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, static: no request context (no session, no user, no query) goes into it."""
    api = _api_error(
        request, "server_error", _("Terjadi kesalahan di server. Coba lagi nanti."), 500
    )
    if api is not None:
        return api
    page = loader.get_template("500.html").render({"LANGUAGE_CODE": get_language()})
    return HttpResponse(page, status=500)
