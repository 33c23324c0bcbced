"""Rate limits of the API: per client and per IP, rates from ``REST_FRAMEWORK
["DEFAULT_THROTTLE_RATES"]`` (``client``, ``ip``; a view may add its own scope with
``ScopedRateThrottle``). Exceeding one answers 429 in the error shape with ``Retry-After``
(``errors.exception_handler``). The IP is the one behind the reverse proxy
(``lapor.portal.limits.client_ip``); the client is the token's family for people and the
partner for partner tokens, so a partner's limit holds however many tokens it asks for."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from lapor.api.tokens import ApiToken
from lapor.portal.limits import client_ip


class IpRateThrottle(SimpleRateThrottle):
    """Every request, by the client's address."""

    scope = "ip"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}

    def get_ident(self, request: Request) -> str:
        return client_ip(request)


class ClientRateThrottle(SimpleRateThrottle):
    """Requests with a token, by client (partner, or the token's login family)."""

    scope = "client"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        token = request.auth
        if not isinstance(token, ApiToken):
            return None
        ident = f"p{token.partner_id}" if token.partner_id else f"f{token.family}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
