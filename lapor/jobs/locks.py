"""Database lock errors in the queue: telling them apart, waiting them out, deferring a task.

A lock error says nothing about the task: another process held the database (SQLite: one
writer at a time, "database is locked" once the busy timeout of the connection has run out) or
PostgreSQL chose this transaction as the loser (serialization failure, deadlock detected, lock
timeout). Its transaction was rolled back, so running the task again later is right, where
django-tasks-db would mark it FAILED at once: a routing job that failed that way left its report
unrouted until the SLA sweep's safety net re-enqueued it.

- ``is_lock_error`` recognises them (by SQLSTATE or SQLite error name, then by message).
- ``retry_on_lock`` runs a step of the worker's own bookkeeping (claim, result) again after a
  short wait when it hits a lock, so the worker neither crashes nor leaves a row RUNNING.
- ``defer_after_lock`` puts a task whose run hit a lock back to READY after a backoff, at most
  ``LOCK_RETRIES`` times (counted in ``LockDeferral``); after that it is FAILED as usual.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import time
from collections.abc import Callable
from datetime import timedelta
from traceback import format_exception
from typing import TypeVar

from django.db import OperationalError, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lapor.jobs.models import LockDeferral

logger = logging.getLogger("lapor.jobs")
T = TypeVar("T")

# PostgreSQL: serialization_failure, deadlock_detected, lock_not_available (lock_timeout,
# NOWAIT). The transaction was rolled back; running it again is the documented remedy.
LOCK_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
SQLITE_LOCK_NAMES = ("SQLITE_BUSY", "SQLITE_LOCKED")
LOCK_MESSAGES = ("database is locked", "is locked", "database is busy")

LOCK_RETRIES = 8  # times a task is deferred after a lock before it is FAILED
LOCK_BACKOFF_SECONDS = 2.0  # first deferral; doubled each time
LOCK_BACKOFF_CAP_SECONDS = 120.0
STEP_ATTEMPTS = 5  # tries of one bookkeeping step (each waits the busy timeout)
STEP_WAIT_SECONDS = 0.25
STEP_WAIT_CAP_SECONDS = 10.0


def _is_lock(exc: BaseException) -> bool:
    sqlstate = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    if sqlstate in LOCK_SQLSTATES:
        return True
    if str(getattr(exc, "sqlite_errorname", "")).startswith(SQLITE_LOCK_NAMES):
        return True
    if isinstance(exc, OperationalError | sqlite3.OperationalError) and exc.args:
        message = str(exc.args[0]).lower()
        return any(text in message for text in LOCK_MESSAGES)
    return False


def is_lock_error(exc: BaseException) -> bool:
    """Whether ``exc``, or an exception it was raised from, is a database lock error."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return False
        if _is_lock(seen):
            return True
        seen = seen.__cause__
    return False


def backoff(attempt: int, *, base: float, cap: float) -> float:
    """Seconds to wait before try ``attempt + 1``: ``base`` doubled per attempt, at most
    ``cap``, with ±25 % jitter so workers that collided do not collide again."""
    delay = min(cap, base * 2 ** max(attempt - 1, 0))
    return float(delay * random.uniform(0.75, 1.25))  # jitter, not a secret


def retry_on_lock(
    step: Callable[[], T],
    *,
    what: str,
    attempts: int = STEP_ATTEMPTS,
    wait: float = STEP_WAIT_SECONDS,
) -> T:
    """``step()``, tried again after a growing wait while it fails with a lock error; the
    last lock error is raised after ``attempts`` tries. Other errors are raised at once."""
    for attempt in range(1, attempts + 1):
        try:
            return step()
        except Exception as exc:
            if attempt == attempts or not is_lock_error(exc):
                raise
            delay = backoff(attempt, base=wait, cap=STEP_WAIT_CAP_SECONDS)
            logger.warning("%s hit a database lock (%s); again in %.1f s", what, exc, delay)
            time.sleep(delay)
    raise AssertionError("unreachable")


def defer_after_lock(
    row: DBTaskResult,
    exc: BaseException,
    *,
    retries: int = LOCK_RETRIES,
    base: float = LOCK_BACKOFF_SECONDS,
) -> bool:
    """Put ``row`` (RUNNING, its run just failed with the lock error ``exc``) back to READY,
    to run again after a backoff; False, changing nothing, once it has been deferred
    ``retries`` times (the caller then records the failure)."""

    def write() -> bool:
        deferral = LockDeferral.objects.filter(task_id=row.pk).first()
        count = deferral.count if deferral else 0
        if count >= retries:
            return False
        now = timezone.now()
        delay = backoff(count + 1, base=base, cap=LOCK_BACKOFF_CAP_SECONDS)
        run_after = now + timedelta(seconds=delay)
        error = "".join(format_exception(exc))
        LockDeferral.objects.update_or_create(
            task_id=row.pk, defaults={"count": count + 1, "last_error": error, "last_at": now}
        )
        DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None, run_after=run_after
        )
        logger.warning(
            "Task %s (%s) hit a database lock (%s); deferred %d/%d, runs again after %s",
            row.pk,
            row.task_path,
            str(exc).strip(),
            count + 1,
            retries,
            run_after.isoformat(),
        )
        return True

    def atomic_write() -> bool:
        with transaction.atomic():
            return write()

    return retry_on_lock(atomic_write, what=f"Deferring task {row.pk}")
