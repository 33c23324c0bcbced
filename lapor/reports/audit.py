"""Verifying the tamper-evident event trail that ``reports.events`` writes.

Two chains are checked, each streamed from the database in index order with constant memory:

* every report's chain, ordered by ``(report_id, seq)``: ``seq`` runs 1..n without gaps, each
  ``prev_hash`` is the previous event's ``hash`` (``GENESIS`` for the first), each ``hash`` is
  recomputed from the stored content, and the report row's head (``event_count``,
  ``last_event_hash``) names the last event;
* every UTC day's platform-wide striped chains, ordered by ``(day, stripe, day_seq)``: in each
  stripe ``day_seq`` runs 1..n, each ``day_hash`` is ``sha256(previous day_hash + event hash)``,
  and ``AuditStripeHead`` holds the count and hash of the stripe's last event;
* every sealed day's seal (``AuditDayHead``): its hash is that of the stripe heads it names,
  and each named stripe still reaches, at the sealed ``day_seq``, the sealed hash.

For each broken chain the FIRST broken link is reported (a later link of a chain that is already
broken says nothing new). Everything is read in one snapshot, so events written while the check
runs cannot raise false alarms. See docs/audit.md for what this can and cannot detect.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date
from enum import StrEnum
from itertools import groupby
from operator import itemgetter
from typing import Any, cast

from django.db import connection, transaction

from lapor.core import ids
from lapor.reports.events import GENESIS, canonical, chain_hash, seal_hash
from lapor.reports.models import AuditDayHead, AuditStripeHead, Report, ReportEvent

Progress = Callable[[str, int], None]
PROGRESS_EVERY = 100_000
_EVENT_FIELDS = (
    "report_id", "seq", "action", "from_status", "to_status", "actor_id", "actor_role",
    "agency_id", "message", "is_internal", "data", "created_at", "prev_hash", "hash", "day",
)  # fmt: skip
_DAY_FIELDS = ("day", "stripe", "day_seq", "day_hash", "hash", "report_id", "seq")


class Kind(StrEnum):
    EDITED = "edited"  # stored content or hash no longer matches what was chained
    MISSING = "missing"  # an event the chain or its head counts is not stored
    INSERTED = "inserted"  # an event the chain or its head does not account for
    BROKEN_LINK = "broken link"  # an event does not point at the event before it
    WRONG_HEAD = "wrong head"  # the head row disagrees with the last event
    NO_HEAD = "no head"  # events whose head row (report or stripe head) is missing


@dataclass(frozen=True)
class Problem:
    """The first broken link of one chain."""

    chain: str  # "report", "day" (one stripe of a day) or "seal" (a day's seal)
    key: str  # the tracking ID; "YYYY-MM-DD stripe N"; or the sealed day as YYYY-MM-DD
    position: int  # seq in the report chain, day_seq in the stripe, the stripe of a seal
    kind: Kind
    detail: str

    def __str__(self) -> str:
        where = {"report": "seq", "day": "day_seq", "seal": "stripe"}[self.chain]
        return f"{self.chain} {self.key} {where} {self.position}: {self.kind}: {self.detail}"


@dataclass
class VerifyResult:
    reports_checked: int = 0
    events_checked: int = 0
    days_checked: int = 0
    day_events_checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    seconds: float = 0.0
    max_problems: int = 1000

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < self.max_problems:
            self.problems.append(problem)


class UnknownReport(LookupError):
    """``verify(tracking_id=...)`` named a report that does not exist."""


def verify(
    *,
    tracking_id: str | None = None,
    day: date | None = None,
    progress: Progress | None = None,
    chunk_size: int = 5000,
    max_problems: int = 1000,
) -> VerifyResult:
    """Check the report chains and the day chains; only one report and/or one day if named.

    ``progress(phase, events_done)`` is called every ``PROGRESS_EVERY`` events of a phase
    ("reports" or "days") and once at its end. At most ``max_problems`` problems are kept;
    ``problem_count`` counts them all."""
    started = time.monotonic()
    result = VerifyResult(max_problems=max_problems)
    with _snapshot():
        if tracking_id is not None or day is None:
            reports = Report.objects.all()
            events = ReportEvent.objects.all()
            if tracking_id is not None:
                found = Report.objects.filter(tracking_id=ids.normalize(tracking_id)).first()
                if found is None:
                    raise UnknownReport(f"no report has the tracking ID {tracking_id!r}")
                reports = reports.filter(pk=found.pk)
                events = events.filter(report_id=found.pk)
            _check_reports(result, reports, events, chunk_size, progress)
        if day is not None or tracking_id is None:
            heads = AuditStripeHead.objects.all()
            seals = AuditDayHead.objects.filter(sealed_at__isnull=False)
            day_events = ReportEvent.objects.all()
            if day is not None:
                heads = heads.filter(day=day)
                seals = seals.filter(day=day)
                day_events = day_events.filter(day=day)
            _check_days(result, heads, seals, day_events, chunk_size, progress)
    result.seconds = time.monotonic() - started
    return result


@contextmanager
def _snapshot() -> Iterator[None]:
    """Read everything in one consistent snapshot.

    On PostgreSQL a read-only REPEATABLE READ transaction (writers are not blocked); on SQLite
    the project's IMMEDIATE transactions hold the write lock, so writers wait for the check.
    Inside a caller's transaction, that transaction's view is used as it is."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _counted(rows: Iterable[Any], phase: str, progress: Progress | None) -> Iterator[Any]:
    done = 0
    for done, row in enumerate(rows, 1):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(phase, done)
        yield row
    if progress is not None:
        progress(phase, done)


