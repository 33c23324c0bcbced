"""Load N realistic reports with their full hash-chained histories into PostgreSQL, by COPY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_bench \\
        .venv/bin/python bench/generate.py [--reports 1000000] [--open-share 0.1]

Empties the report tables of that database first (it must be a benchmark database). Secondary
indexes and foreign keys of the report and event tables are dropped during the load and made
again afterwards (``--keep-indexes`` to compare). Prints rows/s and seconds per phase, then
checks a sample of chains with ``lapor audit verify``'s own code.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on_postgres, officers, prepare

TABLES = ("reports_report", "reports_reportevent")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--open-share", type=float, default=0.10)
    parser.add_argument(
        "--overdue-share",
        type=float,
        default=0.02,
        help="share of open reports whose deadline passed since the last sweep",
    )
    parser.add_argument("--days", type=int, default=365, help="finished reports span this")
    parser.add_argument("--chunk", type=int, default=50_000)
    parser.add_argument("--keep-indexes", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    django_on_postgres()

    import _history
    from _history import Generator, check_canonical
    from django.db import connection

    check_canonical()
    t0 = time.perf_counter()
    prepare()
    national, admins = officers()
    gen = Generator(rng=random.Random(args.seed), now=datetime.now(UTC), places_=_places(),
                    categories=_categories(), policy=_policy(), national=national,
                    admins=admins, citizens=_citizens(), days=args.days,
                    overdue_share=args.overdue_share)  # fmt: skip
    print(f"setup (migrate, reference data, accounts): {time.perf_counter() - t0:.1f} s")
    raw = connection.connection
    assert raw is not None
    with raw.cursor() as cur:
        cur.execute("TRUNCATE reports_report, reports_reportevent, reports_auditdayhead, "
                    "reports_auditstripehead RESTART IDENTITY CASCADE")  # fmt: skip
        cur.execute("SET synchronous_commit = off")
        dropped = [] if args.keep_indexes else _drop_secondary(cur)
    raw.commit()

    from lapor.reports.models import Report

    defaults = _defaults(Report)
    columns = list(defaults)
    event_columns = ("id, report_id, seq, action, from_status, to_status, actor_id, actor_role, "
                     "agency_id, message, is_internal, data, created_at, prev_hash, hash, day, "
                     "day_seq, day_hash")  # fmt: skip
    n_open = int(args.reports * args.open_share)
    t_load = time.perf_counter()
    n_events = 0
    done = 0
    while done < args.reports:
        size = min(args.chunk, args.reports - done)
        rows, events = [], []
        for pk in range(done + 1, done + size + 1):
            report, evs = gen.report(pk, open_=pk > args.reports - n_open)
            rows.append(tuple(report.get(c, defaults[c]) for c in columns))
            events.extend(evs)
        with raw.cursor() as cur:
            with cur.copy(f"COPY reports_report ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            with cur.copy(f"COPY reports_reportevent ({event_columns}) FROM STDIN") as copy:
                for ev in events:
                    copy.write_row(ev)
        raw.commit()
        done += size
        n_events += len(events)
        elapsed = time.perf_counter() - t_load
        print(
            f"  {done:>9,} reports, {n_events:>10,} events, {elapsed:6.1f} s, "
            f"{(done + n_events) / elapsed:,.0f} rows/s",
            flush=True,
        )
    load_seconds = time.perf_counter() - t_load
    with raw.cursor() as cur:
        # One chain per day, written as its stripe 0 (the events' stripe defaults to 0);
        # ``lapor.reports.events.seal_days`` seals the finished days.
        heads = "COPY reports_auditstripehead (day, stripe, count, last_hash) FROM STDIN"
        with cur.copy(heads) as copy:
            for day, (count, last) in sorted(gen.chains.heads.items()):
                copy.write_row((day, 0, count, last))
        t_idx = time.perf_counter()
        for statement in dropped:
            cur.execute(statement)
        index_seconds = time.perf_counter() - t_idx
        for table in TABLES:
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))")  # fmt: skip
        t_an = time.perf_counter()
        cur.execute("ANALYZE reports_report, reports_reportevent, reports_auditstripehead")
        analyze_seconds = time.perf_counter() - t_an
    raw.commit()
    total = time.perf_counter() - t0
    rows_total = args.reports + n_events + len(gen.chains.heads)
    print(
        f"loaded {args.reports:,} reports ({n_open:,} open) and {n_events:,} events "
        f"({len(gen.chains.heads):,} day heads)"
    )
    print(f"COPY phase: {load_seconds:.1f} s, {rows_total / load_seconds:,.0f} rows/s")
    print(
        f"recreate {len(dropped)} indexes/constraints: {index_seconds:.1f} s; "
        f"ANALYZE {analyze_seconds:.1f} s"
    )
    print(f"TOTAL: {total:.1f} s ({rows_total / total:,.0f} rows/s overall)")
    _verify_sample(_history)


def _drop_secondary(cur) -> list[str]:  # type: ignore[no-untyped-def]
    """Drop the non-primary-key indexes and the foreign keys/unique constraints of the report
    and event tables; return the statements that make them again (indexes first)."""
    cur.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid::regclass::text = ANY(%s) AND contype IN ('f', 'u')",
        [list(TABLES)],
    )
    constraints = cur.fetchall()
    cur.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
        [list(TABLES)],
    )
    indexes = cur.fetchall()
    for table, name, _ in constraints:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cur.execute(f'DROP INDEX "{name}"')
    return [d for _, d in indexes] + [
        f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d in constraints
    ]


def _defaults(model) -> dict[str, object]:  # type: ignore[no-untyped-def]
    values: dict[str, object] = {}
    for field in model._meta.concrete_fields:
        if field.has_default():
            value = field.get_default()
            # COPY takes text: a JSON field's default goes in as its JSON.
            values[field.column] = json.dumps(value) if isinstance(value, dict | list) else value
        elif field.null:
            values[field.column] = None
        else:
            values[field.column] = ""
    return values


def _places() -> list:  # type: ignore[type-arg]
    from _history import Place

    from lapor.agencies.models import Agency

    units: dict[int, list[tuple[int, str]]] = {}
    for pk, parent, code in Agency.objects.filter(kind=Agency.Kind.UNIT).values_list(
        "pk", "parent_id", "code"
    ):
        units.setdefault(parent, []).append((pk, code))
    found = []
    for agency in Agency.objects.filter(kind__in=["pemkab", "pemkot"], region__isnull=False):
        for unit, code in units.get(agency.pk, [(None, "")])[:6]:
            found.append(Place(agency.region_id, agency.pk, agency.code, agency.timezone, unit,
                               code))  # fmt: skip
    return [p for p in found if p.unit is not None]


def _categories() -> list[int]:
    from lapor.categories.models import Category

    return list(Category.objects.filter(parent__isnull=False).values_list("pk", flat=True))


def _policy() -> int:
    from lapor.reports.sla import policy_for

    return policy_for(None, None, datetime.now(UTC)).pk


def _citizens(count: int = 2000) -> list[int]:
    from lapor.accounts.models import User

    have = list(
        User.objects.filter(username__startswith="warga.bench").values_list("pk", flat=True)
    )
    if len(have) < count:
        User.objects.bulk_create(
            [
                User(username=f"warga.bench{i}", password="!")  # noqa: S106 - unusable
                for i in range(len(have), count)
            ]
        )
        have = list(User.objects.filter(username__startswith="warga.bench").values_list(
            "pk", flat=True))  # fmt: skip
    return have


def _verify_sample(_history) -> None:  # type: ignore[no-untyped-def]
    from lapor.reports.audit import verify
    from lapor.reports.models import Report

    t = time.perf_counter()
    sample = list(Report.objects.order_by("?").values_list("tracking_id", flat=True)[:200])
    broken = sum(0 if verify(tracking_id=tid).ok else 1 for tid in sample)
    day = Report.objects.order_by("-submitted_at").values_list("submitted_at", flat=True)[0]
    day_ok = verify(day=day.astimezone(UTC).date()).ok
    print(
        f"audit verify: {len(sample) - broken}/{len(sample)} sampled report chains intact, "
        f"day chain {day.astimezone(UTC).date()} {'intact' if day_ok else 'BROKEN'} "
        f"({time.perf_counter() - t:.1f} s)"
    )


if __name__ == "__main__":
    main()
