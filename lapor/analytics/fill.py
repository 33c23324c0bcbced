"""The rollup fill: read the report events in order, move facts and counts, resumably.

Events are read per UTC day along the day's striped chains (``ReportEvent.stripe``/``day_seq``,
ADR 0015): a chain's sequence is assigned under its head's row lock and committed with it, so the
events up to a committed ``AuditStripeHead.count`` are all visible and none can appear later
below it. ``FillCursor`` keeps, per day and stripe, the last ``day_seq`` counted.

One batch is one transaction: it reads the next events after the cursors, applies each to its
report's fact in the report's own order (``seq``: a report's events may sit in two stripes when
one transaction changed two reports), adds the change of the touched facts' contributions to the
counts and moves the cursors, all together. A crash anywhere in a batch rolls all of it back; the
next run starts again from the cursors, so nothing is counted twice or half (the pattern of
Zulip's ``analytics/lib/counts`` and its fill state, on event cursors instead of time slots).

A rebuild (``start_rebuild``) empties the rollups and sets the cursors to the stripe heads of
that moment (a snapshot); the fill then counts the snapshot's events report by report, in
ranges of report ids, each range one transaction that writes the range's facts and moves a
progress row (``REBUILD_DAY``). On PostgreSQL the counts are then made from all the facts in SQL
(``analytics.recount``) in the last range's transaction, so they appear whole or not at all; on
SQLite each range adds its facts' contributions. Until the last range is counted the fill does
nothing else; afterwards it goes on from the snapshot's cursors as usual. Reading a report's
events together (index ``(report, seq)``) builds each fact once, where the day-by-day path
touches a fact on every day it changed.

Writes are set-based: on PostgreSQL every table is written by ``COPY`` into a temporary table
and one ``INSERT … ON CONFLICT`` (counts add, facts replace); SQLite takes the same rows by
``executemany``.
"""

from __future__ import annotations

import logging
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import Max, Min, Sum

from lapor.analytics import recount
from lapor.analytics.facts import (
    Key,
    ScopeKey,
    apply_event,
    contributions,
    scope_keys,
    start_fact,
)
from lapor.analytics.models import (
    CurrentCount,
    DailyCount,
    FillCursor,
    ReportFact,
    ScopeCount,
)
from lapor.categories.models import Category
from lapor.reports.lifecycle import Action
from lapor.reports.models import AuditStripeHead, Report, ReportEvent

logger = logging.getLogger("lapor.analytics")
BATCH = 10_000
# A rebuild's transactions are larger: nothing else waits on them (``analytics fill --rebuild``).
REBUILD_BATCH = 60_000
# Events per report in a rebuild's range of report ids, to size a range from ``batch_size``.
EVENTS_PER_REPORT = 6
# The row every fill locks first, so two fills never run at once (SQLite serialises writers).
LOCK_DAY = date(1970, 1, 1)
# A rebuild's progress: stripe 0 holds the last report id counted, stripe 1 the last to count.
REBUILD_DAY = date(1970, 1, 2)
FACT_FIELDS = [f.attname for f in ReportFact._meta.concrete_fields if not f.primary_key]
REPORT_FIELDS = (
    "pk",
    "region_id",
    "agency_id",
    "category_id",
    "type",
    "channel",
    "is_confidential",
    "status",
    "submitted_at",
)
EVENT_FIELDS = (
    "report_id",
    "seq",
    "action",
    "from_status",
    "to_status",
    "agency_id",
    "data",
    "created_at",
    "day",
    "stripe",
    "day_seq",
)


class Event(NamedTuple):
    """The fields of a ``ReportEvent`` the fill reads (a tuple: no model instance per event)."""

    report_id: int
    seq: int
    action: str
    from_status: str
    to_status: str
    agency_id: int | None
    data: Any
    created_at: datetime
    day: date
    stripe: int
    day_seq: int


class ReportRow(NamedTuple):
    pk: int
    region_id: str
    agency_id: int | None
    category_id: int | None
    type: str
    channel: str
    is_confidential: bool
    status: str
    submitted_at: datetime


@dataclass
class FillResult:
    events: int = 0
    batches: int = 0
    busy: bool = False  # another fill held the lock


