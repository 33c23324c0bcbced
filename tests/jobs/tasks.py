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
