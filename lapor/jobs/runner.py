"""Running queued tasks in-process: for tests, the demo loader and one-off commands."""

from __future__ import annotations

from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from lapor.jobs.locks import retry_on_lock
from lapor.jobs.worker import LockAwareWorker


def _claim(worker_id: str) -> DBTaskResult | None:
    with exclusive_transaction():
        row = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
        if row is not None:
            row.claim(worker_id)
        return row


def run_pending(max_tasks: int | None = None, *, worker_id: str = "in-process") -> int:
    """Run ready tasks of every queue in this process until none is left (or ``max_tasks``
    have run); the number run. Tasks enqueued by the tasks themselves run too.

    Claims and runs each task exactly as ``lapor worker`` does (``get_locked``, ``claim``,
    ``LockAwareWorker.run_task``: a task that hits a database lock is deferred, so it is not
    run again here) but without the worker's connection recycling, so it also works inside a
    caller's transaction (a test, a management command)."""
    worker = LockAwareWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    while max_tasks is None or worker._run_tasks < max_tasks:
        row = retry_on_lock(lambda: _claim(worker_id), what="Claiming a task")
        if row is None:
            break
        worker.run_task(row)
    return worker._run_tasks
