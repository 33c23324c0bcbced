"""Reports per second through ``report_submit`` with 1, 2, 4 and 8 processes, beside a trivial
transaction, with lock waits sampled; alone and while a bulk disposition runs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_bench \\
        .venv/bin/python bench/submit.py [--processes 1,2,4,8] [--seconds 8] [--rounds 3]
        [--bulk 500] [--bulk-processes 8]

Each submit is the real one: validation, SLA policy, the row, its first hash-chained event
(a stripe head of the day chain locked), the reporter's notification and the routing task
enqueued, in its own transaction. Each process has its own database connection and submits
for ``--seconds``; reports/s is all processes' submits over the wall time.

Calibration, in the same round and with the same number of processes: a trivial transaction
(``BEGIN; SELECT 1; COMMIT``) per loop on the same server. The ratio submits/trivial is what
compares across runs and machines; the absolute numbers depend on the machine's load.

Lock waits: while the submits run, the parent samples ``pg_stat_activity`` every 20 ms and
counts the benchmark's backends waiting on a lock (``wait_event_type = 'Lock'``), and among them
those whose statement touches an audit head (``audit`` in the query text: the day head before
striping, a stripe head after).

``--bulk N``: N reports are put in the national triage queue first; then an officer's bulk
disposition (``report_dispose`` for each, one transaction each, as the back office's bulk form
does) runs beside ``--bulk-processes`` submitting processes; the submit rate while it runs and
the time the disposition took are printed.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on_postgres, officers, prepare

SAMPLE_EVERY = 0.02
BULK_WINDOW = 60.0  # seconds the submitters run beside a bulk disposition


def _submit_for(seconds: float, seed: int, start_at: float) -> int:
    """Submit guest reports until ``seconds`` after ``start_at`` (wall clock); how many."""
    return len(_submit_times(seconds, seed, start_at))


def _submit_times(seconds: float, seed: int, start_at: float) -> list[float]:
    """Submit guest reports until ``seconds`` after ``start_at``; when each one committed."""
    import random

    from django.db import connection

    from lapor.categories.models import Category
    from lapor.demo import places, texts
    from lapor.regions.models import Region
    from lapor.reports.services import report_submit

    connection.close()  # a fresh connection of this process's own
    rng = random.Random(seed)
    regions = list(Region.objects.filter(level=Region.Level.KABUPATEN_KOTA))
    categories = list(Category.objects.filter(parent__isnull=False))
    topics = texts.TOPICS
    time.sleep(max(0.0, start_at - time.time()))
    times: list[float] = []
    end = start_at + seconds
    while time.time() < end:
        topic = rng.choice(topics)
        region = rng.choice(regions)
        name = places.person(rng)
        report_submit(
            type="pengaduan",
            title=texts.fill(rng.choice(topic.titles), rng, wilayah=region.name),
            body=texts.fill(rng.choice(topic.bodies), rng, wilayah=region.name),
            region=region, channel="web", category=rng.choice(categories),
            contact_name=name, contact_email=places.email_for(name, rng),
        )  # fmt: skip
        times.append(time.time())
    connection.close()
    return times


def _trivial_for(seconds: float, _seed: int, start_at: float) -> int:
    """The calibration: trivial transactions on the same server until the end; how many."""
    from django.db import connection, transaction

    connection.close()
    connection.ensure_connection()
    time.sleep(max(0.0, start_at - time.time()))
    done, end = 0, start_at + seconds
    while time.time() < end:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        done += 1
    connection.close()
    return done


def _dispose_all(ids: list[int], actor_id: int, agency_id: int, start_at: float) -> float:
    """The bulk disposition: each report disposed in its own transaction; the seconds taken."""
    from django.db import connection

    from lapor.accounts.models import User
    from lapor.agencies.models import Agency
    from lapor.reports.models import Report
    from lapor.reports.services import report_dispose

    connection.close()
    actor = User.objects.get(pk=actor_id)
    agency = Agency.objects.get(pk=agency_id)
    time.sleep(max(0.0, start_at - time.time()))
    started = time.perf_counter()
    for report in Report.objects.filter(pk__in=ids).order_by("pk"):
        report_dispose(report=report, to_agency=agency, actor=actor)
    seconds = time.perf_counter() - started
    connection.close()
    return seconds


class Sampler(threading.Thread):
    """Samples the benchmark database's backends in ``pg_stat_activity``."""

    def __init__(self, dsn: dict[str, Any]) -> None:
        super().__init__(daemon=True)
        self.dsn = dsn
        self.stop = threading.Event()
        self.samples = 0
        self.busy = 0  # backend-samples in an active statement or transaction
        self.lock_waits = 0
        self.audit_waits = 0

    def run(self) -> None:
        import psycopg

        with psycopg.connect(**self.dsn, autocommit=True) as conn:
            while not self.stop.is_set():
                rows = conn.execute(
                    "SELECT state, wait_event_type, query FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND backend_type = 'client backend'"
                ).fetchall()
                self.samples += 1
                for state, wait_type, query in rows:
                    if state in ("active", "idle in transaction"):
                        self.busy += 1
                    if wait_type == "Lock":
                        self.lock_waits += 1
                        if "audit" in (query or "").lower():
                            self.audit_waits += 1
                time.sleep(SAMPLE_EVERY)


def _dsn() -> dict[str, Any]:
    from django.db import connection

    params = connection.get_connection_params()
    return {k: v for k, v in params.items() if k in {"dbname", "user", "host", "port", "password"}}


