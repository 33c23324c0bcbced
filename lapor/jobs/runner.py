"""Running queued tasks in-process: for tests, the demo loader and one-off commands."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Worker


def run_pending(max_tasks: int | None = None, *, worker_id: str = "in-process") -> int:
    """Run ready tasks of every queue in this process until none is left (or ``max_tasks``
    have run); the number run. Tasks enqueued by the tasks themselves run too."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    worker.run()
    return worker._run_tasks
