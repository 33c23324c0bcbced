"""The continuous-archiving drill: a base backup plus archived WAL, restored after the primary
and its data directory are lost; the recovery point and the recovery time it achieves, measured.

    nice -n 19 .venv/bin/python bench/wal_drill.py [--rounds 3] [--archive-timeout 10]
        [--crash-after 20,40] [--seed 1] [--no-fsync]

Only PostgreSQL's own programs (``PG_BIN``, else the newest ``/usr/lib/postgresql/*/bin``): the
drill makes its clusters with ``initdb`` on free local ports under a temporary folder (as the
``postgres`` user when run as root) and stops and removes every one of them, also on failure.
No ``DATABASE_URL`` is needed. Once: a template cluster, migrated, with the reference data and
the officer accounts. Then per round:

1. the primary: a copy of the template with ``archive_mode = on``, ``archive_timeout`` and an
   ``archive_command`` that copies each finished WAL segment into ``archive/`` atomically (to a
   ``.part`` name, fsync, rename) and refuses to overwrite a different file of the same name;
2. ``pg_basebackup`` (plain format, WAL streamed into it) into ``base/``;
3. the load: one process submitting reports through the real ``report_submit`` and, for every
   third one, a national officer's ``report_dispose`` of an earlier report; each acknowledged
   (committed) action is logged with its tracking ID and the time the call returned;
4. the disaster, at a random moment of ``--crash-after`` seconds: the postmaster is stopped,
   it and every process it started get ``SIGKILL``, and its data directory is deleted;
5. the restore, timed: ``base/`` copied into a new folder with ``restore_command`` (copy from
   ``archive/``) and ``recovery.signal``; started; the archived WAL replayed until the archive
   ends, then promoted; ``lapor audit verify`` run on it;
6. the check: acknowledged reports (and dispositions) missing from the restored cluster, the
   recovery point (crash minus the last recovered acknowledged commit; the age of the oldest
   lost one), the recovery time (copy + replay + verify), and a demo flow on the restored site
   (a recovered report's tracking page renders, a new report is accepted).

The archive set-up, the crash and the restore live in bench/_wal.py, which
tests/scale/test_wal_drill.py runs as well.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _wal import (
    DBNAME,
    PG_BIN,
    Cluster,
    Host,
    archive_settings,
    base_backup,
    crash,
    free_port,
    restore,
    unavailable,
)


def _load(log_path: str, stop: Any, seed: int, national_id: int) -> None:
    """Submit reports (and dispose every third) until ``stop`` is set or the server is gone;
    one JSON line per acknowledged action, written as soon as the call returned."""
    from django.db import Error, connection

    from lapor.accounts.models import User
    from lapor.agencies.models import Agency
    from lapor.categories.models import Category
    from lapor.demo import places, texts
    from lapor.regions.models import Region
    from lapor.reports.services import report_dispose, report_submit

    connection.close()
    rng = random.Random(seed)
    regions = list(Region.objects.filter(level=Region.Level.KABUPATEN_KOTA))
    categories = list(Category.objects.filter(parent__isnull=False))
    agencies = list(Agency.objects.filter(kind=Agency.Kind.REGENCY, accepts_reports=True)[:50])
    national = User.objects.get(pk=national_id)
    waiting = []
    with open(log_path, "a", buffering=1) as out:
        while not stop.is_set():
            try:
                topic, region = rng.choice(texts.TOPICS), rng.choice(regions)
                name = places.person(rng)
                report = report_submit(
                    type="pengaduan",
                    title=texts.fill(rng.choice(topic.titles), rng, wilayah=region.name),
                    body=texts.fill(rng.choice(topic.bodies), rng, wilayah=region.name),
                    region=region, channel="web", category=rng.choice(categories),
                    contact_name=name, contact_email=places.email_for(name, rng),
                ).report  # fmt: skip
                out.write(json.dumps({"kind": "submit", "id": report.tracking_id,
                                      "t": time.time()}) + "\n")  # fmt: skip
                waiting.append(report)
                if len(waiting) == 3:
                    earlier = waiting.pop(0)
                    report_dispose(report=earlier, to_agency=rng.choice(agencies), actor=national)
                    done = {"kind": "dispose", "id": earlier.tracking_id,
                            "seq": earlier.event_count, "t": time.time()}  # fmt: skip
                    out.write(json.dumps(done) + "\n")
            except Error as error:  # the server is gone (OperationalError, InterfaceError)
                out.write(json.dumps({"kind": "error", "t": time.time(),
                                      "error": str(error).strip()[:120]}) + "\n")  # fmt: skip
                break
    connection.close()


def _point_at(cluster: Cluster) -> None:
    """Django's ``default`` connection on ``cluster`` from its next query."""
    from django.db import connection

    connection.close()
    connection.settings_dict.update(cluster.database())