def _run(work: Any, processes: int, seconds: float, seed: int) -> tuple[int, float, Sampler]:
    sampler = Sampler(_dsn())
    start_at = time.time() + 1.5  # every process connected and loaded before the start
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        pending = pool.starmap_async(
            work, [(seconds, seed + i, start_at) for i in range(processes)]
        )
        time.sleep(max(0.0, start_at - time.time()))
        sampler.start()
        counts = pending.get()
        sampler.stop.set()
    sampler.join()
    return sum(counts), seconds, sampler


def _summary(values: list[float]) -> str:
    return f"{min(values):,.1f} / {statistics.median(values):,.1f} / {max(values):,.1f}"


def _triage_queue(count: int) -> list[int]:
    """``count`` fresh reports waiting in the national triage queue."""
    from lapor.reports.services import report_send_to_triage

    ids = []
    for i in range(count):
        report = _one_report(i)
        report_send_to_triage(report=report)
        ids.append(report.pk)
    return ids


def _one_report(i: int) -> Any:
    from lapor.regions.models import Region
    from lapor.reports.services import report_submit

    region = Region.objects.filter(level=Region.Level.KABUPATEN_KOTA).order_by("pk")[i % 50]
    return report_submit(
        type="pengaduan",
        title=f"Jalan berlubang nomor {i} di dekat pasar",
        body="Jalan berlubang besar di depan pasar sejak dua bulan, membahayakan pengendara.",
        region=region,
        channel="web",
        contact_name="Siti Aminah",
        contact_email=f"warga{i}@contoh.id",
    ).report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", default="1,2,4,8", help="comma-separated")
    parser.add_argument("--seconds", type=float, default=8.0, help="per measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--bulk", type=int, default=500, help="reports disposed (0: none)")
    parser.add_argument("--bulk-processes", type=int, default=8)
    args = parser.parse_args()
    django_on_postgres()
    prepare()
    from django.db import connection

    counts = [int(p) for p in args.processes.split(",")]
    print(f"{'procs':>5} {'round':>5} {'submits/s':>10} {'trivial/s':>10} {'ratio':>7} "
          f"{'lock-wait share':>15} {'audit-wait share':>16}")  # fmt: skip
    table: dict[int, list[tuple[float, float, float, float]]] = {}
    for rnd in range(1, args.rounds + 1):
        for n in counts:
            connection.close()
            done, seconds, s = _run(_submit_for, n, args.seconds, 1000 * rnd + 10 * n)
            trivial, _, _ = _run(_trivial_for, n, args.seconds, 0)
            rate, base = done / seconds, trivial / seconds
            waits = s.lock_waits / max(1, s.busy)
            audit = s.audit_waits / max(1, s.busy)
            table.setdefault(n, []).append((rate, base, rate / base, audit))
            print(f"{n:>5} {rnd:>5} {rate:>10,.1f} {base:>10,.0f} {rate / base:>7.4f} "
                  f"{waits:>15.1%} {audit:>16.1%}")  # fmt: skip
    print("\nmin / median / max over the rounds")
    for n, rows in table.items():
        print(
            f"{n} process(es): submits/s {_summary([r[0] for r in rows])}; "
            f"ratio to trivial {_summary([1000 * r[2] for r in rows])} per mille; "
            f"audit-head waits {_summary([100 * r[3] for r in rows])} % of busy samples"
        )
    if args.bulk:
        _bulk(args)


def _bulk(args: argparse.Namespace) -> None:
    from django.db import connection

    from lapor.agencies.models import Agency

    national, _admins = officers()
    agency = Agency.objects.filter(kind=Agency.Kind.REGENCY, accepts_reports=True).first()
    assert agency is not None
    n = args.bulk_processes
    print(f"\nbulk disposition of {args.bulk} reports beside {n} submitting processes")
    rates, alone_rates, bulk_seconds = [], [], []
    for rnd in range(1, args.rounds + 1):
        ids = _triage_queue(args.bulk)
        connection.close()
        sampler = Sampler(_dsn())
        start_at = time.time() + 1.5
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(n + 1) as pool:
            bulk = pool.apply_async(_dispose_all, (ids, national, agency.pk, start_at))
            # Submitters run longer than the disposition; only what they committed while it
            # ran counts.
            submits = pool.starmap_async(
                _submit_times, [(BULK_WINDOW, 7000 + rnd * 10 + i, start_at) for i in range(n)]
            )
            time.sleep(max(0.0, start_at - time.time()))
            sampler.start()
            took = bulk.get()
            sampler.stop.set()
            times = [t for each in submits.get() for t in each]
        sampler.join()
        window = min(took, BULK_WINDOW)
        rate = sum(1 for t in times if t <= start_at + window) / window
        alone, seconds, _s = _run(_submit_for, n, args.seconds, 9000 + rnd)
        rates.append(rate)
        alone_rates.append(alone / seconds)
        bulk_seconds.append(took)
        print(
            f"round {rnd}: disposition {took:.1f} s ({args.bulk / took:,.1f} reports/s); "
            f"submits {rate:,.1f}/s while it ran, "
            f"{alone / seconds:,.1f}/s alone; audit-head waits "
            f"{sampler.audit_waits / max(1, sampler.busy):.1%} of busy samples"
        )
    print(
        f"min / median / max: disposition {_summary(bulk_seconds)} s; submits beside it "
        f"{_summary(rates)}/s; alone {_summary(alone_rates)}/s"
    )


if __name__ == "__main__":
    main()
