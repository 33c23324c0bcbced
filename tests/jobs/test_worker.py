"""The worker: runs tasks, takes back the tasks of dead workers, schedules the sweep once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lapor.jobs.models import ScheduledSlot
from lapor.jobs.recovery import LEASE_EXPIRED, recover_stale_tasks
from lapor.jobs.runner import run_pending
from lapor.jobs.scheduler import enqueue_due, slot_start
from tests.jobs.tasks import record, slow_first_time

REPO = Path(__file__).resolve().parents[2]
SWEEP = "lapor.reports.sweep.sla_sweep"
PRUNE = "lapor.routing.tasks.prune_duplicate_bands"
PERIODIC = [
    "sla_sweep",
    "duplicate_prune",
    "job_prune",
    "audit_seal",
    "privacy_purge",
    "channels_purge",
    "webhook_delivery",
    "analytics_fill",
    "early_warning",
    "policy_reports",
    "automation_accounts",
    "routing_retrain",
]


def runs(log: Path) -> Counter[str]:
    if not log.exists():
        return Counter()
    return Counter(
        line.split()[1] for line in log.read_text().splitlines() if line.startswith("done")
    )


def as_dead_worker_left_it(task_id: str, *, minutes_ago: int, claims: int = 1) -> None:
    DBTaskResult.objects.filter(pk=task_id).update(
        status="RUNNING",
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
        worker_ids=[f"dead-{i}" for i in range(claims)],
    )


@pytest.mark.django_db
def test_run_pending_runs_ready_tasks(tmp_path):
    log = tmp_path / "runs.log"
    for key in ("a", "b", "c"):
        record.enqueue(key, str(log))
    assert run_pending() == 3
    assert runs(log) == {"a": 1, "b": 1, "c": 1}
    assert DBTaskResult.objects.successful().count() == 3
    assert run_pending() == 0


@pytest.mark.django_db
def test_task_of_a_dead_worker_is_requeued_and_then_runs(tmp_path):
    # Given a task a killed worker left RUNNING 20 minutes ago
    log = tmp_path / "runs.log"
    result = record.enqueue("orphan", str(log))
    as_dead_worker_left_it(result.id, minutes_ago=20)
    # And a task that started a minute ago (its worker may well be alive)
    young = record.enqueue("young", str(log))
    as_dead_worker_left_it(young.id, minutes_ago=1)
    # When recovery runs with a 10-minute lease
    recovered = recover_stale_tasks(lease_seconds=600)
    # Then only the old one is put back, and it runs exactly once
    assert recovered.requeued == [str(result.id)] and recovered.failed == []
    assert run_pending() == 1
    assert runs(log) == {"orphan": 1}
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL" and len(row.worker_ids) == 2
    assert DBTaskResult.objects.get(pk=young.id).status == "RUNNING"


@pytest.mark.django_db
def test_task_that_killed_three_workers_fails_with_a_reason(tmp_path):
    result = record.enqueue("poison", str(tmp_path / "runs.log"))
    as_dead_worker_left_it(result.id, minutes_ago=20, claims=3)
    recovered = recover_stale_tasks(lease_seconds=600)
    assert recovered.failed == [str(result.id)]
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "FAILED" and row.exception_class_path == LEASE_EXPIRED
    assert "3 kali" in row.traceback
    assert run_pending() == 0


@pytest.mark.django_db(transaction=True)
def test_worker_command_recovers_schedules_and_runs_in_batch_mode(tmp_path, settings):
    # Given a dead worker's task and no sweep enqueued yet
    log = tmp_path / "runs.log"
    orphan = record.enqueue("orphan", str(log))
    as_dead_worker_left_it(orphan.id, minutes_ago=20)
    # When `lapor worker --batch` runs
    call_command(
        "worker",
        "--batch",
        "--no-startup-delay",
        "--worker-id",
        "w-test",
        "--lease-seconds",
        "600",
        "--interval",
        "0",
    )
    # Then the orphan ran once and the periodic jobs (SLA sweep, band prune) were enqueued and run
    assert runs(log) == {"orphan": 1}
    for path in (SWEEP, PRUNE):
        job = DBTaskResult.objects.get(task_path=path)
        assert job.status == "SUCCESSFUL" and job.worker_ids == ["w-test"]
    assert ScheduledSlot.objects.get(name="sla_sweep").claimed_by == "w-test"


@pytest.mark.django_db
def test_sweep_is_enqueued_once_per_slot_across_workers():
    # In the middle of a slot, so "one second later" is still the same slot, and at noon UTC, so
    # "the next slot" is still the same day
    noon = slot_start(timezone.now(), 86400) + timedelta(hours=12)
    now = noon + timedelta(seconds=100)
    # When two workers look for due periodic jobs in the same slot
    first = enqueue_due(worker_id="w1", now=now, interval_override=300)
    second = enqueue_due(worker_id="w2", now=now + timedelta(seconds=1), interval_override=300)
    # Then only the first enqueues the sweep (and the band prune, and the daily job prune)
    assert first == PERIODIC and second == []
    start = slot_start(now, 300)
    # And the next slot gets its own sweep and band prune; the job prune waits for the next day,
    # whatever the worker's --sweep-interval
    later = enqueue_due(worker_id="w2", now=start + timedelta(seconds=300), interval_override=300)
    # (the rollup fill has its own two-minute slots)
    assert later == ["sla_sweep", "duplicate_prune", "webhook_delivery", "analytics_fill"]
    tomorrow = slot_start(now, 86400) + timedelta(days=1, seconds=100)
    assert enqueue_due(worker_id="w3", now=tomorrow, interval_override=300) == PERIODIC
    slots = ScheduledSlot.objects.filter(name="sla_sweep")
    assert DBTaskResult.objects.filter(task_path=SWEEP).count() == slots.count()


# --- several processes on PostgreSQL ---------------------------------------------------------


def _env() -> dict[str, str]:
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    return {
        **os.environ,
        "DATABASE_URL": url,
        "PYTHONPATH": str(REPO),
        "DJANGO_SETTINGS_MODULE": "lapor.settings",
    }


def _worker(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lapor.cli",
            "worker",
            "--no-startup-delay",
            "--no-schedule",
            "--interval",
            "0.05",
            *args,
        ],
        cwd=REPO,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _wait_for(predicate, seconds: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.05)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_killed_worker_task_completes_exactly_once(tmp_path):
    # Given a task that runs long the first time, picked up by a worker process
    log = tmp_path / "runs.log"
    result = slow_first_time.enqueue("long", str(log), 60)
    first = _worker("--worker-id", "doomed", "--lease-seconds", "3600")
    try:
        _wait_for(lambda: DBTaskResult.objects.filter(pk=result.id, status="RUNNING").exists())
        _wait_for(lambda: log.exists())
    finally:
        # When the worker is killed with SIGKILL mid-task
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"
    time.sleep(1.1)  # the 1-second lease below must expire
    # And a new worker with a 1-second lease runs until the queue is empty
    second = _worker("--worker-id", "rescuer", "--lease-seconds", "1", "--batch")
    out, _ = second.communicate(timeout=60)
    assert second.returncode == 0, out.decode()
    # Then the task was taken back and completed exactly once
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL" and row.worker_ids == ["doomed", "rescuer"]
    assert runs(log) == {"long": 1}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_run_the_same_task(tmp_path):
    # Given 200 queued tasks
    log = tmp_path / "runs.log"
    for i in range(200):
        record.enqueue(f"t{i}", str(log))
    # When two worker processes drain the queue together
    workers = [_worker("--worker-id", f"w{n}", "--batch") for n in (1, 2)]
    for w in workers:
        out, _ = w.communicate(timeout=120)
        assert w.returncode == 0, out.decode()
    # Then every task ran exactly once, and both workers took part
    counts = runs(log)
    assert len(counts) == 200 and set(counts.values()) == {1}
    by_worker = Counter(r.worker_ids[0] for r in DBTaskResult.objects.all())
    assert DBTaskResult.objects.successful().count() == 200
    assert set(by_worker) == {"w1", "w2"}, by_worker


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_schedulers_enqueue_one_sweep_per_slot():
    # Given eight workers looking for due jobs at the same instant
    now = timezone.now()
    barrier = threading.Barrier(8)
    results: list[list[str]] = []

    def look(n: int) -> None:
        try:
            barrier.wait()
            results.append(enqueue_due(worker_id=f"w{n}", now=now, interval_override=300))
        finally:
            connection.close()

    threads = [threading.Thread(target=look, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Then exactly one enqueued the sweep (and exactly one the band prune)
    enqueued = [name for names in results for name in names]
    assert len(results) == 8 and sorted(enqueued) == sorted(PERIODIC)
    assert DBTaskResult.objects.filter(task_path=SWEEP).count() == 1
    assert DBTaskResult.objects.filter(task_path=PRUNE).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_worker_stops_gracefully_on_sigterm():
    worker = _worker("--worker-id", "polite", "-v", "2")
    # Wait until its loop runs (signal handlers are in place before it logs its start)
    assert worker.stdout is not None
    seen = b""
    while b"Starting worker" not in seen:
        line = worker.stdout.readline()
        assert line, "the worker exited before starting"
        seen += line
    worker.send_signal(signal.SIGTERM)
    out, _ = worker.communicate(timeout=20)
    assert worker.returncode == 0, out.decode()
