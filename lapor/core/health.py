"""Liveness and readiness for load balancers and monitoring (docs/operations.md).

* ``/healthz``: the process answers (no database, no cache): restart it when this fails.
* ``/readyz``: what the process depends on, as JSON: the database (``SELECT 1``), the shared
  cache (a write and a read of one key), and the job queue's lag (how many jobs wait and how
  long the next one to run has waited). Status 503 only when the database does not answer: the
  one thing no request can do without. A cache that is down or a queue that lags makes the
  answer ``degraded`` with status 200, since the pages still work (docs/operations.md,
  "Redis") and taking every app server out of the balancer would not make the workers faster:
  alert on it instead.

Neither says anything about a report or a person; both are cheap enough to be called every
few seconds.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

# The queue counts as lagging when the next job to run has waited longer than this.
QUEUE_LAG_SECONDS = 60
# Waiting jobs are counted up to this many (a count, not a scan of a huge backlog).
COUNT_CAP = 10_000


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "cache": _cache(), "queue": _queue()}
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


def _queue() -> dict[str, Any]:
    from django_tasks_db.models import get_date_max

    from lapor.jobs.claim import plan_index_only, waiting

    def check() -> dict[str, Any]:
        jobs = waiting(backend_name="default", queue_names=["*"], excluded_queue_names=[])
        with transaction.atomic():
            plan_index_only(jobs.db)  # the head of the queue through its index, as the claim
            count = jobs.values("pk")[: COUNT_CAP + 1].count()
            head = jobs.values_list("enqueued_at", "run_after").first()
        age = 0.0
        if head is not None:
            enqueued, run_after = head
            since = enqueued if run_after == get_date_max() else max(enqueued, run_after)
            age = max(0.0, (timezone.now() - since).total_seconds())
        return {
            "ok": age <= QUEUE_LAG_SECONDS,
            "waiting": min(count, COUNT_CAP),
            "waiting_capped": count > COUNT_CAP,
            "next_age_s": round(age),
        }

    return _timed(check)
