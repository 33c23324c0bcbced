"""Background jobs of the job system itself."""

from __future__ import annotations

from django_tasks import task


@task()
def prune_task_results() -> int:
    """The daily prune of finished job rows (``jobs.retention``); the number deleted."""
    from lapor.jobs.retention import prune_results

    return prune_results()
