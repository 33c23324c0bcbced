"""Rate limits on public writes, per IP address and per account.

Counters live in Django's cache (django-ratelimit). In production the cache must be shared by
every app process (Redis or memcached), or each process counts on its own."""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

# Per IP and per account; an operator may override each with a setting LAPOR_RATE_<GROUP>.
RATES = {
    "submit": "10/h",
    "follow": "30/h",
    "track": "60/m",
    "support": "30/h",
    "account": "20/h",
}


def rate(group: str) -> str:
    return str(getattr(settings, f"LAPOR_RATE_{group.upper()}", RATES[group]))


log = logging.getLogger(__name__)


def over_limit(request: HttpRequest, group: str) -> bool:
    """Count one attempt of ``group``; True when the IP or the account went over its limit.

    When the cache cannot be reached the attempt is let through (and logged): a citizen's
    complaint matters more than a counter, and an outage of Redis must not lose reports."""
    try:
        return _counted(request, group)
    except Exception:
        log.warning("rate limit %s not counted: the cache is unreachable", group, exc_info=True)
        return False


def _counted(request: HttpRequest, group: str) -> bool:
    limited = is_ratelimited(
        request, group=f"portal.{group}", key="ip", rate=rate(group), increment=True
    )
    if request.user.is_authenticated:
        limited = (
            is_ratelimited(
                request, group=f"portal.{group}.user", key="user", rate=rate(group), increment=True
            )
            or limited
        )
    return bool(limited)


def client_ip(request: HttpRequest) -> str:
    """The client's address as the rate limits count it (``RATELIMIT_IP_META_KEY``).

    Behind the reverse proxy it is the header the proxy writes (``CLIENT_IP_HEADER``, e.g.
    ``X-Real-IP``); if that header holds a list, the last entry is the one our proxy added.
    A request without a usable value (a health check straight to the app server, a proxy
    misconfigured) falls back to ``REMOTE_ADDR``, so it is still counted, never refused."""
    meta_key = getattr(settings, "LAPOR_CLIENT_IP_META", "REMOTE_ADDR")
    raw = str(request.META.get(meta_key, "")).rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        if meta_key != "REMOTE_ADDR":
            log.warning("client address header %s holds no address: %r", meta_key, raw[:60])
        return str(request.META.get("REMOTE_ADDR") or "0.0.0.0")  # noqa: S104 - a key, not a bind


def too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/429.html", status=429)
