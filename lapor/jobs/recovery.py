"""Recovery of tasks whose worker died.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again: a
worker killed mid-task (OOM, ``kill -9``, a lost machine) leaves the row RUNNING forever. A
task is therefore leased: when it has been RUNNING longer than the lease
(``LAPOR_JOB_LEASE_SECONDS``) its worker is presumed dead and the task goes back to READY.

Every claim appends the worker's id to ``DBTaskResult.worker_ids``, so the length of that list,
less the claims that ended in a lock deferral (``jobs.locks``, counted in ``LockDeferral``), is
the number of attempts. A task that has used up ``max_attempts`` is marked FAILED with the
reason instead of being tried again (a task that kills its worker every time must not take the
whole pool down in a loop).

Tasks must therefore be idempotent and finish well within the lease: a task still running
after the lease is run a second time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from lapor.jobs.models import LockDeferral

logger = logging.getLogger("lapor.jobs")

MAX_ATTEMPTS = 3
LEASE_EXPIRED = "lapor.jobs.recovery.LeaseExpired"


class LeaseExpired(Exception):
    """Recorded as the failure of a task whose workers died ``MAX_ATTEMPTS`` times."""


@dataclass
class Recovery:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _lock_deferrals(rows: list[DBTaskResult]) -> dict[object, int]:
    """How many claims of each of ``rows`` ended in a lock deferral rather than a death."""
    if not rows:
        return {}
    found = LockDeferral.objects.filter(task_id__in=[row.pk for row in rows])
    return dict(found.values_list("task_id", "count"))


def recover_stale_tasks(
    *,
    lease_seconds: int,
    max_attempts: int = MAX_ATTEMPTS,
    now: datetime | None = None,
    limit: int = 500,
) -> Recovery:
    """Put tasks RUNNING for longer than ``lease_seconds`` back to READY (or FAILED after
    ``max_attempts`` claims). Safe to run from every worker at once: the rows are locked with
    SKIP LOCKED and each one is changed only if it is still the same stale RUNNING row."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=lease_seconds)
    result = Recovery()
    with exclusive_transaction():
        stale = list(
            DBTaskResult.objects.running()
            .filter(started_at__lt=cutoff)
            .select_for_update(skip_locked=True)
            .order_by("started_at")
            .only("id", "started_at", "worker_ids", "task_path")[:limit]
        )
        deferred = _lock_deferrals(stale)
        for row in stale:
            same_row = DBTaskResult.objects.running().filter(pk=row.pk, started_at=row.started_at)
            attempts = len(row.worker_ids) - deferred.get(row.pk, 0)
            if attempts >= max_attempts:
                reason = (
                    f"Worker berhenti tanpa menyelesaikan tugas {attempts} kali "
                    f"(terakhir: {', '.join(row.worker_ids[-max_attempts:])}); "
                    f"lease {lease_seconds} detik habis. Tugas tidak dicoba lagi."
                )
                changed = same_row.update(
                    status=TaskResultStatus.FAILED,
                    finished_at=now,
                    exception_class_path=LEASE_EXPIRED,
                    traceback=f"{LEASE_EXPIRED}: {reason}\n",
                    return_value=None,
                )
                if changed:
                    result.failed.append(str(row.pk))
                    logger.error("Task %s (%s) failed: %s", row.pk, row.task_path, reason)
            else:
                changed = same_row.update(status=TaskResultStatus.READY, started_at=None)
                if changed:
                    result.requeued.append(str(row.pk))
                    logger.warning(
                        "Task %s (%s) requeued: RUNNING since %s on worker %s, lease expired",
                        row.pk,
                        row.task_path,
                        row.started_at,
                        row.worker_ids[-1:],
                    )
    return result