def _template(host: Host, template: Cluster) -> int:
    """lapor migrated into ``template``, with the reference data and the officer accounts; the
    cluster stopped again. The national admin's id."""
    from _setup import officers, prepare

    host.initdb(template, "wal_level = replica\n")
    host.start(template)
    host.sql(template, f"CREATE DATABASE {DBNAME}")
    _point_at(template)
    prepare()
    national, _admins = officers()
    _point_at(template)  # closes the connection before the cluster stops
    host.stop(template)
    return national


@dataclass
class Options:
    archive_timeout: int
    crash_after: tuple[float, float]
    fsync: bool
    seed: int


def _load_until_crash(
    host: Host, primary: Cluster, national: int, crash_in: float, seed: int
) -> tuple[float, float, list[dict[str, Any]]]:
    """The load in a process of its own, the disaster after ``crash_in`` seconds; the crash
    time, when the newest archived segment was written, and the load's log."""
    import multiprocessing

    archive = primary.data.parent / "archive"
    log = primary.data.parent / "load.jsonl"
    _point_at(primary)
    ctx = multiprocessing.get_context("fork")
    stop = ctx.Event()
    loader = ctx.Process(target=_load, args=(str(log), stop, seed, national))
    start_lsn = host.sql(primary, "SELECT pg_current_wal_lsn()")
    loader.start()
    try:
        time.sleep(crash_in)
        wal_bytes = int(host.sql(primary, f"SELECT pg_current_wal_lsn() - '{start_lsn}'"))
        archived = [p.stat().st_mtime for p in archive.iterdir() if len(p.name) == 24]
        crashed_at = crash(host, primary)
    finally:
        stop.set()
        loader.join(60)
        if loader.is_alive():
            loader.kill()
    rows = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    rows.append({"kind": "wal", "bytes_per_second": wal_bytes / crash_in})
    return crashed_at, max(archived, default=0.0), rows


def _check(rows: list[dict[str, Any]], crashed_at: float) -> dict[str, Any]:
    """On the restored cluster: audit verify (timed), what was lost, a demo flow."""
    import io

    from django.core.management import call_command
    from django.test import Client

    from lapor.regions.models import Region
    from lapor.reports.models import Report, ReportEvent
    from lapor.reports.services import report_submit

    started = time.monotonic()
    out = io.StringIO()
    call_command("audit_verify", stdout=out)  # CommandError when a link is broken
    verify_seconds = time.monotonic() - started
    submits = {r["id"]: r["t"] for r in rows if r["kind"] == "submit"}
    ids = list(submits)
    found: set[str] = set()
    for i in range(0, len(ids), 5000):
        found.update(Report.objects.filter(tracking_id__in=ids[i : i + 5000])
                     .values_list("tracking_id", flat=True))  # fmt: skip
    lost = [tid for tid in ids if tid not in found]
    disposals = [r for r in rows if r["kind"] == "dispose"]
    stored = set(ReportEvent.objects.filter(action="dispose")
                 .values_list("report__tracking_id", "seq"))  # fmt: skip
    newest = max(found, key=submits.__getitem__) if found else ""
    page = Client().get(f"/lacak/{newest}/").status_code if newest else 0
    region = Region.objects.filter(level=Region.Level.KABUPATEN_KOTA).first()
    fresh = report_submit(
        type="pengaduan", title="Lampu jalan padam setelah pemulihan", region=region,
        body="Lampu jalan di depan sekolah padam sejak semalam, mohon diperbaiki.", channel="web",
        contact_email="warga@contoh.id",
    ).report  # fmt: skip
    return {
        "acknowledged": len(submits), "lost": len(lost),
        "disposals": len(disposals),
        "lost_disposals": sum((r["id"], r["seq"]) not in stored for r in disposals),
        "rpo_last": crashed_at - submits[newest] if newest else float("nan"),
        "rpo_oldest_lost": crashed_at - min(submits[t] for t in lost) if lost else 0.0,
        "verify": verify_seconds, "audit": out.getvalue().strip().splitlines()[-1],
        "page": page, "new_report": fresh.tracking_id,
        "errors": [r["error"] for r in rows if r["kind"] == "error"],
        "wal_mb_s": next(r["bytes_per_second"] for r in rows if r["kind"] == "wal") / 1e6,
    }  # fmt: skip


