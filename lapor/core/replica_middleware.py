"""Marks which requests may read from the database replica (``lapor.core.dbrouter``, ADR 0016).

A request is eligible when all hold:

- its method is safe (GET, HEAD, OPTIONS);
- it is not the back office, the admin or the whistleblowing pages (``/kantor/``, ``/admin/``,
  ``/wbs/``): officers act on what they read, and a whistleblower's browser gets no cookie;
- nobody is signed in and it carries no ``Authorization`` header or Open311 ``api_key``
  (API clients with a key read their own, just written data);
- it carries no valid sticky cookie: a client that sent an unsafe request, or whose request
  wrote anything, is answered with a signed cookie that keeps it on the primary for
  ``REPLICA_STICKY_SECONDS`` (read-your-writes).

The decision is made in ``process_view`` (after the URL is resolved) and kept in a context
variable for the request's duration. Without a replica configured the middleware does nothing
(no cookie is ever set).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from lapor.core import dbrouter

STICKY_COOKIE = "lapor_primary"
STICKY_SALT = "lapor.core.replica_middleware.sticky"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PRIMARY_APPS = frozenset({"backoffice", "admin", "wbs"})


def sticky_seconds() -> int:
    return int(getattr(settings, "LAPOR_REPLICA_STICKY_SECONDS", 10))


def within_sticky_window(request: HttpRequest) -> bool:
    if STICKY_COOKIE not in request.COOKIES:
        return False
    value = request.get_signed_cookie(
        STICKY_COOKIE, default=None, salt=STICKY_SALT, max_age=sticky_seconds()
    )
    return value is not None


def replica_eligible(request: HttpRequest) -> bool:
    if request.method not in SAFE_METHODS:
        return False
    match = getattr(request, "resolver_match", None)
    if match is not None and PRIMARY_APPS & set(match.app_names):
        return False
    if "HTTP_AUTHORIZATION" in request.META or "api_key" in request.GET:
        return False
    if within_sticky_window(request):
        return False
    # Read while the route is still the primary: the session and the user come from it.
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _is_whistleblowing(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and "wbs" in match.app_names


class ReplicaRoutingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        route = dbrouter.Route()
        token = dbrouter.current.set(route)
        try:
            response = self.get_response(request)
        finally:
            dbrouter.current.reset(token)
        if (
            dbrouter.replica_configured()
            and (route.wrote or request.method not in SAFE_METHODS)
            and not _is_whistleblowing(request)
        ):
            response.set_signed_cookie(
                STICKY_COOKIE,
                "1",
                salt=STICKY_SALT,
                max_age=sticky_seconds(),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        route = dbrouter.current.get()
        if route is not None and dbrouter.replica_configured():
            route.replica_ok = replica_eligible(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        """A database error while this request read from the replica: keep the next requests
        off it until it is checked again (this one is answered with the error page)."""
        route = dbrouter.current.get()
        if route is not None and route.replica_ok and isinstance(exception, DatabaseError):
            dbrouter.mark_down()