# -- report chains ---------------------------------------------------------------------------


def _check_reports(
    result: VerifyResult, reports: Any, events: Any, chunk_size: int, progress: Progress | None
) -> None:
    heads = (
        reports.order_by("pk")
        .values_list("pk", "tracking_id", "event_count", "last_event_hash")
        .iterator(chunk_size=chunk_size)
    )
    rows = events.order_by("report_id", "seq").values_list(*_EVENT_FIELDS, named=True)
    stream = _counted(rows.iterator(chunk_size=chunk_size), "reports", progress)
    head = next(heads, None)
    for report_id, group in groupby(stream, key=itemgetter(0)):
        while head is not None and head[0] < report_id:
            _check_report(result, head, iter(()))
            head = next(heads, None)
        if head is not None and head[0] == report_id:
            _check_report(result, head, group)
            head = next(heads, None)
        else:
            _orphan_events(result, report_id, group)
    while head is not None:
        _check_report(result, head, iter(()))
        head = next(heads, None)


def _check_report(result: VerifyResult, head: tuple[int, str, int, str], events: Any) -> None:
    _pk, tracking_id, head_count, head_hash = head
    result.reports_checked += 1
    problem: tuple[int, Kind, str] | None = None
    expected, prev, seen = 1, GENESIS, 0
    for event in events:
        seen += 1
        if problem is not None:
            continue  # only the first broken link is named; keep counting what is checked
        if event.seq != expected:
            if event.seq > expected:
                gap = (
                    f"seq {expected}"
                    if event.seq == expected + 1
                    else (f"seq {expected} to {event.seq - 1}")
                )
                problem = (expected, Kind.MISSING, f"{gap} is not stored: events were removed")
            else:
                problem = (event.seq, Kind.INSERTED, "an event outside the sequence 1..n")
        elif event.prev_hash != prev:
            before = f"seq {expected - 1}" if expected > 1 else "the chain's start"
            problem = (
                event.seq, Kind.BROKEN_LINK,
                f"prev_hash does not match the hash of {before}: an event before it was "
                "rewritten or replaced",
            )  # fmt: skip
        elif chain_hash(prev, canonical(cast(ReportEvent, event), tracking_id)) != event.hash:
            problem = (
                event.seq, Kind.EDITED,
                f"content ({event.action}) does not match its hash: the event was edited",
            )  # fmt: skip
        elif event.day != event.created_at.astimezone(UTC).date():
            problem = (
                event.seq, Kind.EDITED,
                f"filed under day {event.day} but written on "
                f"{event.created_at.astimezone(UTC).date()} (UTC): moved, or back-dated",
            )  # fmt: skip
        else:
            prev = event.hash
            expected += 1
    result.events_checked += seen
    if problem is None:
        problem = _report_head_problem(seen, expected - 1, prev, head_count, head_hash)
    if problem is not None:
        result.add(Problem("report", tracking_id, *problem))


