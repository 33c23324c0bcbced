"""Rollups and dashboards on PostgreSQL: the fill's rate, and the dashboard pages beside a
trivial page, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_analytics \\
        .venv/bin/python bench/analytics.py [--generate 100000] [--rounds 5] [--rebuild]
        [--append 60000] [--compare-head /tmp/wt-analytics-scale --events 20000]
        [--scale 10] [--skip-fill]

``--generate N`` first loads N reports with their histories (``bench/generate.py``, which empties
the report tables: use a benchmark database). Then:

1. The day-by-day fill from scratch (the analytics tables emptied; ``--skip-fill`` skips it):
   events per second of each batch (min/median/max), beside the calibration of reading the same
   events alone.
   ``--rebuild`` times the rebuild instead (``start_rebuild`` and the fills that count the
   snapshot report by report), each range beside reading its events alone.
2. ``--append N``: N more generated reports with their whole histories, written as stripe 1 of
   their days (the generated history uses stripe 0), then the day-by-day catch-up timed.
3. ``--compare-head TREE --events E``: the day-by-day fill of the first E events by the code in
   TREE (a ``git worktree`` of the previous commit) and by this one, alternately, 3 rounds.
4. ``--scale K``: the rollups as K times the reports would fill them: every fact copied K - 1
   times, a finished one shifted by a random whole number of days within the year (durations
   kept; open ones keep their recent times),
   its category, type and channel, and its place (province, kabupaten/kota, agency), drawn
   again from the facts' own mix; the counts then made from all the facts by the rebuild's own
   last step (``analytics.recount``). ``--check-sql`` first checks that step against the
   counts the fill added in Python.
5. The dashboard pages in process (Django's test client: no HTTP, no queueing), each built from
   the rollups on every request (cache emptied before each: the worst case) and served from the
   cache, beside a trivial page of the same site (``/data/``, a template and no query) in the
   same round: p50/p95/max latency and the ratio to the trivial page (median, and the cold
   requests' min / max). Also the ranking (``/dasbor/peringkat/``), the home page and the
   policy report's content for last month (``content.build``, national and the busiest province:
   timed as a call, the report being archived once a month). ``--pages ranking,policy`` times
   only the pages whose name holds one of the words.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, django_on_postgres, prepare

ANALYTICS_TABLES = (
    "analytics_reportfact, analytics_dailycount, analytics_currentcount, analytics_scopecount, "
    "analytics_fillcursor"
)


def spread(values: list[float], places: int = 1) -> str:
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"{low:,.{places}f} / {mid:,.{places}f} / {high:,.{places}f}"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * q), len(ordered) - 1)]


def load() -> str:
    return Path("/proc/loadavg").read_text().split(" ")[0]


def sql(statement: str) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(statement)
        return cur.fetchall() if cur.description else []


def sizes() -> str:
    rows = sql(
        "SELECT relname, n_live_tup FROM pg_stat_user_tables WHERE relname IN "
        "('analytics_reportfact', 'analytics_dailycount', 'analytics_currentcount', "
        "'analytics_scopecount') ORDER BY relname"
    )
    total = sql(
        "SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_class c "
        "WHERE relname LIKE 'analytics_%' AND relkind = 'r'"
    )[0][0]
    return ", ".join(f"{name[10:]} {n:,}" for name, n in rows) + f" rows; {total} on disk"


def bench_fill(batch: int) -> None:
    """The day-by-day fill from empty rollups."""
    from lapor.analytics import fill as fill_module
    from lapor.reports.models import ReportEvent

    sql(f"TRUNCATE {ANALYTICS_TABLES}")
    total = ReportEvent.objects.count()
    rates: list[float] = []
    reads: list[float] = []
    done = 0
    started = time.perf_counter()
    while True:
        day = fill_module.pending_day()
        if day is None:
            break
        t0 = time.perf_counter()
        n = len(
            list(
                ReportEvent.objects.filter(day=day)
                .order_by("stripe", "day_seq")
                .values_list(*fill_module.EVENT_FIELDS)[:batch]
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
    sql("ANALYZE analytics_dailycount, analytics_currentcount, analytics_scopecount")
    print(f"\n## Day-by-day fill from scratch: {done:,} of {total:,} events (load {load()})")
    print(f"- whole fill: {elapsed:,.1f} s, {done / elapsed:,.0f} events/s; {sizes()}")
    print(f"- fill, events/s per batch of {batch} (min/median/max): {spread(rates)}")
    print(f"- calibration, the same events only read, events/s: {spread(reads)}")
    ratios = [r / c for r, c in zip(rates, reads, strict=False)]
    print(f"- ratio fill / read (min/median/max): {spread(ratios, 3)}")


def bench_rebuild(batch: int, limit: int = 0) -> None:
    """``start_rebuild`` and the fills that count the snapshot, each range beside a read
    (``limit``: stop after about that many reports, the rebuild left unfinished)."""
    from lapor.analytics import fill as fill_module
    from lapor.reports.models import ReportEvent

    total = ReportEvent.objects.count()
    started = time.perf_counter()
    assert fill_module.start_rebuild()
    start_seconds = time.perf_counter() - started
    rates: list[float] = []
    reads: list[float] = []
    done = 0
    width = max(batch // fill_module.EVENTS_PER_REPORT, 1)
    halfway: tuple[int, float] | None = None
    while True:
        progress = fill_module.rebuild_progress()
        if progress is None or (limit and len(rates) * width >= limit):
            break
        t0 = time.perf_counter()
        n = len(
            ReportEvent.objects.filter(
                report_id__gt=progress[0], report_id__lte=progress[0] + width
            )
            .order_by("report_id", "seq")
            .values_list(*fill_module.EVENT_FIELDS)
        )
        reads.append(n / (time.perf_counter() - t0))
        t0 = time.perf_counter()
        result = fill_module.fill(batch_size=batch, max_batches=1)
        rates.append(result.events / (time.perf_counter() - t0))
        done += result.events
        if not halfway and done * 2 >= total:
            halfway = (done, time.perf_counter() - started)
    elapsed = time.perf_counter() - started
    t0 = time.perf_counter()
    sql("ANALYZE analytics_reportfact, analytics_dailycount, analytics_currentcount, "
        "analytics_scopecount")  # fmt: skip
    print(f"\n## Rebuild: {done:,} of {total:,} events, {len(rates)} ranges (load {load()})")
    if progress is not None:
        print(f"- stopped after {len(rates) * width:,} reports (--rebuild-reports): unfinished")
    print(
        f"- whole rebuild: {elapsed:,.1f} s ({elapsed / 60:,.1f} min), {done / elapsed:,.0f} "
        f"events/s (emptying and snapshot {start_seconds:.1f} s; ANALYZE after it "
        f"{time.perf_counter() - t0:.1f} s); {sizes()}"
    )
    if halfway:
        print(f"- the first {halfway[0]:,} events (half) took {halfway[1]:,.1f} s; the rest "
              f"{elapsed - halfway[1]:,.1f} s")  # fmt: skip
    print(f"- rebuild, events/s per range of {width} reports (min/median/max): {spread(rates)}")
    print(f"- calibration, the same events only read, events/s: {spread(reads)}")
    ratios = [r / c for r, c in zip(rates, reads, strict=False)]
    print(f"- ratio rebuild / read (min/median/max): {spread(ratios, 3)}")


def bench_append(count: int, batch: int) -> None:
    """``count`` more generated reports as stripe 1 of their days, then the catch-up."""
    from datetime import UTC, datetime

    import generate as gen_module
    from _history import Generator
    from django.db import connection

    from lapor.analytics import fill as fill_module
    from lapor.reports.models import Report, ReportEvent

    assert fill_module.pending_day() is None, "fill the rollups first"
    national, admins = gen_module.officers()
    gen = Generator(rng=random.Random(count), now=datetime.now(UTC), places_=gen_module._places(),
                    categories=gen_module._categories(), policy=gen_module._policy(),
                    national=national, admins=admins, citizens=gen_module._citizens(), days=1,
                    overdue_share=0.02)  # fmt: skip
    first = (Report.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    gen.event_id = ReportEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    defaults = gen_module._defaults(Report)
    columns = list(defaults)
    rows: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    for pk in range(first, first + count):
        report, evs = gen.report(pk, open_=pk >= first + count * 0.9)
        rows.append(tuple(report.get(c, defaults[c]) for c in columns))
        events.extend((*ev, 1) for ev in evs)
    event_columns = ("id, report_id, seq, action, from_status, to_status, actor_id, actor_role, "
                     "agency_id, message, is_internal, data, created_at, prev_hash, hash, day, "
                     "day_seq, day_hash, stripe")  # fmt: skip
    raw = connection.connection
    with raw.cursor() as cur:
        with cur.copy(f"COPY reports_report ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        with cur.copy(f"COPY reports_reportevent ({event_columns}) FROM STDIN") as copy:
            for ev in events:
                copy.write_row(ev)
        heads = "COPY reports_auditstripehead (day, stripe, count, last_hash) FROM STDIN"
        with cur.copy(heads) as copy:
            for day, (n, last) in sorted(gen.chains.heads.items()):
                copy.write_row((day, 1, n, last))
        for table in ("reports_report", "reports_reportevent"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))")  # fmt: skip
        cur.execute("ANALYZE reports_report, reports_reportevent, reports_auditstripehead")
    raw.commit()
    days = len(gen.chains.heads)
    rates: list[float] = []
    done = 0
    started = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        result = fill_module.fill(batch_size=batch, max_batches=1)
        if result.events == 0:
            break
        rates.append(result.events / (time.perf_counter() - t0))
        done += result.events
    elapsed = time.perf_counter() - started
    print(f"\n## Catch-up: {count:,} new reports, {len(events):,} events over {days} days "
          f"(load {load()})")  # fmt: skip
    print(f"- counted {done:,} events in {elapsed:,.1f} s: {done / elapsed:,.0f} events/s")
    print(f"- events/s per batch of {batch} (min/median/max): {spread(rates)}")


HEAD_FILL = """
import os, sys, time
sys.path.insert(0, {tree!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
import django
django.setup()
import logging
logging.getLogger("lapor").setLevel(logging.ERROR)
from django.db import connection
from lapor.analytics import fill
with connection.cursor() as cur:
    cur.execute("TRUNCATE {tables}")
done, t0 = 0, time.perf_counter()
while done < {events}:
    r = fill.fill(batch_size=2000, max_batches=1)
    if not r.events:
        break
    done += r.events
print(done, time.perf_counter() - t0)
"""


def bench_compare(tree: str, events: int) -> None:
    """The day-by-day fill of the first ``events`` events: the code in ``tree`` and this one."""
    rates: dict[str, list[float]] = {"before": [], "after": []}
    for _ in range(3):
        for name, where in (("before", tree), ("after", str(ROOT))):
            code = HEAD_FILL.format(tree=where, tables=ANALYTICS_TABLES, events=events)
            out = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout.split()
            rates[name].append(int(out[-2]) / float(out[-1]))
    ratio = [a / b for a, b in zip(rates["after"], rates["before"], strict=True)]
    print(f"\n## Day-by-day fill of the first {events:,} events, 3 rounds (load {load()})")
    print(f"- before ({tree}), events/s: {spread(rates['before'])}")
    print(f"- after, events/s: {spread(rates['after'])}")
    print(f"- ratio after / before: {spread(ratio, 1)}")
    sql(f"TRUNCATE {ANALYTICS_TABLES}")


ROLLUPS = {
    "analytics_dailycount": "day, province, kabkota, agency, category, type, channel, metric, "
    "bucket, value",
    "analytics_currentcount": "province, kabkota, agency, category, type, channel, metric, "
    "bucket, value",
    "analytics_scopecount": "scope, grain, day, dim, key, metric, bucket, value",
}


def check_sql() -> None:
    """The rebuild's SQL counts (``analytics.recount``) of the stored facts against the counts
    the fill added in Python."""
    from django.db import transaction

    from lapor.analytics import recount

    for table, cols in ROLLUPS.items():
        sql(f"DROP TABLE IF EXISTS old_{table}")
        sql(f"CREATE TEMP TABLE old_{table} AS SELECT {cols} FROM {table} WHERE value <> 0")
    t0 = time.perf_counter()
    with transaction.atomic():
        recount.counts_from_facts()
    seconds = time.perf_counter() - t0
    print(f"\n## The rebuild's SQL counts against the fill's (made in {seconds:,.1f} s)")
    for table, cols in ROLLUPS.items():
        mine = f"SELECT {cols} FROM {table}"
        old = f"SELECT {cols} FROM old_{table}"
        a = sql(f"SELECT count(*) FROM ({mine} EXCEPT {old}) d")[0][0]
        b = sql(f"SELECT count(*) FROM ({old} EXCEPT {mine}) d")[0][0]
        n = sql(f"SELECT count(*) FROM {table}")[0][0]
        print(f"- {table}: {n:,} rows; {a} + {b} differ")


def bench_scale(factor: int) -> None:
    """Rollups as ``factor`` times the facts would fill them (module docstring, 4)."""
    t0 = time.perf_counter()
    sql("DROP TABLE IF EXISTS mix, place")
    sql(
        "CREATE TEMP TABLE mix AS SELECT row_number() OVER () AS n, category, type, channel "
        "FROM (SELECT category, type, channel FROM analytics_reportfact "
        "WHERE NOT confidential ORDER BY random() LIMIT 100000) m"
    )
    sql(
        "CREATE TEMP TABLE place AS SELECT row_number() OVER () AS n, province, kabkota, agency "
        "FROM (SELECT province, kabkota, agency FROM analytics_reportfact "
        "WHERE NOT confidential ORDER BY random() LIMIT 100000) m"
    )
    mixes = sql("SELECT count(*) FROM mix")[0][0]
    places = sql("SELECT count(*) FROM place")[0][0]
    columns = (
        "report_id, seq, province, kabkota, agency, category, type, channel, confidential, "
        "status, submitted_at, first_answer_at, answered_in_sla, finished_at, rated_at, rating, "
        "reopened, not_authority, overdue, was_overdue"
    )
    shift = "make_interval(days => s.d)"
    # The draws below must be made per copied row. With Memoize, PostgreSQL caches the first
    # lateral subquery per value of its parameters (the fact's status and k), so every copy k of
    # a status got one shift, one category mix and one place (85 of each at 100,000 facts x 10).
    sql("SET enable_memoize = off")
    sql(
        f"INSERT INTO analytics_reportfact ({columns}) SELECT f.report_id + k * 100000000, "
        "f.seq, pl.province, pl.kabkota, pl.agency, m.category, m.type, m.channel, "
        f"f.confidential, f.status, f.submitted_at + {shift}, f.first_answer_at + {shift}, "
        f"f.answered_in_sla, f.finished_at + {shift}, f.rated_at + {shift}, f.rating, "
        "f.reopened, f.not_authority, f.overdue, f.was_overdue "
        f"FROM analytics_reportfact f CROSS JOIN generate_series(1, {factor - 1}) k "
        "CROSS JOIN LATERAL (SELECT CASE WHEN f.status IN ('completed', 'closed') "
        "THEN floor(random() * 365 + k * 0)::int - 182 ELSE 0 END AS d, "
        f"1 + floor(random() * {mixes} + k * 0)::int AS pick, "
        f"1 + floor(random() * {places} + k * 0)::int AS at) s0 "
        "CROSS JOIN LATERAL (SELECT CASE WHEN f.submitted_at + make_interval(days => s0.d) > "
        "now() - interval '60 days' THEN s0.d - 365 WHEN f.submitted_at + "
        "make_interval(days => s0.d) < now() - interval '425 days' THEN s0.d + 365 "
        "ELSE s0.d END AS d, s0.pick, s0.at) s "
        "JOIN mix m ON m.n = s.pick JOIN place pl ON pl.n = s.at"
    )
    sql("RESET enable_memoize")
    sql("ANALYZE analytics_reportfact")
    copied = time.perf_counter() - t0
    facts = sql("SELECT count(*) FROM analytics_reportfact")[0][0]
    from django.db import transaction

    from lapor.analytics import recount

    t0 = time.perf_counter()
    with transaction.atomic():
        recount.counts_from_facts()
    seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    sql("ANALYZE analytics_reportfact, analytics_dailycount, analytics_currentcount, "
        "analytics_scopecount")  # fmt: skip
    print(f"\n## Rollups of {facts:,} facts ({factor} x; load {load()})")
    print(
        f"- facts copied in {copied:,.1f} s; the rebuild's last step (all counts from all the "
        f"facts, ``recount``) {seconds:,.1f} s; ANALYZE {time.perf_counter() - t0:,.1f} s; "
        f"{sizes()}"
    )


def bench_pages(rounds: int, requests: int, only: list[str] | None = None) -> None:
    from django.core.cache import cache
    from django.test import Client

    from lapor.agencies.models import Agency
    from lapor.analytics.models import ScopeCount

    def busiest(prefix: str) -> str:
        row = sql(
            "SELECT scope FROM analytics_scopecount WHERE scope LIKE %s AND metric = 'submitted' "
            "AND grain = 'm' AND dim = '' GROUP BY scope ORDER BY sum(value) DESC LIMIT 1".replace(
                "%s", f"'{prefix}:%'"
            )
        )
        return row[0][0].split(":", 1)[1]

    agency_code = Agency.objects.get(pk=int(busiest("a"))).code
    kab = busiest("k")
    province = busiest("p")
    from lapor.analytics.policy_report import content

    last_month = (content.selectors.today().replace(day=1) - timedelta(days=1)).replace(day=1)
    pages: dict[str, Any] = {
        "national": "/dasbor/",
        "national, map by SLA": "/dasbor/?ukuran=sla",
        "province": f"/dasbor/provinsi/{province}/",
        "kabupaten/kota": f"/dasbor/wilayah/{kab}/",
        "agency": f"/dasbor/instansi/{agency_code}/",
        "open data JSON (national)": "/api/v1/data/nasional/",
        "open data CSV (province)": f"/api/v1/data/provinsi/{province}/?format=csv",
        "ranking": "/dasbor/peringkat/",
        "home": "/",
        # The policy report is archived once a month, so it is timed as its content's build
        # (every figure of the month, national or one province), not as a page request.
        "policy report content (national)": lambda: content.build(last_month, ""),
        "policy report content (province)": lambda: content.build(last_month, province),
    }
    if only:
        pages = {name: url for name, url in pages.items() if any(o in name for o in only)}
    rows = ScopeCount.objects.count()
    client = Client()
    calibration = "/data/"

    def timed(url: Any, cold: bool) -> list[float]:
        times = []
        for _ in range(requests):
            if cold:
                cache.clear()
            t0 = time.perf_counter()
            if callable(url):
                url()
            else:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
            times.append(time.perf_counter() - t0)
        return times

    print(
        f"\n## Pages in process: {rounds} rounds of {requests} requests each, "
        f"{rows:,} per-scope rows (load {load()})"
    )
    print(
        "| page | cold p50 / p95 / max ms | cold / trivial (median) | cached p50 / p95 / max ms "
        "| cached / trivial (median) |"
    )
    print("|---|---|---|---|---|")
    base: list[float] = []
    for _ in range(rounds):
        base += timed(calibration, cold=False)
    b50 = statistics.median(base)
    print(
        f"| trivial page `/data/` | | | {b50 * 1000:,.1f} / {pct(base, 0.95) * 1000:,.1f} / "
        f"{max(base) * 1000:,.1f} | 1 |"
    )
    for name, url in pages.items():
        cold: list[float] = []
        warm: list[float] = []
        calib: list[float] = []
        for _ in range(rounds):
            calib += timed(calibration, cold=False)  # in the same round, beside the page
            cold += timed(url, cold=True)
            warm += timed(url, cold=False)
        c50 = statistics.median(calib)

        def line(times: list[float]) -> str:
            return (
                f"{statistics.median(times) * 1000:,.1f} / {pct(times, 0.95) * 1000:,.1f} / "
                f"{max(times) * 1000:,.1f}"
            )

        shown = "(function)" if callable(url) else f"`{url}`"
        ratios = [t / c50 for t in cold]
        print(
            f"| {name} {shown} | {line(cold)} | {statistics.median(cold) / c50:,.1f} "
            f"({min(ratios):,.1f} / {max(ratios):,.1f}) | "
            f"{line(warm)} | {statistics.median(warm) / c50:,.1f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generate", type=int, default=0, help="load this many reports first")
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--skip-fill", action="store_true", help="pages only (rollups filled)")
    parser.add_argument("--rebuild", action="store_true", help="time the rebuild")
    parser.add_argument("--rebuild-reports", type=int, default=0, help="stop it after N")
    parser.add_argument("--append", type=int, default=0, help="catch-up of N new reports")
    parser.add_argument("--compare-head", default="", help="a worktree of the previous code")
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--scale", type=int, default=0, help="rollups of K x the reports")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument(
        "--pages", default="", help="only the pages whose name holds one of these, comma-separated"
    )
    parser.add_argument("--check-sql", action="store_true", help="SQL sums against the fill's")
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
    if args.compare_head:
        bench_compare(args.compare_head, args.events)
    if args.rebuild:
        bench_rebuild(args.batch, args.rebuild_reports)
    elif not args.skip_fill:
        bench_fill(args.batch)
    if args.append:
        bench_append(args.append, 10_000)  # the periodic job's batch (fill.BATCH)
    if args.check_sql:
        check_sql()
    if args.scale:
        bench_scale(args.scale)
    if not args.skip_pages:
        bench_pages(args.rounds, args.requests, [p for p in args.pages.split(",") if p])


if __name__ == "__main__":
    main()
