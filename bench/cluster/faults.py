"""The five faults of the run, each recorded in ``logs/faults.jsonl`` with its window (start,
end) and what was observed, for the check to count the client's errors per window.

1. ``kill_worker``: ``kill -9`` of a job worker while it runs a job (the job table says which
   task is RUNNING under that worker's id); the supervisor restarts it, and the lease
   (``JOB_LEASE_SECONDS``) gives the job back to the queue.
2. ``kill_app``: ``kill -9`` of an app server's whole process group (granian's main process and
   its workers) while one of its threads is inside a database statement; nginx sends new
   requests to the other, the supervisor restarts it.
3. ``restart_postgres``: ``pg_ctl restart -m fast`` of the primary under load.
4. ``cut_worker``: the worker host's only link down for ``seconds`` (``ip link set eth0
   down``), then up.
5. ``replica_lag``: ``pg_wal_replay_pause()`` on the replica for ``seconds``: its lag grows
   past ``REPLICA_MAX_LAG_SECONDS``; ``/readyz`` of each app server is sampled every 2 s, then
   replay resumes.
"""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import services
import topology

TASKS = "django_tasks_database_dbtaskresult"


def record(state: Path, **row: object) -> None:
    with (state / "logs" / "faults.jsonl").open("a") as log:
        log.write(json.dumps(row) + "\n")
    print("fault: " + ", ".join(f"{k}={v}" for k, v in row.items() if k not in ("samples",)),
          flush=True)  # fmt: skip


def primary() -> psycopg.Connection:
    return psycopg.connect(services.database_url(), autocommit=True, connect_timeout=3)


def kill_worker(state: Path, host: str = "work1", seconds: float = 120) -> None:
    """Wait for a job of the report flow (routing, a notification or webhook delivery) RUNNING
    under ``host``'s id, then kill -9 that worker."""
    start = time.time()
    deadline = time.monotonic() + seconds
    found = None
    with primary() as conn:
        while time.monotonic() < deadline and found is None:
            found = conn.execute(
                f"SELECT id::text, task_path FROM {TASKS} WHERE status = 'RUNNING' "
                "AND worker_ids ->> -1 = %s AND (task_path LIKE 'lapor.reports.%%' "
                "OR task_path LIKE 'lapor.notifications.%%' OR task_path LIKE 'lapor.api.%%') "
                "LIMIT 1",
                [host],
            ).fetchone()
            if found is None:
                time.sleep(0.01)
    pid = services.child_pid(state, host)
    os.kill(pid, signal.SIGKILL)
    record(state, fault="kill_worker", host=host, start=start, end=time.time(), pid=pid,
           mid_job=found is not None, job=found[0] if found else None,
           task=found[1] if found else None)  # fmt: skip


def kill_app(state: Path, host: str = "app1", seconds: float = 60) -> None:
    """Wait until ``host`` has a statement running on the primary (a request mid-way), then
    kill -9 its process group."""
    start = time.time()
    deadline = time.monotonic() + seconds
    busy = False
    with primary() as conn:
        while time.monotonic() < deadline and not busy:
            busy = bool(conn.execute(
                "SELECT 1 FROM pg_stat_activity WHERE client_addr = %s AND state <> 'idle' "
                "AND pid <> pg_backend_pid()",
                [topology.HOSTS[host]],
            ).fetchone())  # fmt: skip
            if not busy:
                time.sleep(0.005)
    pid = services.child_pid(state, host)
    os.killpg(pid, signal.SIGKILL)
    services.wait_http(f"http://{topology.HOSTS[host]}:{services.APP_PORT}/healthz", 120)
    record(state, fault="kill_app", host=host, start=start, end=time.time(), pid=pid,
           mid_request=busy, back_after_s=round(time.time() - start, 1))  # fmt: skip


def restart_postgres(state: Path) -> None:
    start = time.time()
    services.pg_ctl(state, "primary", "restart", "-m", "fast")
    record(state, fault="restart_postgres", start=start, end=time.time(),
           took_s=round(time.time() - start, 1))  # fmt: skip


def cut_worker(state: Path, host: str = "work2", seconds: float = 60) -> None:
    start = time.time()
    topology.set_link(host, "down")
    time.sleep(seconds)
    topology.set_link(host, "up")
    record(state, fault="cut_worker", host=host, start=start, end=time.time(),
           seconds=seconds)  # fmt: skip


def readyz(host: str) -> dict:
    request = urllib.request.Request(
        f"http://{topology.HOSTS[host]}:{services.APP_PORT}/readyz",
        headers={"Host": services.HOSTNAME},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310
            return json.loads(answer.read())
    except urllib.error.HTTPError as error:  # 503: the database check failed
        return {"status": f"HTTP {error.code}", **json.loads(error.read() or b"{}")}
    except OSError as error:
        return {"status": "no answer", "error": str(error)[:80]}


def replica_lag(state: Path, seconds: float = 40) -> None:
    start = time.time()
    samples = []
    replica = psycopg.connect(services.database_url(services.REPLICA_PORT), autocommit=True)
    with replica:
        replica.execute("SELECT pg_wal_replay_pause()")
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            lag = replica.execute(
                "SELECT extract(epoch FROM now() - pg_last_xact_replay_timestamp())"
            ).fetchone()[0]
            ready = readyz("app1")
            checks = ready.get("checks") or {}
            samples.append(
                {
                    "t": round(time.time() - start, 1),
                    "lag_s": round(float(lag or 0), 1),
                    "readyz": ready.get("status"),
                    "replica": checks.get("replica"),
                    "database": checks.get("database"),
                }
            )
            time.sleep(2)
        replica.execute("SELECT pg_wal_replay_resume()")
    record(state, fault="replica_lag", start=start, end=time.time(), seconds=seconds,
           max_lag_s=max(s["lag_s"] for s in samples),
           degraded_samples=sum(s["readyz"] == "degraded" for s in samples),
           samples=samples)  # fmt: skip
