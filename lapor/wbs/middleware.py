"""Whistleblowers' requests lose their address, browser and referrer at the door.

For every WBS address (``/wbs/``, ``/en/wbs/``) ``WbsPrivacyMiddleware``, placed right after
Django's security middleware:

- computes the rate-limit token (``limits.source_token``: a keyed hash of the address and the
  hour, never the address) and then removes from ``request.META`` the client's address (also the
  proxy's header), ``User-Agent``, ``Referer`` and the forwarding headers, so no code after it, no
  error report and no log line can write them;
- marks the request as WBS for the logging filter (``logs.ForgetWbsRequests``);
- answers with ``Referrer-Policy: no-referrer``, ``Cache-Control: no-store`` and
  ``X-Robots-Tag: noindex``.

``no-referrer`` makes browsers send ``Origin: null`` with the WBS forms; Django's CSRF check would
refuse that, so on WBS addresses a ``null`` origin is read as the site's own (the CSRF token,
which another site cannot read, is still checked). See docs/adr/0014."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from lapor.wbs import limits, logs

WBS_PATH = re.compile(r"^/(?:[a-z]{2}/)?wbs/")
FORGET = (
    "REMOTE_ADDR",
    "REMOTE_HOST",
    "HTTP_USER_AGENT",
    "HTTP_REFERER",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_TRUE_CLIENT_IP",
)


def is_wbs(request: HttpRequest) -> bool:
    return bool(WBS_PATH.match(request.path_info or request.path))


def forget_client(request: HttpRequest) -> None:
    meta = request.META
    for key in (*FORGET, getattr(settings, "LAPOR_CLIENT_IP_META", "REMOTE_ADDR")):
        meta.pop(key, None)
    meta["REMOTE_ADDR"] = "0.0.0.0"  # noqa: S104 - an address that is nobody's


class WbsPrivacyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_wbs(request):
            return self.get_response(request)
        request.wbs_source = limits.source_token(request)  # type: ignore[attr-defined]
        forget_client(request)
        if request.META.get("HTTP_ORIGIN") == "null":
            request.META["HTTP_ORIGIN"] = f"{request.scheme}://{request.get_host()}"
        token = logs.in_wbs.set(True)
        try:
            response = self.get_response(request)
        finally:
            logs.in_wbs.reset(token)
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
        add_never_cache_headers(response)
        return response