def pending_day() -> date | None:
    """The oldest day with events not yet counted."""
    heads = dict(
        AuditStripeHead.objects.values("day").annotate(n=Sum("count")).values_list("day", "n")
    )
    done = dict(FillCursor.objects.values("day").annotate(n=Sum("seq")).values_list("day", "n"))
    behind = [day for day, n in heads.items() if n > done.get(day, 0)]
    return min(behind) if behind else None


def fill(*, batch_size: int = BATCH, max_batches: int | None = None) -> FillResult:
    """Count every event not yet counted, about ``batch_size`` per transaction (a rebuild under
    way first)."""
    result = FillResult()
    while max_batches is None or result.batches < max_batches:
        with transaction.atomic():
            if not lock():
                result.busy = True
                break
            progress = rebuild_progress()
            if progress is not None:
                counted = rebuild_batch(progress, batch_size)[0]
            else:
                day = pending_day()
                if day is None:
                    break
                counted = fill_batch(day, batch_size)
        if counted == 0 and progress is None:
            break  # waiting for an earlier event of a report to commit: the next run takes it
        result.events += counted
        result.batches += 1
    if result.events:
        logger.info("Rollups: %s events in %s batches", result.events, result.batches)
    return result


def lock() -> bool:
    """Take the fill's lock for this transaction (PostgreSQL: a row lock, skipped if held);
    False when another fill holds it."""
    FillCursor.objects.get_or_create(day=LOCK_DAY, stripe=0)
    qs = FillCursor.objects.filter(day=LOCK_DAY, stripe=0)
    if connection.vendor == "postgresql":
        return qs.select_for_update(skip_locked=True).exists()
    return True


# --- the rebuild --------------------------------------------------------------------------------


def start_rebuild() -> bool:
    """Empty the rollups and set the cursors to the stripe heads of now; the next fills count
    every event up to them, report by report (``rebuild_batch``). False when a fill is running."""
    with transaction.atomic():
        if not lock():
            return False
        FillCursor.objects.exclude(day=LOCK_DAY).delete()
        tables = [m._meta.db_table for m in (ReportFact, DailyCount, CurrentCount, ScopeCount)]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {', '.join(tables)}")
            else:
                for table in tables:
                    cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - the models' own names
        # The heads first, then the last report: a report committed in between has its events
        # above the heads read (ADR 0017).
        heads = list(AuditStripeHead.objects.values_list("day", "stripe", "count"))
        ids = Report.objects.aggregate(first=Min("pk"), last=Max("pk"))
        FillCursor.objects.bulk_create(
            [FillCursor(day=d, stripe=s, seq=n) for d, s, n in heads]
            + [FillCursor(day=REBUILD_DAY, stripe=0, seq=max((ids["first"] or 1) - 1, 0))]
            + [FillCursor(day=REBUILD_DAY, stripe=1, seq=ids["last"] or 0)],
            batch_size=5_000,
        )
    return True


def rebuild_progress() -> tuple[int, int] | None:
    rows = dict(FillCursor.objects.filter(day=REBUILD_DAY).values_list("stripe", "seq"))
    if not rows:
        return None
    return rows.get(0, 0), rows.get(1, 0)


