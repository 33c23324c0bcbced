"""Duplicate lookup against 1,000,000 indexed reports on PostgreSQL (issues 5, 11: p95 < 20 ms).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_bench \\
        .venv/bin/python bench/duplicates_lookup.py [--queries 2000] [--refill]

1. Fills ``routing_duplicatesignature`` and ``routing_duplicateband`` for every report of the
   database (made by ``bench/generate.py``) from the reports' own title and body, by COPY in
   chunks, the band table's keys and indexes dropped during the load and made again after,
   then VACUUM ANALYZE. Skipped when every report is already indexed with the current
   ``minhash.SCHEME`` (``--refill`` forces it). Signatures are computed once per distinct
   text (the generated texts come from templates) and stored per report, as
   ``routing.duplicates.index_reports`` stores them, except that every report gets band rows:
   the service keeps them for open reports only (``routing.bands.prune_bands``), so this
   table is about ten times larger than production's for the same million reports (the
   issue's "1,000,000 open reports").
2. Times ``routing.duplicates.lookup`` for ``--queries`` texts, one process, after a warm-up:
   half are near-duplicates of open reports of the last 60 days (title and body with a
   greeting, two typos and a sign-off), half new texts (real LaporGub! complaints from
   ../shared, with a random kabupaten/kota). Two pools:
   - ``all``: every indexed report, whatever its status and age (``open_only=False``,
     ``window=None``): the issue's "against 1,000,000 reports" read literally;
   - ``portal``: what the citizen's form asks: public reports (``privacy.public_reports``),
     open, of the last 60 days.
   - ``portal, whole check``: the citizen's whole check as the portal calls it
     (``selectors.similar_open_reports``: the lookup, then the same-street pass of
     ``routing.nearby`` while fewer than five are found); ``--lookup-only`` leaves it out.
   Prints p50/p95/p99/max in ms, band candidates and confirmed matches per query, and how
   often a near-duplicate found a report with its original text; before each pool, the same
   process's trivial query (``SELECT 1``) as a calibration, and the p95's ratio to it.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on_postgres, prepare

TABLES = ("routing_duplicatesignature", "routing_duplicateband")
COMPLAINTS = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "complaints_laporgub_jateng_2018-02_to_05.csv"
)


def _constraints(cur) -> list[str]:  # type: ignore[no-untyped-def]
    """Drop the two tables' keys, constraints and indexes; return the statements that make
    them again (primary keys and indexes first, foreign keys last)."""
    cur.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype "
        "FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s) AND contype IN ('p','f','u')",
        [list(TABLES)],
    )
    constraints = sorted(cur.fetchall(), key=lambda c: c[3] == "f")
    cur.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
        [list(TABLES)],
    )
    indexes = cur.fetchall()
    for table, name, _, _kind in sorted(constraints, key=lambda c: c[3] != "f"):
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cur.execute(f'DROP INDEX "{name}"')
    make = [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d, k in constraints if k != "f"]
    return (
        make
        + [d for _, d in indexes]
        + [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d, k in constraints if k == "f"]
    )


def fill(chunk: int, last_n: int | None = None) -> None:
    from django.db import connection

    from lapor.routing.duplicates import places_in, province_of, report_text
    from lapor.routing.gazetteer import gazetteer
    from lapor.routing.minhash import SCHEME, bands, signed

    gaz = gazetteer()
    raw = connection.connection
    assert raw is not None
    t0 = time.perf_counter()
    with raw.cursor() as cur:
        cur.execute("TRUNCATE routing_duplicateband, routing_duplicatesignature")
        cur.execute("SET synchronous_commit = off")
        remake = _constraints(cur)
    raw.commit()
    texts: dict[tuple[str, str], tuple[bytes, int, str, object]] = {}
    keys: dict[tuple[int, str], list[int]] = {}
    last = done = n_bands = 0
    if last_n is not None:  # only the newest ``last_n`` reports (every open one is among them)
        with raw.cursor() as cur:
            cur.execute("SELECT coalesce(max(id), 0) FROM reports_report")
            row = cur.fetchone()
        last = max(0, (row[0] if row else 0) - last_n)
    while True:
        with raw.cursor() as cur:
            cur.execute(
                "SELECT id, title, body, coalesce(region_id, ''), submitted_at "
                "FROM reports_report WHERE id > %s ORDER BY id LIMIT %s",
                [last, chunk],
            )
            rows = cur.fetchall()
        if not rows:
            break
        last = rows[-1][0]
        sig_rows, band_rows = [], []
        for pk, title, body, region, submitted_at in rows:
            made = texts.get((title, body))
            if made is None:
                text = report_text(title, body)
                made_sig = signed(text)
                sig = made_sig.signature
                made = (sig.tobytes(), made_sig.size, places_in(text, gaz).stored(), sig)
                texts[(title, body)] = made
            raw_sig, size, places, sig = made
            province = province_of(region)
            cached = keys.get((id(sig), province))
            if cached is None:
                cached = sorted(set(bands(sig, province)))  # type: ignore[arg-type]
                keys[(id(sig), province)] = cached
            sig_rows.append((pk, raw_sig, size, SCHEME, places, region, submitted_at))
            band_rows.extend((k, submitted_at, pk) for k in cached)
        with raw.cursor() as cur:
            with cur.copy(
                "COPY routing_duplicatesignature "
                "(report_id, signature, shingles, scheme, places, region_code, submitted_at) "
                "FROM STDIN"
            ) as copy:
                for row in sig_rows:
                    copy.write_row(row)
            with cur.copy(
                "COPY routing_duplicateband (key, submitted_at, report_id) FROM STDIN"
            ) as copy:
                for band_row in band_rows:
                    copy.write_row(band_row)
        raw.commit()
        done += len(rows)
        n_bands += len(band_rows)
        elapsed = time.perf_counter() - t0
        print(
            f"  {done:>9,} reports, {n_bands:>11,} band rows, {elapsed:6.1f} s, "
            f"{len(texts):,} distinct texts",
            flush=True,
        )
    load = time.perf_counter() - t0
    t1 = time.perf_counter()
    with raw.cursor() as cur:
        for statement in remake:
            cur.execute(statement)
    raw.commit()
    index_seconds = time.perf_counter() - t1
    t2 = time.perf_counter()
    raw.autocommit = True
    with raw.cursor() as cur:
        cur.execute("VACUUM ANALYZE routing_duplicateband, routing_duplicatesignature")
        cur.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('routing_duplicateband')), "
            "pg_size_pretty(pg_total_relation_size('routing_duplicatesignature'))"
        )
        sizes = cur.fetchone()
    raw.autocommit = False
    print(
        f"filled {done:,} signatures and {n_bands:,} band rows: COPY {load:.1f} s, "
        f"keys and indexes {index_seconds:.1f} s, VACUUM ANALYZE {time.perf_counter() - t2:.1f} s"
    )
    assert sizes is not None
    print(f"table sizes with indexes: bands {sizes[0]}, signatures {sizes[1]}")


def _typos(text: str, rng: random.Random, n: int) -> str:
    chars = list(text)
    for _ in range(n):
        i = rng.randrange(1, len(chars) - 1)
        if chars[i].isalpha():
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


def queries(n: int, rng: random.Random) -> list[tuple[str, str, str, tuple[str, str] | None]]:
    """(kind, text, region code, original (title, body) or None) for ``n`` lookups."""
    from django.utils import timezone

    from lapor.reports.lifecycle import OPEN
    from lapor.reports.models import Report
    from lapor.reports.privacy import public_reports

    recent = timezone.now() - timedelta(days=60)
    eligible = list(
        public_reports()
        .filter(status__in=sorted(OPEN), submitted_at__gte=recent, region__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    picked = rng.sample(eligible, k=min(n // 2, len(eligible)))
    rows = Report.objects.in_bulk(picked)
    pool = [(rows[pk].title, rows[pk].body, rows[pk].region_id) for pk in picked]
    out: list[tuple[str, str, str, tuple[str, str] | None]] = []
    for title, body, region in pool:
        text = f"Selamat pagi pak. {_typos(title, rng, 1)}. {_typos(body, rng, 1)} Terima kasih"
        out.append(("near-duplicate", text, region, (title, body)))
    with COMPLAINTS.open(newline="", encoding="utf-8") as fh:
        real = [row["text"] for row in csv.DictReader(fh) if len(row["text"]) >= 20]
    regions = list(
        Report.objects.filter(region__level="kabupaten_kota")
        .values_list("region_id", flat=True)
        .distinct()
    )
    for _ in range(n - len(out)):
        out.append(("new", rng.choice(real), rng.choice(regions), None))
    rng.shuffle(out)
    return out


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _similar_open_reports(text: str, region_code: str, **_: object) -> list:  # type: ignore[type-arg]
    """The citizen's whole check (duplicates, then the same street), as the portal calls it."""
    from lapor.reports.selectors import similar_open_reports

    return similar_open_reports(region_code=region_code, title="", body=text)