def _report_head_problem(
    seen: int, last_seq: int, last_hash: str, head_count: int, head_hash: str
) -> tuple[int, Kind, str] | None:
    if seen == 0:
        said = f"the report head counts {head_count}" if head_count else "the report has none"
        return (1, Kind.MISSING, f"no event is stored ({said}); every report starts with one")
    if head_count > last_seq:
        return (
            last_seq + 1, Kind.MISSING,
            f"the report head counts {head_count} events but the chain ends at seq {last_seq}: "
            "the newest event was removed",
        )  # fmt: skip
    if head_count < last_seq:
        return (
            head_count + 1, Kind.INSERTED,
            f"the report head counts {head_count} events but the chain runs to seq {last_seq}",
        )  # fmt: skip
    if head_hash != last_hash:
        return (last_seq, Kind.WRONG_HEAD, "the report's last_event_hash is not this event's hash")
    return None


def _orphan_events(result: VerifyResult, report_id: int, events: Iterable[Any]) -> None:
    first_seq, count = 0, 0
    for count, event in enumerate(events, 1):
        if count == 1:
            first_seq = event.seq
    result.events_checked += count
    result.add(
        Problem(
            "report", f"#{report_id}", first_seq, Kind.NO_HEAD,
            f"{count} event(s) of report id {report_id}, whose report row is missing",
        )
    )  # fmt: skip


# -- day chains ------------------------------------------------------------------------------

Sealed = dict[str, list[Any]]  # stripe -> [count, last_hash], as stored in the seal


def _check_days(
    result: VerifyResult,
    heads: Any,
    seals: Any,
    events: Any,
    chunk_size: int,
    progress: Progress | None,
) -> None:
    head_rows = heads.order_by("day", "stripe").values_list("day", "stripe", "count", "last_hash")
    seal_rows = seals.order_by("day").values_list("day", "count", "last_hash", "stripes")
    seal_iter = seal_rows.iterator(chunk_size=chunk_size)
    rows = events.order_by("day", "stripe", "day_seq").values_list(*_DAY_FIELDS)
    stream = _counted(rows.iterator(chunk_size=chunk_size), "days", progress)
    groups = groupby(stream, key=itemgetter(0, 1))
    seal = next(seal_iter, None)
    day: date | None = None
    sealed: Sealed | None = None
    seen: set[int] = set()
    for stripe_day, stripe, head, group in _stripes(head_rows.iterator(chunk_size), groups):
        if stripe_day != day:
            if day is not None:
                _close_seal(result, day, sealed, seen)
            while seal is not None and seal[0] < stripe_day:
                _close_seal(result, seal[0], _open_seal(result, seal), set())
                seal = next(seal_iter, None)
            sealed = None
            if seal is not None and seal[0] == stripe_day:
                sealed = _open_seal(result, seal)
                seal = next(seal_iter, None)
            day, seen = stripe_day, set()
            result.days_checked += 1
        seen.add(stripe)
        in_seal = None if sealed is None else sealed.get(str(stripe))
        if sealed is not None and in_seal is None:
            result.add(
                Problem(
                    "seal", stripe_day.isoformat(), stripe, Kind.INSERTED,
                    "a stripe the day's seal does not name: written after the day was sealed",
                )
            )  # fmt: skip
        _check_stripe(result, stripe_day, stripe, head, group, in_seal)
    if day is not None:
        _close_seal(result, day, sealed, seen)
    while seal is not None:
        result.days_checked += 1
        _close_seal(result, seal[0], _open_seal(result, seal), set())
        seal = next(seal_iter, None)


def _stripes(heads: Iterator[Any], groups: Iterator[Any]) -> Iterator[Any]:
    """(day, stripe, head row or None, events) for every stripe that has a head or events,
    in (day, stripe) order; each group of events must be read before the next is asked for."""
    head = next(heads, None)
    for key, group in groups:
        while head is not None and (head[0], head[1]) < key:
            yield head[0], head[1], head, iter(())
            head = next(heads, None)
        if head is not None and (head[0], head[1]) == key:
            yield key[0], key[1], head, group
            head = next(heads, None)
        else:
            yield key[0], key[1], None, group
    while head is not None:
        yield head[0], head[1], head, iter(())
        head = next(heads, None)


def _open_seal(result: VerifyResult, seal: tuple[date, int, str, Sealed]) -> Sealed:
    """The stripes a seal names, after checking the seal's own hash and count."""
    day, count, last_hash, stripes = seal
    stripes = stripes or {}
    if seal_hash(day, stripes) != last_hash:
        result.add(
            Problem(
                "seal", day.isoformat(), 0, Kind.EDITED,
                "the seal's hash is not that of the stripe heads it names: the seal was edited",
            )
        )  # fmt: skip
    elif sum(int(c) for c, _h in stripes.values()) != count:
        result.add(
            Problem(
                "seal", day.isoformat(), 0, Kind.WRONG_HEAD,
                f"the seal counts {count} events but its stripes add up to another number",
            )
        )  # fmt: skip
    return stripes


