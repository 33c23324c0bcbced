"""The public map's data endpoint (``/laporan/peta/data/``) beside a trivial view, in process.

Makes ``--reports`` reports (copies of one, see ``grow``), gives ``--share`` of them a random
point inside Indonesia's frame (once;
``--reset`` again), runs ANALYZE, then per round times, with Django's test client and the cache
emptied before each request (the uncached, worst case): the trivial view (``/healthz``), the
whole country (300 pins, the map's first load), a city-sized box (0.2°) and the same box filtered
by province; then the same country request served from the cache. Prints min / median / max per
request over ``--rounds`` rounds of ``--requests`` requests, and the ratio of medians to the
trivial view, with the load average.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_uxmap_bench \\
        .venv/bin/python bench/map_data.py --rounds 5
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from _setup import django_on_postgres, prepare


def grow(total: int) -> None:
    """At least ``total`` reports: one submitted through the service, copied in SQL with new
    tracking IDs, a random kabupaten/kota and 30 % rahasia (events are not needed here)."""
    from django.db import connection
    from django.utils import timezone

    from lapor.regions.models import Region
    from lapor.reports.models import Report
    from lapor.reports.services import report_submit

    have = Report.objects.count()
    if have >= total:
        return
    if not have:
        report_submit(
            type="pengaduan",
            title="Jalan rusak di depan pasar",
            body="Jalan di depan pasar berlubang besar sejak dua bulan, membahayakan pengendara.",
            region=Region.objects.get(code="33.21"),
            channel="web",
            contact_email="bench@contoh.id",
            at=timezone.now(),
        )
    columns = [
        f.column
        for f in Report._meta.concrete_fields
        if f.column not in ("id", "tracking_id", "region_id", "is_confidential", "submitted_at")
    ]
    cols = ", ".join(columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO reports_report (tracking_id, region_id, is_confidential, submitted_at, "
            f"{cols}) SELECT upper(substr(md5(random()::text || g), 1, 12)), "
            f"(SELECT code FROM regions_region WHERE level = 'kabupaten_kota' "
            f"ORDER BY random() + g * 0 LIMIT 1), random() < 0.3, "
            f"now() - random() * interval '365 days', {cols} "
            f"FROM reports_report, generate_series(1, %s) g WHERE reports_report.id = "
            f"(SELECT min(id) FROM reports_report)",
            [total - have],
        )


def located(share: float, reset: bool) -> int:
    from django.db import connection

    from lapor.reports.models import Report

    if reset:
        Report.objects.update(latitude=None, longitude=None)
    if not Report.objects.filter(latitude__isnull=False).exists():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE reports_report SET latitude = round((-11 + random() * 17)::numeric, 6),"
                " longitude = round((95 + random() * 46)::numeric, 6) WHERE random() < %s",
                [share],
            )
            cursor.execute("ANALYZE reports_report")
    return Report.objects.filter(latitude__isnull=False, is_confidential=False).count()


def timed(client, url: str, n: int, *, clear: bool) -> list[float]:  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    out = []
    for _ in range(n):
        if clear:
            cache.clear()
        start = time.perf_counter()
        response = client.get(url)
        out.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=200_000)
    parser.add_argument("--share", type=float, default=0.3)
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    django_on_postgres()
    prepare()
    from django.test import Client

    grow(args.reports)
    print(f"public reports with a point: {located(args.share, args.reset):,}")
    client = Client()
    urls = {
        "trivial (/healthz)": ("/healthz", True),
        "country, 300 pins": ("/laporan/peta/data/", True),
        "city box 0.2°": ("/laporan/peta/data/?bbox=110.3,-7.1,110.5,-6.9", True),
        "city box, province 33": ("/laporan/peta/data/?bbox=110.3,-7.1,110.5,-6.9&region=33", True),
        "country, cached": ("/laporan/peta/data/", False),
    }
    medians: dict[str, list[float]] = {name: [] for name in urls}
    for _ in range(args.rounds):
        for name, (url, clear) in urls.items():
            timed(client, url, 2, clear=clear)  # warm
            medians[name].append(statistics.median(timed(client, url, args.requests, clear=clear)))
    base = statistics.median(medians["trivial (/healthz)"])
    print(f"load average: {Path('/proc/loadavg').read_text().split()[:3]}")
    for name, values in medians.items():
        ms = [v * 1000 for v in values]
        print(
            f"{name:24} ms min {min(ms):7.2f} median {statistics.median(ms):7.2f} "
            f"max {max(ms):7.2f}  x{statistics.median(values) / base:6.1f} trivial"
        )


if __name__ == "__main__":
    main()