def drill_round(host: Host, n: int, template: Cluster, national: int, opt: Options) -> dict:
    """One round: primary, base backup, load, disaster, restore, check. Its figures."""
    work = host.root / f"round{n}"
    host.run("mkdir", "-p", work / "archive")
    primary = Cluster(work / "primary", free_port())
    host.run("cp", "-a", template.data, primary.data)
    host.configure(primary, archive_settings(work / "archive", opt.archive_timeout)
                   + ("" if opt.fsync else "fsync = off\n"))  # fmt: skip
    host.start(primary)
    backup_seconds = base_backup(host, primary, work / "base")
    crash_in = random.Random(opt.seed * 1000 + n).uniform(*opt.crash_after)
    crashed_at, archived_at, rows = _load_until_crash(
        host, primary, national, crash_in, opt.seed * 1000 + n
    )
    restored = restore(host, work / "base", work / "archive", Cluster(work / "restored",
                                                                       free_port()))  # fmt: skip
    _point_at(restored.cluster)
    try:
        figures = _check(rows, crashed_at)
    finally:
        _point_at(restored.cluster)
        host.stop(restored.cluster)
    shutil.rmtree(work, ignore_errors=True)
    figures.update(
        round=n, crash_in=crash_in, base_backup=backup_seconds,
        archive_age=crashed_at - archived_at if archived_at else float("nan"),
        segments=restored.segments, copy=restored.copy_seconds, replay=restored.replay_seconds,
        rto=restored.copy_seconds + restored.replay_seconds + figures["verify"],
        last_transaction=restored.last_transaction,
    )  # fmt: skip
    return figures


def _stats(values: list[float]) -> str:
    return f"{min(values):7.2f} {statistics.median(values):7.2f} {max(values):7.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--archive-timeout", type=int, default=10, help="seconds")
    parser.add_argument("--crash-after", default="20,40", help="seconds: low,high (random)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-fsync", action="store_true", help="fsync = off on the primary")
    args = parser.parse_args()
    reason = unavailable()
    if reason:
        sys.exit(reason)
    low, high = (float(x) for x in args.crash_after.split(","))
    opt = Options(args.archive_timeout, (low, high), not args.no_fsync, args.seed)
    host = Host()
    template = Cluster(host.root / "template", free_port())
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{template.port}/{DBNAME}"
    from _setup import django_on_postgres

    django_on_postgres()
    results = []
    try:
        started = time.monotonic()
        national = _template(host, template)
        version = host.run(PG_BIN / "postgres", "--version").strip()
        print(f"template (initdb, migrate, reference data): {time.monotonic() - started:.1f} s; "
              f"{version}; archive_timeout {opt.archive_timeout} s; crash after "
              f"{low:g}-{high:g} s; fsync {'on' if opt.fsync else 'off'}")  # fmt: skip
        for n in range(1, args.rounds + 1):
            r = drill_round(host, n, template, national, opt)
            results.append(r)
            print(
                f"round {n}: crash after {r['crash_in']:.1f} s of load "
                f"(WAL {r['wal_mb_s']:.2f} MB/s)\n"
                f"  acknowledged {r['acknowledged']} reports + {r['disposals']} dispositions; "
                f"lost {r['lost']} + {r['lost_disposals']}\n"
                f"  RPO {r['rpo_last']:.1f} s (crash - last recovered acknowledged report); "
                f"oldest lost {r['rpo_oldest_lost']:.1f} s; newest archived segment "
                f"{r['archive_age']:.1f} s before the crash\n"
                f"  RTO {r['rto']:.1f} s = copy {r['copy']:.1f} + start/replay/promote "
                f"{r['replay']:.1f} ({r['segments']} segments) + audit verify "
                f"{r['verify']:.1f}; base backup took {r['base_backup']:.1f} s\n"
                f"  {r['audit']}; track page HTTP {r['page']}; new report {r['new_report']}\n"
                f"  server: last completed transaction {r['last_transaction']}; the load's "
                f"first error: {(r['errors'] or ['none'])[0]}"
            )
    finally:
        host.close()
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(f"\n{len(results)} rounds, load {load}            min  median     max")
    for key, label in (("acknowledged", "acknowledged reports"), ("lost", "lost reports"),
                       ("lost_disposals", "lost dispositions"), ("rpo_last", "RPO s (last)"),
                       ("rpo_oldest_lost", "RPO s (oldest lost)"),
                       ("archive_age", "archive age at crash s"), ("base_backup", "base backup s"),
                       ("copy", "copy s"), ("replay", "replay s"), ("verify", "audit verify s"),
                       ("rto", "RTO s"), ("wal_mb_s", "WAL written MB/s")):  # fmt: skip
        print(f"  {label:28} {_stats([float(r[key]) for r in results])}")


if __name__ == "__main__":
    main()
