"""A task that meets a database lock runs again later instead of failing.

On SQLite a second process holds the write lock (``BEGIN IMMEDIATE``) for longer than the busy
timeout of the worker's connection (shortened here to 0.3 s through the connection's OPTIONS,
as ``lapor.settings`` sets it to 20 s); on PostgreSQL a row lock meets ``lock_timeout``.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lapor.jobs.locks import LOCK_RETRIES, is_lock_error
from lapor.jobs.models import LockDeferral, ScheduledSlot
from lapor.jobs.recovery import recover_stale_tasks
from lapor.jobs.retention import prune_results
from lapor.jobs.runner import run_pending
from lapor.jobs.worker import LaporWorker
from tests.jobs.tasks import always_locked, meet_the_lock, record, update_slot

# Takes the write lock of the SQLite file ``db`` (after ``flags``/started exists, when asked),
# says so in ``flags``/locked, holds it ``seconds``, and commits: another process, as a web
# process with a long write transaction is.
HOLDER = """
import sqlite3, sys, time
from pathlib import Path
db, flags, seconds, after_start = sys.argv[1], Path(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
deadline = time.monotonic() + 20
while after_start == "1" and not (flags / "started").exists() and time.monotonic() < deadline:
    time.sleep(0.01)
conn = sqlite3.connect(db, isolation_level=None, timeout=20)
conn.execute("BEGIN IMMEDIATE")
(flags / "locked").touch()
time.sleep(seconds)
conn.execute("COMMIT")
"""
BUSY_TIMEOUT = 0.3
HOLD = 1.5  # five busy timeouts, and longer than django-tasks-db's three tries of a result


def starts(log: Path) -> Counter[str]:
    return Counter(
        line.split()[1] for line in log.read_text().splitlines() if line.startswith("start")
    )


def runs(log: Path) -> Counter[str]:
    return Counter(
        line.split()[1] for line in log.read_text().splitlines() if line.startswith("done")
    )


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Connections opened from now on wait 0.3 s for a lock (``timeout`` of the SQLite
    OPTIONS, 20 s in ``lapor.settings``)."""
    if connection.vendor != "sqlite":
        pytest.skip("the busy timeout is SQLite's")
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", BUSY_TIMEOUT)
    connection.close()
    yield
    connection.close()


def hold_the_database(flags: Path, *, after_start: bool) -> subprocess.Popen[bytes]:
    flags.mkdir(exist_ok=True)
    db = str(connection.settings_dict["NAME"])
    return subprocess.Popen(
        [sys.executable, "-c", HOLDER, db, str(flags), str(HOLD), "1" if after_start else "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def run_worker_until(done: object, *, seconds: float = 30.0) -> list[BaseException]:
    """Run ``lapor worker``'s loop in a thread (its own connection, as a worker process has)
    until ``done()`` or ``seconds``; the exceptions that ended it early, if any."""
    worker = LaporWorker(
        queue_names=["*"],
        interval=0.05,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="w-lock",
        excluded_queue_names=[],
        lease_seconds=600,
        schedule=False,
        lock_backoff=0.1,
        step_wait=0.1,
    )
    crashed: list[BaseException] = []

    def loop() -> None:
        try:
            worker.run()
        except BaseException as exc:
            crashed.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=loop)
    thread.start()
    deadline = time.monotonic() + seconds
    while thread.is_alive() and not done() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.05)
    worker.running = False
    thread.join(timeout=30)
    return crashed


def finished(task_id: str) -> object:
    return lambda: DBTaskResult.objects.filter(
        pk=task_id, status__in=["SUCCESSFUL", "FAILED"]
    ).exists()


@pytest.mark.parametrize("write", [True, False], ids=["job-writes", "result-recording"])
@pytest.mark.django_db(transaction=True)
def test_job_that_meets_a_sqlite_lock_ends_up_done(tmp_path, short_busy_timeout, write):
    # Given a job in the queue, and another process that takes the write lock as soon as the
    # job has started and holds it for five busy timeouts
    log, flags = tmp_path / "runs.log", tmp_path / "flags"
    job = meet_the_lock.enqueue("routing", str(log), str(flags), write)
    holder = hold_the_database(flags, after_start=True)
    # When the worker runs it (its write, or the recording of its result, meets the lock)
    crashed = run_worker_until(finished(job.id))
    holder.communicate(timeout=30)
    # Then the job is done, not failed, and the worker is still alive
    row = DBTaskResult.objects.get(pk=job.id)
    assert crashed == [] and row.status == "SUCCESSFUL", row.traceback
    assert runs(log) == {"routing": 1}
    if write:
        # It ran again after the lock: once deferred, and its row was written once
        assert starts(log)["routing"] >= 2
        assert LockDeferral.objects.get(task_id=job.id).count >= 1
        assert ScheduledSlot.objects.filter(name="routing").count() == 1


@pytest.mark.django_db(transaction=True)
def test_worker_claiming_while_the_database_is_locked_waits_and_runs_the_job(
    tmp_path, short_busy_timeout
):
    # Given a job in the queue, and another process holding the write lock
    log, flags = tmp_path / "runs.log", tmp_path / "flags"
    job = record.enqueue("waiting", str(log))
    holder = hold_the_database(flags, after_start=False)
    while not (flags / "locked").exists():
        time.sleep(0.01)
    # When a worker starts and tries to claim it
    crashed = run_worker_until(finished(job.id))
    holder.communicate(timeout=30)
    # Then the worker waited the lock out and ran the job once
    assert crashed == []
    assert DBTaskResult.objects.get(pk=job.id).status == "SUCCESSFUL"
    assert runs(log) == {"waiting": 1}


def make_ready_now() -> None:
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


@pytest.mark.django_db
def test_job_locked_every_time_fails_after_the_bound(tmp_path):
    # Given a job whose write meets a lock on every run
    log = tmp_path / "runs.log"
    job = always_locked.enqueue("stuck", str(log))
    # When it has run LOCK_RETRIES times (each deferred, waiting its backoff)
    for attempt in range(1, LOCK_RETRIES + 1):
        assert run_pending() == 1
        row = DBTaskResult.objects.get(pk=job.id)
        assert row.status == "READY" and row.run_after > timezone.now()
        assert LockDeferral.objects.get(task_id=job.id).count == attempt
        make_ready_now()
    # Then the next run records it FAILED with the lock error, for an operator to see
    assert run_pending() == 1
    row = DBTaskResult.objects.get(pk=job.id)
    assert row.status == "FAILED" and "database is locked" in row.traceback
    assert starts(log)["stuck"] == LOCK_RETRIES + 1
    assert run_pending() == 0


@pytest.mark.django_db
def test_lock_deferrals_do_not_count_as_dead_workers(tmp_path):
    # Given a job deferred twice for locks whose third worker then died mid-run
    job = always_locked.enqueue("deferred", str(tmp_path / "runs.log"))
    for _ in range(2):
        run_pending()
        make_ready_now()
    DBTaskResult.objects.filter(pk=job.id).update(
        status="RUNNING",
        started_at=timezone.now() - timedelta(minutes=20),
        worker_ids=["w1", "w1", "dead"],
    )
    # When recovery runs: one death out of three allowed
    recovered = recover_stale_tasks(lease_seconds=600)
    # Then the job is put back, not failed as a task that killed three workers
    assert recovered.requeued == [str(job.id)] and recovered.failed == []


def test_lock_errors_are_told_apart_from_other_database_errors():
    import psycopg.errors

    def wrapped(cause: Exception) -> OperationalError:
        try:
            raise OperationalError(str(cause)) from cause
        except OperationalError as exc:
            return exc

    assert is_lock_error(OperationalError("database is locked"))
    assert is_lock_error(OperationalError("database table is locked"))
    assert is_lock_error(wrapped(psycopg.errors.SerializationFailure("could not serialize")))
    assert is_lock_error(wrapped(psycopg.errors.DeadlockDetected("deadlock detected")))
    assert is_lock_error(wrapped(psycopg.errors.LockNotAvailable("lock timeout")))
    assert not is_lock_error(OperationalError("no such table: reports_report"))
    assert not is_lock_error(wrapped(psycopg.errors.UndefinedTable("no such table")))
    assert not is_lock_error(ValueError("database is locked"))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_job_that_meets_a_postgres_lock_timeout_runs_again(tmp_path):
    # Given a row another transaction holds locked
    log = tmp_path / "runs.log"
    now = timezone.now()
    slot = ScheduledSlot.objects.create(name="held", slot_start=now, claimed_by="x", claimed_at=now)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                ScheduledSlot.objects.select_for_update().get(pk=slot.pk)
                held.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(timeout=10)
    job = update_slot.enqueue("pg", str(log), slot.pk)
    # When a job that updates it gives up on its lock_timeout
    try:
        assert run_pending() == 1
        row = DBTaskResult.objects.get(pk=job.id)
        # Then it is deferred, not failed
        assert row.status == "READY", row.traceback
        assert "lock timeout" in LockDeferral.objects.get(task_id=job.id).last_error
    finally:
        release.set()
        holder.join(timeout=30)
    # And once the lock is gone it runs and is done
    make_ready_now()
    assert run_pending() == 1
    assert DBTaskResult.objects.get(pk=job.id).status == "SUCCESSFUL"
    assert ScheduledSlot.objects.get(pk=slot.pk).claimed_by == "pg"


@pytest.mark.django_db
def test_pruning_a_finished_job_removes_its_lock_deferrals(tmp_path):
    # Given a job that failed after its lock deferrals, long ago
    job = always_locked.enqueue("old", str(tmp_path / "runs.log"))
    for _ in range(LOCK_RETRIES + 1):
        run_pending()
        make_ready_now()
    DBTaskResult.objects.filter(pk=job.id).update(finished_at=timezone.now() - timedelta(days=90))
    # When the daily prune runs
    assert prune_results() == 1
    # Then the count goes with the job
    assert not LockDeferral.objects.exists()
