"""The backup and restore drill on a generated site, beside plain pg_dump / pg_restore.

For ``--rounds`` rounds, alternating: ``lapor backup create`` (the database at one snapshot,
every stored file, hashes and a manifest) and a plain ``pg_dump --format=custom`` of the same
database; then ``lapor backup restore`` into a new empty database followed by ``lapor audit
verify``, and a plain ``pg_restore`` into another. Prints seconds min/median/max of each and the
ratios, the dump's size, and the recovery time objective this gives (restore + verify).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_backupbench \\
        .venv/bin/python bench/generate.py --reports 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_backupbench \\
        .venv/bin/python bench/backup.py --rounds 3
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on_postgres


def stats(values: list[float]) -> str:
    return (
        f"min {min(values):7.2f}  median {statistics.median(values):7.2f}  max {max(values):7.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    django_on_postgres()
    from django.core.management import call_command
    from django.db import connection

    from lapor.core import backup

    source = dict(connection.settings_dict)
    env = dict(os.environ)
    env["PGHOST"] = str(source["HOST"] or "127.0.0.1")
    env["PGPORT"] = str(source["PORT"] or 5432)
    env["PGUSER"] = str(source["USER"] or "postgres")
    env.pop("PGDATABASE", None)
    work = Path(tempfile.mkdtemp(prefix="lapor-backup-bench-"))
    timings: dict[str, list[float]] = {
        key: [] for key in ("create", "pg_dump", "restore", "pg_restore")
    }
    dump_bytes = 0
    reports = 0
    try:
        for n in range(args.rounds):
            folder = work / f"b{n}"
            outcome = backup.create(folder)
            timings["create"].append(outcome.seconds)
            dump_bytes, reports = outcome.dump_bytes, outcome.counts["reports.Report"]
            started = time.monotonic()
            subprocess.run(["pg_dump", "--format=custom", "--compress=6", "--no-owner",
                            "--no-privileges", f"--file={work / f'plain{n}.dump'}",
                            str(source["NAME"])], env=env, check=True)  # fmt: skip
            timings["pg_dump"].append(time.monotonic() - started)

            for kind in ("restore", "pg_restore"):
                target = f"lapor_restore_bench_{kind}"
                subprocess.run(["dropdb", "--if-exists", target], env=env, check=True)
                subprocess.run(["createdb", target], env=env, check=True)
                started = time.monotonic()
                if kind == "restore":
                    connection.close()
                    connection.settings_dict["NAME"] = target
                    try:
                        call_command("backup_restore", str(folder), stdout=io.StringIO())
                    finally:
                        connection.close()
                        connection.settings_dict["NAME"] = source["NAME"]
                else:
                    subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--jobs=2",
                                    f"--dbname={target}", str(work / f"plain{n}.dump")],
                                   env=env, check=True)  # fmt: skip
                timings[kind].append(time.monotonic() - started)
                subprocess.run(["dropdb", "--if-exists", target], env=env, check=True)
            shutil.rmtree(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(
        f"{reports:,} reports, dump {dump_bytes / 1e6:,.1f} MB, {args.rounds} rounds, load {load}"
    )
    for key, values in timings.items():
        print(f"  {key:10} {stats(values)} s")
    ratio_b = [a / b for a, b in zip(timings["create"], timings["pg_dump"], strict=True)]
    ratio_r = [a / b for a, b in zip(timings["restore"], timings["pg_restore"], strict=True)]
    print(f"  create / pg_dump           {stats(ratio_b)}")
    print(f"  restore+verify / pg_restore {stats(ratio_r)}")


if __name__ == "__main__":
    main()
