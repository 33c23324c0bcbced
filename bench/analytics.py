"""Rollups and dashboards on PostgreSQL: the fill's rate, and the dashboard pages beside a
trivial page, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_analytics \\
        .venv/bin/python bench/analytics.py [--generate 100000] [--rounds 5]

``--generate N`` first loads N reports with their histories (``bench/generate.py``, which empties
the report tables: use a benchmark database). Then:

1. The fill from scratch (the four analytics tables emptied): events per second of each batch
   (min/median/max), beside the calibration of reading the same events alone (the query the fill
   starts each batch with, without any work).
2. The dashboard pages in process (Django's test client: no HTTP, no queueing), each built from
   the rollups on every request (cache emptied before each: the worst case) and served from the
   cache, beside a trivial page of the same site (``/data/``, a template and no query): requests
   per second per round and the ratio to the trivial page, min/median/max over the rounds, and
   the p95 latency of a cold build.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, django_on_postgres, prepare


def spread(values: list[float], places: int = 1) -> str:
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"{low:,.{places}f} / {mid:,.{places}f} / {high:,.{places}f}"


def bench_fill(batch: int) -> None:
    from django.db import connection

    from lapor.analytics import fill as fill_module
    from lapor.reports.models import ReportEvent

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE analytics_reportfact, analytics_dailycount, analytics_currentcount, "
            "analytics_fillcursor"
        )
    total = ReportEvent.objects.count()
    rates: list[float] = []
    reads: list[float] = []
    done = 0
    started = time.perf_counter()
    while True:
        day = fill_module.pending_day()
        if day is None:
            break
        # calibration: the same events read alone
        t0 = time.perf_counter()
        n = len(
            list(
                ReportEvent.objects.filter(day=day)
                .order_by("stripe", "day_seq")
                .only(*fill_module.EVENT_FIELDS)[:batch]
            )
        )
        reads.append(n / (time.perf_counter() - t0))
        t0 = time.perf_counter()
        result = fill_module.fill(batch_size=batch, max_batches=1)
        if result.events == 0:
            break
        rates.append(result.events / (time.perf_counter() - t0))
        done += result.events
    elapsed = time.perf_counter() - started
    with connection.cursor() as cur:
        cur.execute("ANALYZE analytics_dailycount, analytics_currentcount, analytics_reportfact")
        cur.execute("SELECT count(*) FROM analytics_dailycount")
        rows = cur.fetchone()[0]  # type: ignore[index]
    print(f"\n## Fill from scratch: {done:,} of {total:,} events, {len(rates)} batches of {batch}")
    print(f"- whole fill: {elapsed:,.1f} s, {done / elapsed:,.0f} events/s; {rows:,} daily rows")
    print(f"- fill, events/s per batch (min/median/max): {spread(rates)}")
    print(f"- calibration, the same events only read, events/s: {spread(reads)}")
    ratios = [r / c for r, c in zip(rates, reads, strict=False)]
    print(f"- ratio fill / read (min/median/max): {spread(ratios, 3)}")


def bench_pages(rounds: int, requests: int) -> None:
    from django.core.cache import cache
    from django.test import Client

    from lapor.agencies.models import Agency
    from lapor.analytics.models import DailyCount

    busiest_agency = (
        DailyCount.objects.exclude(agency=0)
        .values_list("agency", flat=True)
        .order_by("-value")
        .first()
    )
    agency_code = Agency.objects.get(pk=busiest_agency).code if busiest_agency else ""
    kab = (
        DailyCount.objects.exclude(kabkota="")
        .order_by("-value")
        .values_list("kabkota", flat=True)
        .first()
    )
    pages = {
        "national": "/dasbor/",
        "province": f"/dasbor/provinsi/{(kab or '33')[:2]}/",
        "kabupaten/kota": f"/dasbor/wilayah/{kab}/",
        "agency": f"/dasbor/instansi/{agency_code}/",
        "open data JSON (national)": "/api/v1/data/nasional/",
    }
    client = Client()
    calibration = "/data/"

    def rate(url: str, cold: bool) -> tuple[float, list[float]]:
        times = []
        for _ in range(requests):
            if cold:
                cache.clear()
            t0 = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - t0)
            assert response.status_code == 200, (url, response.status_code)
        return requests / sum(times), times

    print(f"\n## Pages in process: {rounds} rounds of {requests} requests each")
    print(
        "| page | cold req/s | ratio to trivial | cold p95 ms | cached req/s | ratio to trivial |"
    )
    print("|---|---|---|---|---|---|")
    base = [rate(calibration, cold=False)[0] for _ in range(rounds)]
    print(f"| trivial page `/data/` | {spread(base)} | 1 | | | |")
    for name, url in pages.items():
        cold, warm, cold_ratio, warm_ratio, lat = [], [], [], [], []
        for _ in range(rounds):
            calib = rate(calibration, cold=False)[0]  # in the same round, beside the page
            c, times = rate(url, cold=True)
            w, _ = rate(url, cold=False)
            cold.append(c)
            warm.append(w)
            cold_ratio.append(c / calib)
            warm_ratio.append(w / calib)
            lat += times
        p95 = sorted(lat)[max(int(len(lat) * 0.95) - 1, 0)] * 1000
        print(
            f"| {name} `{url}` | {spread(cold)} | {spread(cold_ratio, 3)} | {p95:,.1f} | "
            f"{spread(warm)} | {spread(warm_ratio, 3)} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generate", type=int, default=0, help="load this many reports first")
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--skip-fill", action="store_true", help="pages only (rollups filled)")
    args = parser.parse_args()
    if args.generate:
        subprocess.run(
            [sys.executable, str(ROOT / "bench/generate.py"), "--reports", str(args.generate)],
            check=True,
        )
    django_on_postgres()
    prepare()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    if not args.skip_fill:
        bench_fill(args.batch)
    bench_pages(args.rounds, args.requests)


if __name__ == "__main__":
    main()
