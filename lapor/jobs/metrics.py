"""The job queue's numbers for Prometheus (lapor.core.metrics, ADR 0027).

* Read when ``/metrics`` is scraped: jobs waiting (counted up to ``COUNT_CAP``) and how long the
  next one to run has waited, through the same index-only plan as the claim (``jobs.claim``).
  ``/readyz`` shows the same figures (``queue_state``).
* Counted by each worker as it runs jobs: ``lapor_jobs_total{task,outcome}`` (succeeded, failed,
  deferred after a lock) and ``lapor_job_duration_seconds{task}``. A worker serves them itself on
  ``WORKER_METRICS_ADDR`` (host:port, off when empty), since worker hosts run no app server.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from prometheus_client import Counter, Histogram

from lapor.core.metrics import BUCKETS, register_gauge
from lapor.jobs.claim import plan_index_only, waiting

logger = logging.getLogger(__name__)

# Waiting jobs are counted up to this many (a count, not a scan of a huge backlog).
COUNT_CAP = 10_000

JOBS = Counter(
    "lapor_jobs_total", "Jobs a worker finished, by task and outcome.", ["task", "outcome"]
)
JOB_SECONDS = Histogram(
    "lapor_job_duration_seconds", "Time a job ran, by task.", ["task"], buckets=BUCKETS
)


def queue_state() -> dict[str, Any]:
    """Jobs waiting (capped) and the seconds the next one to run has waited."""
    from django_tasks_db.models import get_date_max

    jobs = waiting(backend_name="default", queue_names=["*"], excluded_queue_names=[])
    with transaction.atomic(using=jobs.db):
        plan_index_only(jobs.db)  # the head of the queue through its index, as the claim
        count = jobs.values("pk")[: COUNT_CAP + 1].count()
        head = jobs.values_list("enqueued_at", "run_after").first()
    age = 0.0
    if head is not None:
        enqueued, run_after = head
        since = enqueued if run_after == get_date_max() else max(enqueued, run_after)
        age = max(0.0, (timezone.now() - since).total_seconds())
    return {"waiting": min(count, COUNT_CAP), "waiting_capped": count > COUNT_CAP, "age": age}


def register() -> None:
    register_gauge(
        "lapor_jobs_waiting",
        f"Jobs ready to run (counted up to {COUNT_CAP}).",
        lambda: queue_state()["waiting"],
    )
    register_gauge(
        "lapor_jobs_next_wait_seconds",
        "How long the next job to run has waited.",
        lambda: queue_state()["age"],
    )


def serve(address: str) -> None:
    """Serve this worker's counters on ``host:port`` (a thread; ends with the process)."""
    from prometheus_client import start_http_server

    host, _, port = address.rpartition(":")
    try:
        start_http_server(int(port), addr=host or "127.0.0.1")
    except OSError as error:  # a port already taken must not stop the jobs
        logger.warning("WORKER_METRICS_ADDR %s not served: %s", address, error)
