"""Rate limits of the API: per client and per IP, rates from ``REST_FRAMEWORK
["DEFAULT_THROTTLE_RATES"]`` (``client``, ``ip``; from ``API_RATE_CLIENT`` / ``API_RATE_IP``).
Exceeding one answers 429 in the error shape with ``Retry-After`` (``errors.exception_handler``).
The IP is the one behind the reverse proxy (``lapor.portal.limits.client_ip``); the client is the
token's family for people and the partner for partner tokens, so a partner's limit holds however
many tokens it asks for.

Counting is a fixed window per key: one atomic ``INCR`` in the shared cache per request (Redis
in production; ``core.cache.counter_incr``, one round trip), so every app server counts together
and a request costs the same whatever the rate. (Django REST framework's own throttles keep a
list of every request's time in the window, read and written whole on each request: its cost
grows with the rate, and two servers writing it at once lose counts.) When the cache cannot be
reached the request is let through and logged, as the portal's limits do: an outage of Redis
must not stop the platform."""

from __future__ import annotations

import logging
import time
from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from lapor.api.tokens import ApiToken
from lapor.core.cache import counter_incr
from lapor.portal.limits import client_ip

log = logging.getLogger(__name__)


class WindowRateThrottle(BaseThrottle):
    """At most N requests per key in each fixed window of the scope's rate."""

    scope = ""
    THROTTLE_RATES: dict[str, str] | None = None  # None: the settings' rates (tests override)

    def __init__(self) -> None:
        self.wait_seconds: float | None = None

    def rate(self) -> tuple[int, int]:
        rates = self.THROTTLE_RATES or api_settings.DEFAULT_THROTTLE_RATES
        allowed, period = SimpleRateThrottle.parse_rate(self, rates[self.scope])
        assert allowed is not None and period is not None
        return allowed, period

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: Request, view: Any) -> bool:
        ident = self.get_cache_key(request, view)
        if ident is None:
            return True
        allowed, period = self.rate()
        now = time.time()
        key = f"api:throttle:{self.scope}:{ident}:{int(now // period)}"
        try:
            count = _count(key, period)
        except Exception:
            log.warning("API rate limit %s not counted: the cache is unreachable", self.scope)
            return True
        if count > allowed:
            self.wait_seconds = period - (now % period)
            return False
        return True

    def wait(self) -> float | None:
        return self.wait_seconds


def _count(key: str, period: int) -> int:
    """Count one request in ``key``'s window: one round trip to Redis."""
    return counter_incr(key, period + 1)


class IpRateThrottle(WindowRateThrottle):
    """Every request, by the client's address."""

    scope = "ip"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return client_ip(request)


class ClientRateThrottle(WindowRateThrottle):
    """Requests with a token, by client (partner, or the token's login family)."""

    scope = "client"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        token = request.auth
        if not isinstance(token, ApiToken):
            return None
        return f"p{token.partner_id}" if token.partner_id else f"f{token.family}"
