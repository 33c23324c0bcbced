"""Rate limits of the Open311 endpoints: per client IP for every request, and per ``api_key``
for writes (django-ratelimit, fixed windows, the cache shared by the app processes).

Like the portal's limits, a cache that cannot be reached lets the request through (logged)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

# An operator may override each with a setting LAPOR_RATE_OPEN311_<GROUP>.
RATES = {
    "read": "120/m",  # per IP
    "write": "300/h",  # per IP and per api_key: a partner relays many citizens
}

log = logging.getLogger(__name__)


def rate(group: str) -> str:
    return str(getattr(settings, f"LAPOR_RATE_OPEN311_{group.upper()}", RATES[group]))


def wait_seconds(request: HttpRequest, group: str, key_id: str = "") -> int | None:
    """Count one request of ``group``; the seconds to wait when the IP (or the key) went over
    its limit, else None."""
    scopes: list[tuple[str, object]] = [(f"open311.{group}", "ip")]
    if key_id:
        scopes.append((f"open311.{group}.key", lambda _group, _request: key_id))
    wait = 0
    try:
        for name, key in scopes:
            usage = get_usage(request, group=name, key=key, rate=rate(group), increment=True)
            if usage is not None and usage["should_limit"]:
                wait = max(wait, int(usage["time_left"]), 1)
    except Exception:
        log.warning("open311 rate limit %s not counted: the cache is unreachable", group)
        return None
    return wait or None
