"""The multi-host fault run: set up, load with faults, drain, check, tear down.

    .venv/bin/python bench/cluster/run.py all        # everything, then tear down
    .venv/bin/python bench/cluster/run.py up         # the hosts and their processes only
    .venv/bin/python bench/cluster/run.py faults     # load + faults + drain on a running set-up
    .venv/bin/python bench/cluster/run.py check      # compare the logs with the database
    .venv/bin/python bench/cluster/run.py down       # remove namespaces, processes, data

Runs as root (``ip netns``, PostgreSQL started as the ``postgres`` user via ``runuser``). The
state (data directories, logs, pid files) is under ``--root`` (default
``/tmp/lapor-cluster``), removed by ``down``. See bench/README.md ("Fault run on several hosts")
and docs/operations.md ("Several hosts" and the runbook).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import faults
import services
import topology


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def up(state: Path) -> None:
    if state.exists():
        sys.exit(f"{state} exists: run `down` first")
    state.mkdir(parents=True)
    topology.up()
    services.start_all(state)


def down(state: Path, save: Path | None = None) -> None:
    services.stop_all(state)
    if save is not None and (state / "logs").exists():
        shutil.copytree(state / "logs", save, dirs_exist_ok=True)
        print(f"logs copied to {save}")
    topology.down()
    shutil.rmtree(state, ignore_errors=True)
    print(f"down: namespaces, processes and {state} removed")


def queued() -> dict[str, int]:
    """What is still waiting: jobs ready or running, notifications and webhooks not done."""
    with faults.primary() as conn:
        return {
            "jobs": conn.execute(
                f"SELECT count(*) FROM {faults.TASKS} WHERE status IN ('READY', 'RUNNING') "
                "AND run_after < now() + interval '2 minutes'"
            ).fetchone()[0],
            "notifications": conn.execute(
                "SELECT count(*) FROM notifications_notification "
                "WHERE status IN ('pending', 'sending')"
            ).fetchone()[0],
            "webhooks": conn.execute(
                "SELECT count(*) FROM api_webhookdelivery "
                "WHERE status IN ('pending', 'sending', 'failed')"
            ).fetchone()[0],
        }


def run_faults(state: Path, args: argparse.Namespace) -> None:
    (state / "stop-load").unlink(missing_ok=True)
    print(f"load average before: {loadavg()}", flush=True)
    load = subprocess.Popen(
        [sys.executable, str(services.HERE / "load.py"), str(state), "--seconds", "3600",
         "--submit-rate", str(args.submit_rate), "--officer-rate", str(args.officer_rate),
         "--read-rate", str(args.read_rate)],
        cwd=services.ROOT,
    )  # fmt: skip
    gap = args.gap
    started = time.monotonic()
    try:
        time.sleep(gap)
        faults.kill_worker(state, "work1")
        time.sleep(gap)
        faults.kill_app(state, "app1")
        time.sleep(gap)
        faults.restart_postgres(state)
        time.sleep(gap)
        faults.cut_worker(state, "work2", args.cut_seconds)
        time.sleep(gap)
        faults.replica_lag(state, args.lag_seconds)
        time.sleep(gap)
    finally:
        (state / "stop-load").touch()
        print(f"load stopped after {time.monotonic() - started:.0f} s; load average "
              f"{loadavg()}", flush=True)  # fmt: skip
        load.wait()
    deadline = time.monotonic() + args.drain
    while True:
        left = queued()
        if not any(left.values()) or time.monotonic() > deadline:
            break
        time.sleep(5)
    print(f"drained for {time.monotonic() - (deadline - args.drain):.0f} s; still queued: "
          f"{left}; load average {loadavg()}", flush=True)  # fmt: skip
    for row in faults_log(state):
        if row["fault"] == "replica_lag":
            print("replica lag samples (s since pause, replay lag, /readyz, its replica check):")
            for s in row["samples"]:
                database = s.get("database") or {}
                print(
                    f"  {s['t']:5.1f} s  lag {s['lag_s']:5.1f} s  {s['readyz']}  "
                    f"replica {s['replica']}  database ok={database.get('ok')} "
                    f"{database.get('error', '')}"
                )
    fallbacks = sum(
        (state / "logs" / f"{h}.log").read_text(errors="replace").count("replica not used")
        for h in ("app1", "app2")
    )
    print(f"app servers' log lines 'replica not used': {fallbacks}")


def faults_log(state: Path) -> list[dict]:
    path = state / "logs" / "faults.jsonl"
    return [json.loads(x) for x in path.read_text().splitlines()] if path.exists() else []


def check(state: Path) -> int:
    out = subprocess.run(
        topology.in_ns("app1", sys.executable, str(services.HERE / "check.py"), str(state)),
        cwd=services.ROOT, env=services.host_env(state, "app1"),
    )  # fmt: skip
    return out.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["all", "up", "faults", "check", "down"])
    parser.add_argument("--root", type=Path, default=Path("/tmp/lapor-cluster"))  # noqa: S108
    parser.add_argument("--submit-rate", type=float, default=4)
    parser.add_argument("--officer-rate", type=float, default=1)
    parser.add_argument("--read-rate", type=float, default=1)
    parser.add_argument("--gap", type=float, default=30, help="steady seconds between faults")
    parser.add_argument("--cut-seconds", type=float, default=60)
    parser.add_argument("--lag-seconds", type=float, default=40)
    parser.add_argument("--drain", type=float, default=420)
    parser.add_argument("--keep", action="store_true", help="`all` without the tear-down")
    parser.add_argument("--save", type=Path, help="copy the logs here before tearing down")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("run as root: network namespaces and PostgreSQL as the postgres user")
    state = args.root.resolve()
    status = 0
    if args.step == "up":
        up(state)
    elif args.step == "down":
        down(state, args.save)
    elif args.step == "faults":
        run_faults(state, args)
    elif args.step == "check":
        status = check(state)
    else:
        try:
            up(state)
            run_faults(state, args)
            status = check(state)
        finally:
            if not args.keep:
                down(state, args.save)
    sys.exit(status)


if __name__ == "__main__":
    main()
