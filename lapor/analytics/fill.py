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
"""

from __future__ import annotations

import logging
from collections import Counter, deque
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, Sum

from lapor.analytics.facts import Key, apply_event, contributions, start_fact
from lapor.analytics.models import CurrentCount, DailyCount, FillCursor, ReportFact
from lapor.categories.models import Category
from lapor.reports.lifecycle import Action
from lapor.reports.models import AuditStripeHead, Report, ReportEvent

logger = logging.getLogger("lapor.analytics")
BATCH = 2000
# The row every fill locks first, so two fills never run at once (SQLite serialises writers).
LOCK_DAY = date(1970, 1, 1)
FACT_FIELDS = [f.attname for f in ReportFact._meta.concrete_fields if not f.primary_key]
REPORT_FIELDS = (
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
    "stripe",
    "day_seq",
)


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
    """Count every event not yet counted, at most ``batch_size`` per transaction."""
    result = FillResult()
    while max_batches is None or result.batches < max_batches:
        day = pending_day()
        if day is None:
            break
        with transaction.atomic():
            if not _lock():
                result.busy = True
                break
            counted = fill_batch(day, batch_size)
        if counted == 0:
            break  # waiting for an earlier event of a report to commit: the next run takes it
        result.events += counted
        result.batches += 1
    if result.events:
        logger.info("Rollups: %s events in %s batches", result.events, result.batches)
    return result


def _lock() -> bool:
    FillCursor.objects.get_or_create(day=LOCK_DAY, stripe=0)
    qs = FillCursor.objects.filter(day=LOCK_DAY, stripe=0)
    if connection.vendor == "postgresql":
        return qs.select_for_update(skip_locked=True).exists()
    return True


def fill_batch(day: date, batch_size: int) -> int:
    """Count the next events of ``day``; runs in the caller's transaction, under the lock."""
    heads = dict(AuditStripeHead.objects.filter(day=day).values_list("stripe", "count"))
    cursors = {c.stripe: c for c in FillCursor.objects.select_for_update().filter(day=day)}
    per_stripe = max(batch_size // max(len(heads), 1), 1)
    window = Q(pk__in=[])
    for stripe, count in heads.items():
        done = cursors[stripe].seq if stripe in cursors else 0
        if count > done:
            upper = min(count, done + per_stripe)
            window |= Q(stripe=stripe, day_seq__gt=done, day_seq__lte=upper)
    events = list(
        ReportEvent.objects.filter(window, day=day)
        .order_by("stripe", "day_seq")
        .only(*EVENT_FIELDS)
    )
    if not events:
        return 0
    queues: dict[int, deque[Any]] = {}
    for event in events:
        queues.setdefault(event.stripe, deque()).append(event)
    report_ids = {e.report_id for e in events}
    facts: dict[int, ReportFact] = ReportFact.objects.in_bulk(report_ids)
    before = {pk: contributions(fact) for pk, fact in facts.items()}
    _apply_in_order(queues, facts, events)
    applied = {pk for pk in report_ids if pk in facts}
    delta: Counter[Key] = Counter()
    for pk in applied:
        delta.update(contributions(facts[pk]))
        delta.subtract(before.get(pk, Counter()))
    # One upsert for new and changed facts (Django's ``bulk_update`` builds a CASE per field
    # and row, many times slower).
    ReportFact.objects.bulk_create(
        [facts[pk] for pk in applied],
        update_conflicts=True,
        unique_fields=["report_id"],
        update_fields=FACT_FIELDS,
    )
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


def _apply_in_order(
    queues: dict[int, deque[Any]], facts: dict[int, ReportFact], events: list[Any]
) -> None:
    """Apply the stripes' events, each stripe in chain order and each report in its own order:
    a stripe waits while its next event's predecessor (same report, ``seq - 1``) is still
    uncounted in another stripe. New facts are added to ``facts``; the queues keep what waits."""
    new_ids = {e.report_id for e in events if e.report_id not in facts}
    reports = Report.objects.only(*REPORT_FIELDS).in_bulk(new_ids) if new_ids else {}
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


def _orphan(event: Any, fact: ReportFact | None) -> bool:
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


def _category_ids(events: list[Any]) -> dict[str, int]:
    codes = {str(e.data.get("to")) for e in events if e.action == Action.CHANGE_CATEGORY and e.data}
    if not codes:
        return {}
    return dict(Category.objects.filter(code__in=codes).values_list("code", "id"))


def add_counts(delta: Counter[Key]) -> None:
    """Add ``delta`` to the counts: one upsert per table (``value = value + excluded.value``)."""
    daily = [(k, v) for k, v in delta.items() if v and k[0] is not None]
    current = [(k, v) for k, v in delta.items() if v and k[0] is None]
    if daily:
        _upsert(DailyCount._meta.db_table, DAILY_COLUMNS, daily)
    if current:
        _upsert(CurrentCount._meta.db_table, DIMENSIONS, [(k[1:], v) for k, v in current])


DIMENSIONS = ["province", "kabkota", "agency", "category", "type", "channel", "metric", "bucket"]
DAILY_COLUMNS = ["day", *DIMENSIONS]


def _upsert(table: str, columns: list[str], rows: list[tuple[Any, int]]) -> None:
    if not rows:
        return
    names = ", ".join(columns)
    placeholders = ", ".join(["%s"] * (len(columns) + 1))
    # The table and column names are the models' own; every value goes as a parameter.
    insert = f"INSERT INTO {table} ({names}, value) VALUES ({placeholders})"  # noqa: S608
    sql = f"{insert} ON CONFLICT ({names}) DO UPDATE SET value = {table}.value + excluded.value"
    params = [(*key, value) for key, value in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