def _close_seal(result: VerifyResult, day: date, sealed: Sealed | None, seen: set[int]) -> None:
    """Stripes the day's seal names but which have neither events nor a head any more."""
    for stripe in sorted(int(s) for s in sealed or {}):
        if stripe in seen:
            continue
        count = sealed[str(stripe)][0] if sealed else 0
        result.add(
            Problem(
                "seal", day.isoformat(), stripe, Kind.MISSING,
                f"the day's seal counts {count} events in this stripe but none is stored, nor "
                "its head: they were removed",
            )
        )  # fmt: skip


def _check_stripe(
    result: VerifyResult,
    day: date,
    stripe: int,
    head: tuple[date, int, int, str] | None,
    events: Any,
    sealed: list[Any] | None,
) -> None:
    problem: tuple[int, Kind, str] | None = None
    expected, prev, seen = 1, GENESIS, 0
    sealed_count, sealed_hash = (int(sealed[0]), sealed[1]) if sealed else (0, "")
    for _day, _stripe, day_seq, day_hash, event_hash, report_id, seq in events:
        seen += 1
        if problem is not None:
            continue
        if day_seq != expected:
            if day_seq > expected:
                gap = (
                    f"day_seq {expected}"
                    if day_seq == expected + 1
                    else (f"day_seq {expected} to {day_seq - 1}")
                )
                problem = (expected, Kind.MISSING, f"{gap} is not stored: events were removed")
            else:
                problem = (day_seq, Kind.INSERTED, "an event outside the sequence 1..n")
        elif chain_hash(prev, event_hash.encode()) != day_hash:
            problem = (
                day_seq, Kind.EDITED,
                f"day_hash does not chain the hash of {_name(report_id, seq)}: the event was "
                "rewritten or replaced after it was written",
            )  # fmt: skip
        elif day_seq == sealed_count and day_hash != sealed_hash:
            problem = (
                day_seq, Kind.BROKEN_LINK,
                "the stripe no longer reaches the hash the day's seal recorded here: the "
                "stripe was rewritten after the day was sealed",
            )  # fmt: skip
        else:
            prev = day_hash
            expected += 1
    result.day_events_checked += seen
    if problem is None and sealed and expected - 1 < sealed_count:
        problem = (
            expected, Kind.MISSING,
            f"the day's seal counts {sealed_count} events in this stripe but the chain ends at "
            f"day_seq {expected - 1}: events were removed",
        )  # fmt: skip
    if problem is None:
        problem = _stripe_head_problem(seen, expected - 1, prev, head)
    if problem is not None:
        result.add(Problem("day", f"{day.isoformat()} stripe {stripe}", *problem))


def _stripe_head_problem(
    seen: int, last_seq: int, last_hash: str, head: tuple[date, int, int, str] | None
) -> tuple[int, Kind, str] | None:
    if head is None:
        return (1, Kind.NO_HEAD, f"{seen} event(s) but no AuditStripeHead row")
    _day, _stripe, head_count, head_hash = head
    if seen == 0:
        return (
            1, Kind.MISSING,
            f"the stripe head counts {head_count} events but none is stored: they were removed",
        )  # fmt: skip
    if head_count > last_seq:
        return (
            last_seq + 1, Kind.MISSING,
            f"the stripe head counts {head_count} events but the chain ends at day_seq "
            f"{last_seq}: the stripe's newest event was removed",
        )  # fmt: skip
    if head_count < last_seq:
        return (
            head_count + 1, Kind.INSERTED,
            f"the stripe head counts {head_count} events but the chain runs to day_seq "
            f"{last_seq}",
        )  # fmt: skip
    if head_hash != last_hash:
        return (
            last_seq,
            Kind.WRONG_HEAD,
            "the stripe head's last_hash is not this event's day_hash",
        )
    return None


def _name(report_id: int, seq: int) -> str:
    """ "report TRACKING-ID seq n" for a problem line (looked up only when one is found)."""
    tracking_id = Report.objects.filter(pk=report_id).values_list("tracking_id", flat=True)
    return f"report {tracking_id.first() or f'#{report_id}'} seq {seq}"
