"""Liveness and readiness for load balancers and monitoring (docs/operations.md).

* ``/healthz``: the process answers (no database, no cache): restart it when this fails.
* ``/readyz``: what the process depends on, as JSON: the database (``SELECT 1``), the shared
  cache (a write and a read of one key), and the job queue's lag (how many jobs wait and how
  long the next one to run has waited). Status 503 only when the database does not answer: the
  one thing no request can do without. A cache that is down or a queue that lags makes the
  answer ``degraded`` with status 200, since the pages still work (docs/operations.md,
  "Redis") and taking every app server out of the balancer would not make the workers faster:
  alert on it instead. With a read replica configured (``DATABASE_REPLICA_URL``, ADR 0016) it
  reports the replica too: whether it answers as a streaming standby, its replay lag, and
  whether public reads go to it now; a replica that is down or lags beyond
  ``REPLICA_MAX_LAG_SECONDS`` makes the answer ``degraded`` (reads fall back to the primary).

Neither says anything about a report or a person; both are cheap enough to be called every
few seconds.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lapor.core import dbrouter

# The queue counts as lagging when the next job to run has waited longer than this.
QUEUE_LAG_SECONDS = 60


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "cache": _cache(), "queue": _queue()}
    if dbrouter.replica_configured():
        checks["replica"] = _replica()
    if not checks["database"]["ok"]:
        status, code = "fail", 503
    elif all(check["ok"] for check in checks.values()):
        status, code = "ok", 200
    else:
        status, code = "degraded", 200
    return JsonResponse({"status": status, "checks": checks}, status=code)


def _timed(check: Any) -> dict[str, Any]:
    started = time.monotonic()
    try:
        result = {"ok": True, **(check() or {})}
    except Exception as exc:
        result = {"ok": False, "error": type(exc).__name__}
    result["ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


def _database() -> dict[str, Any]:
    def check() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    return _timed(check)


def _cache() -> dict[str, Any]:
    def check() -> dict[str, Any]:
        key = f"ready:{uuid.uuid4().hex}"
        cache.set(key, "1", 10)
        if cache.get(key) != "1":
            raise LookupError("the value written was not read back")
        cache.delete(key)
        return {"backend": str(settings.CACHES["default"]["BACKEND"]).rsplit(".", 1)[-1]}

    return _timed(check)


def _replica() -> dict[str, Any]:
    """Asked afresh (one query), not from the router's per-process cache: monitoring wants now."""

    def check() -> dict[str, Any]:
        usable, lag = dbrouter.measure()
        if lag is None:
            raise ConnectionError("the replica does not answer as a streaming standby")
        return {
            "ok": usable,
            "lag_s": round(lag, 1),
            "max_lag_s": dbrouter.max_lag_seconds(),
        }

    return _timed(check)


def _queue() -> dict[str, Any]:
    from lapor.jobs.metrics import queue_state

    def check() -> dict[str, Any]:
        state = queue_state()
        return {
            "ok": state["age"] <= QUEUE_LAG_SECONDS,
            "waiting": state["waiting"],
            "waiting_capped": state["waiting_capped"],
            "next_age_s": round(state["age"]),
        }

    return _timed(check)
