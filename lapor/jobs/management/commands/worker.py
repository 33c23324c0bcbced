"""``lapor worker``: run background tasks, recover those of dead workers, schedule sweeps."""

from __future__ import annotations

import logging
import signal
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import (
    valid_interval,
    valid_max_tasks,
    validate_worker_id,
)

from lapor.jobs.metrics import serve as serve_metrics
from lapor.jobs.recovery import MAX_ATTEMPTS
from lapor.jobs.worker import LaporWorker


def _positive(val: str) -> int:
    num = int(val)
    if num <= 0:
        raise ValueError("must be positive")
    return num


class Command(BaseCommand):
    help = (
        "Run a background worker: executes queued tasks, puts back tasks of dead workers "
        "after the lease, and enqueues the periodic jobs (SLA sweep, duplicate band prune once "
        "per interval, finished-job prune once a day) once across all workers."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--queue-name",
            default="*",
            help="Queues to process, comma separated; '*' for all (default).",
        )
        parser.add_argument(
            "--interval",
            type=valid_interval,
            default=1.0,
            help="Seconds to wait when the queue is empty (default 1).",
        )
        parser.add_argument("--batch", action="store_true", help="Exit when the queue is empty.")
        parser.add_argument(
            "--max-tasks",
            type=valid_max_tasks,
            default=None,
            help="Exit after running this many tasks.",
        )
        parser.add_argument(
            "--worker-id",
            type=validate_worker_id,
            default=None,
            help="Unique id of this worker (default: random).",
        )
        parser.add_argument(
            "--lease-seconds",
            type=_positive,
            default=None,
            help="A task RUNNING longer than this is presumed dead and "
            "requeued (default: LAPOR_JOB_LEASE_SECONDS).",
        )
        parser.add_argument(
            "--sweep-interval",
            type=_positive,
            default=None,
            help="Seconds between periodic jobs: SLA sweep, band prune "
            "(default: LAPOR_SWEEP_INTERVAL_SECONDS).",
        )
        parser.add_argument(
            "--no-schedule",
            action="store_false",
            dest="schedule",
            help="Do not enqueue periodic jobs from this worker.",
        )
        parser.add_argument(
            "--no-startup-delay",
            action="store_false",
            dest="startup_delay",
            help="Start at once, without a small random delay.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        logger = logging.getLogger("django_tasks_db")
        verbosity = options["verbosity"]
        level = logging.WARNING if verbosity == 0 else logging.INFO
        for name in ("django_tasks", "lapor.jobs"):
            logging.getLogger(name).setLevel(level)
        # The worker's "Starting worker" line and the library's own messages are shown with
        # -v 2 only.
        logger.setLevel(logging.INFO if verbosity >= 2 else logging.WARNING)
        if not logger.hasHandlers():
            logger.addHandler(logging.StreamHandler(self.stdout))
        queue_names = [q for q in options["queue_name"].split(",") if q] or ["*"]
        worker_id = options["worker_id"] or get_random_string(32)
        worker = LaporWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name="default",
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=worker_id,
            excluded_queue_names=[],
            lease_seconds=options["lease_seconds"] or settings.LAPOR_JOB_LEASE_SECONDS,
            sweep_interval=options["sweep_interval"],
            schedule=options["schedule"],
            max_attempts=MAX_ATTEMPTS,
        )
        if settings.LAPOR_WORKER_METRICS_ADDR:
            serve_metrics(settings.LAPOR_WORKER_METRICS_ADDR)
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        worker.configure_signals()
        try:
            worker.run()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write(f"Worker {worker_id} berhenti setelah {worker.tasks_run} tugas.")