def rebuild_batch(progress: tuple[int, int], batch_size: int) -> tuple[int, bool]:
    """Count the snapshot's events of the next range of report ids; (events, rebuild done)."""
    done, top = progress
    upper = min(top, done + max(batch_size // EVENTS_PER_REPORT, 1))
    heads = {(d, s): n for d, s, n in FillCursor.objects.values_list("day", "stripe", "seq")}
    events = [
        e
        for e in _events(
            ReportEvent.objects.filter(report_id__gt=done, report_id__lte=upper).order_by(
                "report_id", "seq"
            )
        )
        if e.day_seq <= heads.get((e.day, e.stripe), 0)
    ]
    reports = _reports({e.report_id for e in events})
    category_ids = _category_ids(events)
    facts: dict[int, ReportFact] = {}
    for event in events:
        fact = facts.get(event.report_id)
        if fact is None:
            if event.report_id not in reports:
                continue  # a report no longer stored: nothing to count it under
            fact = facts[event.report_id] = start_fact(reports[event.report_id], event)
        if event.seq > fact.seq:
            apply_event(fact, event, category_ids=category_ids)
    write_facts(list(facts.values()))
    finished = upper >= top
    if connection.vendor != "postgresql":
        delta: Counter[Key] = Counter()
        for fact in facts.values():
            delta.update(contributions(fact))
        add_counts(delta)
    elif finished:
        recount.counts_from_facts()  # the counts of every fact, set-based, in this transaction
    if finished:
        FillCursor.objects.filter(day=REBUILD_DAY).delete()
    else:
        FillCursor.objects.filter(day=REBUILD_DAY, stripe=0).update(seq=upper)
    return len(events), finished


# --- the day-by-day fill ------------------------------------------------------------------------


def fill_batch(day: date, batch_size: int) -> int:
    """Count the next events of ``day``; runs in the caller's transaction, under the lock."""
    heads = dict(AuditStripeHead.objects.filter(day=day).values_list("stripe", "count"))
    cursors = {c.stripe: c for c in FillCursor.objects.select_for_update().filter(day=day)}
    per_stripe = max(batch_size // max(len(heads), 1), 1)
    windows = []
    for stripe, count in heads.items():
        done = cursors[stripe].seq if stripe in cursors else 0
        if count > done:
            windows.append((stripe, done, min(count, done + per_stripe)))
    events = _window_events(day, windows)
    if not events:
        return 0
    queues: dict[int, deque[Event]] = {}
    for event in events:
        queues.setdefault(event.stripe, deque()).append(event)
    report_ids = {e.report_id for e in events}
    facts: dict[int, ReportFact] = ReportFact.objects.in_bulk(report_ids)
    before = {pk: contributions(fact) for pk, fact in facts.items()}
    _apply_in_order(queues, facts, events)
    applied = [pk for pk in report_ids if pk in facts]
    delta: Counter[Key] = Counter()
    for pk in applied:
        delta.update(contributions(facts[pk]))
        delta.subtract(before.get(pk, Counter()))
    write_facts([facts[pk] for pk in applied])
    add_counts(delta)
    counted = 0
    for stripe, queue in queues.items():
        taken = [e for e in events if e.stripe == stripe]
        left = len(queue)
        if left == len(taken):
            continue
        counted += len(taken) - left
        last = taken[len(taken) - left - 1].day_seq
        cursor = cursors.get(stripe) or FillCursor(day=day, stripe=stripe)
        cursor.seq = last
        cursor.save()
    return counted


def _window_events(day: date, windows: list[tuple[int, int, int]]) -> list[Event]:
    """The events of ``day`` in each (stripe, after, up to) window, in stripe and chain order:
    one range read per stripe on the ``(day, stripe, day_seq)`` index."""
    out: list[Event] = []
    for stripe, after, upper in sorted(windows):
        out += _events(
            ReportEvent.objects.filter(
                day=day, stripe=stripe, day_seq__gt=after, day_seq__lte=upper
            ).order_by("day_seq")
        )
    return out


def _events(qs: Any) -> list[Event]:
    return [Event(*row) for row in qs.values_list(*EVENT_FIELDS)]


def _reports(ids: Iterable[int]) -> dict[int, ReportRow]:
    ids = list(ids)
    if not ids:
        return {}
    rows = Report.objects.filter(pk__in=ids).values_list(*REPORT_FIELDS)
    return {row[0]: ReportRow(*row) for row in rows}


def _apply_in_order(
    queues: dict[int, deque[Event]], facts: dict[int, ReportFact], events: list[Event]
) -> None:
    """Apply the stripes' events, each stripe in chain order and each report in its own order:
    a stripe waits while its next event's predecessor (same report, ``seq - 1``) is still
    uncounted in another stripe. New facts are added to ``facts``; the queues keep what waits."""
    reports = _reports({e.report_id for e in events if e.report_id not in facts})
    category_ids = _category_ids(events)
    progress = True
    while progress:
        progress = False
        for queue in queues.values():
            while queue:
                event = queue[0]
                fact = facts.get(event.report_id)
                ready = (fact is None and event.seq == 1) or (
                    fact is not None and event.seq == fact.seq + 1
                )
                if not ready and not _orphan(event, fact):
                    break
                queue.popleft()
                progress = True
                if fact is None:
                    fact = start_fact(reports[event.report_id], event)
                    facts[event.report_id] = fact
                if event.seq > fact.seq:
                    apply_event(fact, event, category_ids=category_ids)


def _orphan(event: Event, fact: ReportFact | None) -> bool:
    """True when the event's predecessor will never come through the fill (already counted, or
    not in the trail); then the event is applied as it is rather than waited for."""
    if fact is not None and event.seq <= fact.seq:
        return True
    previous = (
        ReportEvent.objects.filter(report_id=event.report_id, seq=event.seq - 1)
        .values_list("day", "stripe", "day_seq")
        .first()
    )
    if previous is None:
        return True
    day, stripe, seq = previous
    if day > event.created_at.date():
        return True  # back-dated: its predecessor lies on a later day, counted after it
    counted = FillCursor.objects.filter(day=day, stripe=stripe, seq__gte=seq).exists()
    return counted and fact is not None


def _category_ids(events: Sequence[Event]) -> dict[str, int]:
    codes = {str(e.data.get("to")) for e in events if e.action == Action.CHANGE_CATEGORY and e.data}
    if not codes:
        return {}
    return dict(Category.objects.filter(code__in=codes).values_list("code", "id"))


# --- the writes ---------------------------------------------------------------------------------

DIMENSIONS = ["province", "kabkota", "agency", "category", "type", "channel", "metric", "bucket"]
DAILY_COLUMNS = ["day", *DIMENSIONS]
SCOPE_COLUMNS = ["scope", "grain", "day", "dim", "key", "metric", "bucket"]


def add_counts(delta: Counter[Key]) -> None:
    """Add ``delta`` to the counts and to the pages' per-scope sums: one upsert per table
    (``value = value + excluded.value``)."""
    daily = [(*k, v) for k, v in delta.items() if v and k[0] is not None]
    current = [(*k[1:], v) for k, v in delta.items() if v and k[0] is None]
    scoped: Counter[ScopeKey] = Counter()
    for key, value in delta.items():
        if value:
            for scope_key in scope_keys(key):
                scoped[scope_key] += value
    _upsert(DailyCount._meta.db_table, DAILY_COLUMNS, daily)
    _upsert(CurrentCount._meta.db_table, DIMENSIONS, current)
    _upsert(ScopeCount._meta.db_table, SCOPE_COLUMNS, [(*k, v) for k, v in scoped.items() if v])


def write_facts(facts: list[ReportFact]) -> None:
    """Insert or replace these facts."""
    if connection.vendor != "postgresql":
        ReportFact.objects.bulk_create(
            facts, update_conflicts=True, unique_fields=["report_id"], update_fields=FACT_FIELDS
        )
        return
    columns = ["report_id", *FACT_FIELDS]
    rows = [tuple(getattr(f, c) for c in columns) for f in facts]
    _upsert(ReportFact._meta.db_table, columns, rows, conflict=["report_id"], add=False)


def _upsert(
    table: str,
    columns: list[str],
    rows: list[tuple[Any, ...]],
    *,
    conflict: list[str] | None = None,
    add: bool = True,
) -> None:
    """Write ``rows`` (``columns`` and then, when ``add``, a value to add): insert, or on the
    ``conflict`` key add the value (``add``) or replace the other columns. The table and column
    names are the models' own; every value goes as data."""
    if not rows:
        return
    names = [*columns, "value"] if add else columns
    key = ", ".join(conflict or columns)
    if add:
        update = f"value = {table}.value + excluded.value"
    else:
        update = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in (conflict or []))
    listed = ", ".join(names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            temp = f"_fill_{table}"
            make = f"CREATE TEMP TABLE IF NOT EXISTS {temp} ON COMMIT DELETE ROWS AS SELECT"
            cursor.execute(f"{make} {listed} FROM {table} WITH NO DATA")
            with cursor.cursor.copy(f"COPY {temp} ({listed}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            insert = f"INSERT INTO {table} ({listed}) SELECT {listed} FROM {temp}"  # noqa: S608
            cursor.execute(f"{insert} ON CONFLICT ({key}) DO UPDATE SET {update}")
            cursor.execute(f"TRUNCATE {temp}")
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(
                f"INSERT INTO {table} ({listed}) VALUES ({marks}) "  # noqa: S608
                f"ON CONFLICT ({key}) DO UPDATE SET {update}",
                rows,
            )
