"""The lapor worker: django-tasks-db's ``Worker`` loop plus housekeeping.

The task loop itself (claim with SKIP LOCKED / an exclusive SQLite transaction, run, record the
result) is django-tasks-db's, unchanged: ``LaporWorker.run`` calls it in rounds of at most
``ROUND`` tasks and does its housekeeping between rounds, so housekeeping runs while the queue
is busy as well as while it is idle. Housekeeping is (1) putting back the tasks of dead workers
(``lapor.jobs.recovery``) and (2) enqueueing periodic jobs (``lapor.jobs.scheduler``).
"""

from __future__ import annotations

import logging
import time

from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Worker

from lapor.jobs.recovery import MAX_ATTEMPTS, recover_stale_tasks
from lapor.jobs.scheduler import enqueue_due

logger = logging.getLogger("lapor.jobs")
ROUND = 25  # tasks between two housekeeping turns


class LaporWorker(Worker):
    def __init__(
        self,
        *,
        lease_seconds: int,
        sweep_interval: int | None = None,
        schedule: bool = True,
        max_attempts: int = MAX_ATTEMPTS,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.lease_seconds = lease_seconds
        self.sweep_interval = sweep_interval
        self.schedule = schedule
        self.max_attempts = max_attempts
        self.total_max_tasks = self.max_tasks
        self.batch_mode = self.batch

    @property
    def tasks_run(self) -> int:
        return self._run_tasks

    def housekeeping(self) -> None:
        # Marked as "running a task" so a SIGTERM waits for the transaction to end instead
        # of exiting inside it.
        self.running_task = True
        try:
            recover_stale_tasks(lease_seconds=self.lease_seconds, max_attempts=self.max_attempts)
            if self.schedule:
                enqueue_due(worker_id=self.worker_id, interval_override=self.sweep_interval)
        except Exception:
            logger.exception("Worker %s: housekeeping failed; retrying next turn", self.worker_id)
        finally:
            self.running_task = False

    def run(self) -> None:
        first = True
        while self.running:
            close_old_connections()
            self.housekeeping()
            if not self.running:
                return
            before = self._run_tasks
            round_limit = before + ROUND
            if self.total_max_tasks is not None:
                round_limit = min(round_limit, self.total_max_tasks)
            # One round of django-tasks-db's own loop: it returns when the queue is empty
            # (batch) or after ``round_limit`` tasks in all.
            self.batch = True
            self.max_tasks = round_limit
            self.startup_delay = self.startup_delay and first
            first = False
            super().run()
            if self.total_max_tasks is not None and self._run_tasks >= self.total_max_tasks:
                return
            emptied = self._run_tasks < round_limit
            if emptied and self.batch_mode:
                return
            if emptied and self.running:
                time.sleep(self.interval)
