"""One ID per request, in every log line the request causes and in the ``X-Request-ID`` answer.

The reverse proxy may pass its own ID (``X-Request-ID``, letters, digits, ``.``, ``_``, ``-``,
8 to 64 characters) so its access log and ours can be joined; anything else is replaced by a
random one. Under ``/wbs/`` the proxy's ID is never taken: a whistleblower's request must not be
joinable to a log that may hold their address (docs/wbs.md). The ID says nothing about the
visitor: it is random, or the proxy's own random one.
"""

from __future__ import annotations

import contextvars
import logging
import random
import re
from collections.abc import Callable

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_VALID = re.compile(r"[A-Za-z0-9._-]{8,64}")
NO_REQUEST = "-"

current: contextvars.ContextVar[str] = contextvars.ContextVar("lapor_request_id", default="")


def request_id_from(request: HttpRequest) -> str:
    offered = request.META.get("HTTP_X_REQUEST_ID", "")
    if offered and _VALID.fullmatch(offered) and not request.path.startswith("/wbs/"):
        return offered
    # Unique, not secret: the process's own generator (reseeded in every forked worker) costs a
    # tenth of a system call's random bytes.
    return f"{random.getrandbits(128):032x}"


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Kept until the response is closed (``forget``): Django logs a 4xx/5xx after the
        # middleware returned, and that line needs the ID too.
        request_id = request_id_from(request)
        current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def forget(**kwargs: object) -> None:
    """``request_finished``: the thread serves no request now."""
    current.set("")


request_finished.connect(forget, dispatch_uid="lapor-request-id")


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (``-`` outside a request: workers, commands)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current.get() or NO_REQUEST
        return True