def calibration(n: int = 500) -> float:
    """The same process's trivial query (``SELECT 1``, one round trip): its p95 in ms,
    printed beside each pool so that a pool's figures read as a ratio on a noisy machine."""
    from django.db import connection

    times = []
    with connection.cursor() as cursor:
        for _ in range(n):
            t = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            times.append((time.perf_counter() - t) * 1000)
    return pct(times, 95)


def measure(name: str, batch: list, kwargs: dict, whole: bool = False) -> None:  # type: ignore[type-arg]
    from lapor.reports.models import Report
    from lapor.routing.duplicates import lookup

    base = calibration()

    times: dict[str, list[float]] = {"near-duplicate": [], "new": []}
    candidates: dict[str, list[int]] = {"near-duplicate": [], "new": []}
    confirmed: dict[str, list[int]] = {"near-duplicate": [], "new": []}
    found = Counter()
    for kind, text, region, original in batch:
        stats: dict[str, int] = {}
        t = time.perf_counter()
        if whole:
            matches = _similar_open_reports(text, region)
        else:
            matches = lookup(text, region_code=region, stats=stats, **kwargs)
        times[kind].append((time.perf_counter() - t) * 1000)
        candidates[kind].append(stats.get("candidates", 0))
        confirmed[kind].append(stats.get("confirmed", 0))
        if kind == "near-duplicate" and matches:
            ids = [getattr(m, "report_id", None) or m.pk for m in matches]
            texts = set(Report.objects.filter(pk__in=ids).values_list("title", "body"))
            found["original text"] += original in texts
        elif kind == "new":
            found["new text matched"] += bool(matches)
    every = times["near-duplicate"] + times["new"]
    print(f"pool {name}: {len(every)} lookups")
    print(
        f"  all       p50 {pct(every, 50):5.1f} ms  p95 {pct(every, 95):5.1f} ms  "
        f"p99 {pct(every, 99):5.1f} ms  max {max(every):6.1f} ms; calibration (SELECT 1) "
        f"p95 {base:.2f} ms: the lookup's p95 is {pct(every, 95) / base:,.0f}x"
    )
    for kind in ("near-duplicate", "new"):
        t, c, k = times[kind], candidates[kind], confirmed[kind]
        print(
            f"  {kind:14} p50 {pct(t, 50):5.1f} ms  p95 {pct(t, 95):5.1f} ms  "
            f"p99 {pct(t, 99):5.1f} ms; candidates/query mean {statistics.mean(c):5.1f} "
            f"p95 {pct([float(x) for x in c], 95):5.0f}; similar enough mean "
            f"{statistics.mean(k):5.1f}"
        )
    near = len(times["near-duplicate"])
    print(
        f"  near-duplicates finding a report with their original text: "
        f"{found['original text']}/{near}; new texts matching something: "
        f"{found['new text matched']}/{len(times['new'])}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--refill", action="store_true")
    parser.add_argument("--chunk", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--last", type=int, help="index only the newest N reports (a smaller index, same queries)"
    )
    parser.add_argument(
        "--lookup-only", action="store_true", help="skip the portal's whole check (old code)"
    )
    args = parser.parse_args()
    django_on_postgres()
    prepare()
    from lapor.reports.models import Report
    from lapor.reports.privacy import public_reports
    from lapor.routing.minhash import SCHEME
    from lapor.routing.models import DuplicateSignature

    reports = Report.objects.count()
    indexed = DuplicateSignature.objects.filter(scheme=SCHEME).count()
    if args.last is not None:
        reports = min(reports, args.last)
    if args.refill or indexed != reports:
        print(f"{reports:,} reports, {indexed:,} indexed with scheme {SCHEME}: filling")
        fill(args.chunk, args.last)
    else:
        print(f"{reports:,} reports already indexed with scheme {SCHEME}")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average before the lookups: {load} (2 cores, shared machine)")
    rng = random.Random(args.seed)
    batch = queries(args.queries, rng)
    warm = queries(100, random.Random(args.seed + 1))
    measure("warm-up (not counted)", warm, {"open_only": False, "window": None})
    measure("all", batch, {"open_only": False, "window": None})
    measure("portal", batch, {"within": public_reports()})
    if not args.lookup_only:
        measure("portal, whole check (duplicates, then the same street)", batch, {}, whole=True)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average after: {load}")


if __name__ == "__main__":
    main()
