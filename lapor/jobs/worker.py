"""The lapor worker: django-tasks-db's ``Worker`` with its own claim, plus housekeeping.

``LaporWorker.run`` claims and runs tasks in rounds of at most ``ROUND`` tasks and does its
housekeeping between rounds, so housekeeping runs while the queue is busy as well as while it
is idle. The claim (``lapor.jobs.claim``: SKIP LOCKED on PostgreSQL, an exclusive transaction
on SQLite) walks the waiting jobs' index in the queue's order whatever the planner's statistics
say; running a task and recording its result are the library's. Housekeeping is (1) putting
back the tasks of dead workers (``lapor.jobs.recovery``) and (2) enqueueing periodic jobs
(``lapor.jobs.scheduler``).

Running one task is ``LockAwareWorker.run_task`` (the library's, plus ``lapor.jobs.locks``): a
task whose run hits a database lock is deferred and run again instead of FAILED, and recording
its result waits a lock out instead of crashing the worker. A claim that hits a lock ends the
round; the next round tries again after a short wait.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import close_old_connections
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from lapor.jobs.claim import claim_next
from lapor.jobs.locks import (
    LOCK_BACKOFF_SECONDS,
    LOCK_RETRIES,
    STEP_WAIT_CAP_SECONDS,
    STEP_WAIT_SECONDS,
    backoff,
    defer_after_lock,
    is_lock_error,
    retry_on_lock,
)
from lapor.jobs.metrics import JOB_SECONDS, JOBS
from lapor.jobs.recovery import MAX_ATTEMPTS, recover_stale_tasks
from lapor.jobs.scheduler import enqueue_due

logger = logging.getLogger("lapor.jobs")
ROUND = 25  # tasks between two housekeeping turns


class LockAwareWorker(Worker):
    """django-tasks-db's ``Worker`` whose ``run_task`` defers a task that hit a database lock
    (at most ``lock_retries`` times, first after ``lock_backoff`` seconds) and retries the
    recording of a result that hits one."""

    def __init__(
        self,
        *,
        lock_retries: int = LOCK_RETRIES,
        lock_backoff: float = LOCK_BACKOFF_SECONDS,
        step_wait: float = STEP_WAIT_SECONDS,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.lock_retries = lock_retries
        self.lock_backoff = lock_backoff
        self.step_wait = step_wait

    def run_task(self, db_task_result: DBTaskResult) -> None:
        row = db_task_result
        started = time.perf_counter()
        outcome = "failed"
        try:
            self.running_task = True
            try:
                task = row.task
                backend_type = type(task.get_backend())
                task_result = row.task_result
                task_started.send(sender=backend_type, task_result=task_result)
                if task.takes_context:
                    value = task.call(
                        TaskContext(task_result=task_result),
                        *task_result.args,
                        **task_result.kwargs,
                    )
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
                self._record(row, partial(row.set_successful, value))
                outcome = "succeeded"
            except BaseException as exc:
                if is_lock_error(exc) and defer_after_lock(
                    row, exc, retries=self.lock_retries, base=self.lock_backoff
                ):
                    outcome = "deferred"
                    return
                self._record(row, partial(row.set_failed, exc))
            self._finished(row)
        except Exception:
            # The result could not be written even after waiting: the row stays RUNNING and
            # recovery takes it back when its lease ends. The worker carries on.
            outcome = "unrecorded"
            logger.exception("Task %s: result not recorded; left to lease recovery", row.pk)
        finally:
            self.running_task = False
            self._run_tasks += 1
            JOBS.labels(row.task_path, outcome).inc()
            JOB_SECONDS.labels(row.task_path).observe(time.perf_counter() - started)

    def _record(self, row: DBTaskResult, write: Callable[[], None]) -> None:
        retry_on_lock(write, what=f"Recording the result of task {row.pk}", wait=self.step_wait)

    def _finished(self, row: DBTaskResult) -> None:
        try:
            sender = type(row.task.get_backend())
            task_result = row.task_result
        except Exception:
            logger.exception("Task id=%s failed unexpectedly", row.pk)
        else:
            task_finished.send(sender=sender, task_result=task_result)


class LaporWorker(LockAwareWorker):
    def __init__(
        self,
        *,
        lease_seconds: int,
        sweep_interval: int | None = None,
        schedule: bool = True,
        max_attempts: int = MAX_ATTEMPTS,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.lease_seconds = lease_seconds
        self.sweep_interval = sweep_interval
        self.schedule = schedule
        self.max_attempts = max_attempts
        self.total_max_tasks = self.max_tasks
        self.batch_mode = self.batch
        self.lock_waits = 0

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

    def run_round(self, limit: int) -> bool:
        """Claim and run tasks until ``limit`` tasks in all have run (False) or none is
        waiting (True). The claim is ``jobs.claim``: always through the waiting jobs' index."""
        while self.running and self._run_tasks < limit:
            close_old_connections()
            row = claim_next(
                worker_id=self.worker_id,
                backend_name=self.backend_name,
                queue_names=self.queue_names,
                excluded_queue_names=self.excluded_queue_names,
            )
            if row is None:
                return True
            self.run_task(row)
        return False

    def run(self) -> None:
        # The line the library's own loop logs first: operators and tests wait for it.
        logging.getLogger("django_tasks_db").info(
            "Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names)
        )
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
            if self.startup_delay and first and self.interval:
                time.sleep(random.random())  # workers started together spread out
            first = False
            try:
                emptied = self.run_round(round_limit)
            except Exception as exc:
                # The library's claim opens its transaction outside its own lock handling.
                if not is_lock_error(exc):
                    raise
                self.lock_waits += 1
                delay = backoff(self.lock_waits, base=self.step_wait, cap=STEP_WAIT_CAP_SECONDS)
                logger.warning(
                    "Worker %s: claim hit a database lock; again in %.1f s", self.worker_id, delay
                )
                time.sleep(delay)
                continue
            self.lock_waits = 0
            if self.total_max_tasks is not None and self._run_tasks >= self.total_max_tasks:
                return
            if emptied and self.batch_mode:
                return
            if emptied and self.running:
                time.sleep(self.interval)
