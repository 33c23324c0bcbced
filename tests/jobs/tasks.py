"""Tasks the worker tests enqueue: each run appends a line to a log file, so the test can
count how often every task really ran (whatever process ran it)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task


def _append(log: str, line: str) -> None:
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)


@task()
def record(key: str, log: str) -> str:
    _append(log, f"done {key} {os.getpid()}")
    return key


@task()
def slow_first_time(key: str, log: str, seconds: float) -> str:
    """Sleeps ``seconds`` on its first run (long enough to be killed), not on later ones."""
    first = f"start {key}" not in (Path(log).read_text() if Path(log).exists() else "")
    _append(log, f"start {key} {os.getpid()}")
    if first:
        time.sleep(seconds)
    _append(log, f"done {key} {os.getpid()}")
    return key


@task()
def meet_the_lock(key: str, log: str, flags: str, write: bool) -> str:
    """Announces its start (``flags``/started), waits until the test's lock holder holds the
    database (``flags``/locked), then writes a row (``write``) or just returns: either its own
    write or the recording of its result meets the lock."""
    from django.utils import timezone

    from lapor.jobs.models import ScheduledSlot

    _append(log, f"start {key} {os.getpid()}")
    Path(flags, "started").touch()
    deadline = time.monotonic() + 20
    while not Path(flags, "locked").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    if write:
        now = timezone.now()
        ScheduledSlot.objects.create(name=key, slot_start=now, claimed_by="task", claimed_at=now)
    _append(log, f"done {key} {os.getpid()}")
    return key


@task()
def always_locked(key: str, log: str) -> str:
    """Fails as a write fails when another process holds the database longer than the busy
    timeout, every time."""
    from django.db import OperationalError

    _append(log, f"start {key} {os.getpid()}")
    raise OperationalError("database is locked")


@task()
def update_slot(key: str, log: str, slot_id: int) -> str:
    """Updates a scheduler slot row, giving up after 200 ms when another transaction holds it
    (PostgreSQL ``lock_timeout``)."""
    from django.db import connection, transaction

    from lapor.jobs.models import ScheduledSlot

    _append(log, f"start {key} {os.getpid()}")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '200ms'")
        ScheduledSlot.objects.filter(pk=slot_id).update(claimed_by=key)
    _append(log, f"done {key} {os.getpid()}")
    return key


@task()
def always_fails(key: str) -> str:
    """Fails with an ordinary error every time (not a lock): the worker marks it FAILED."""
    raise ValueError(f"{key}: this job always fails")
