"""Writing the tamper-evident event trail.

Each event's ``hash`` is SHA-256 over the previous event's hash of the same report and the
event's canonical content; ``day_hash`` chains it into one of ``STRIPES`` chains of its UTC day
across the platform (``AuditStripeHead``), and once the day is over ``seal_days`` hashes the
stripes' heads together into the day's seal (``AuditDayHead``). The report row keeps the head of
its chain (``event_count``, ``last_event_hash``), so removing the newest event is as visible as
editing an old one. ADR 0015 tells why the day is striped.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from lapor.reports import hooks
from lapor.reports.models import AuditDayHead, AuditStripeHead, Report, ReportEvent

GENESIS = "0" * 64
# Chains per UTC day. Writers of different stripes never wait for each other; the stripe is
# stored with each event, so changing the number later leaves every written chain valid.
STRIPES = 16
# A day is sealed this long after it ends (UTC), once no transaction of that day still runs.
SEAL_GRACE = timedelta(hours=1)
# From this many events on, PostgreSQL takes them through COPY (the SLA sweep's chunks).
COPY_FROM = 200


def canonical(event: ReportEvent, tracking_id: str) -> bytes:
    content = {
        "report": tracking_id,
        "seq": event.seq,
        "action": event.action,
        "from": event.from_status,
        "to": event.to_status,
        "actor": event.actor_id,
        "role": event.actor_role,
        "agency": event.agency_id,
        "message": event.message,
        "internal": event.is_internal,
        "data": event.data,
        "at": event.created_at.astimezone(UTC).isoformat(),
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(prev_hash: str, payload: bytes) -> str:
    return hashlib.sha256(prev_hash.encode() + payload).hexdigest()


def stripe_of(report_id: int) -> int:
    return report_id % STRIPES


def _lock_stripe_head(day: date, stripe: int) -> AuditStripeHead:
    heads = AuditStripeHead.objects.select_for_update()
    try:
        return heads.get(day=day, stripe=stripe)
    except AuditStripeHead.DoesNotExist:
        try:
            with transaction.atomic():
                return AuditStripeHead.objects.create(day=day, stripe=stripe)
        except IntegrityError:
            return heads.get(day=day, stripe=stripe)


def _transaction_stripe(events: list[ReportEvent]) -> int:
    """The one stripe every event of the current transaction goes to: that of the first report
    it chains an event for. Holding at most one stripe head per transaction, always after the
    report rows, no two writers can wait for each other in a circle (``core.locks``)."""
    outermost = connection.atomic_blocks[0] if connection.atomic_blocks else None
    held = getattr(connection, "_lapor_audit_stripe", None)
    if held is not None and outermost is not None and held[0] is outermost:
        return int(held[1])
    stripe = stripe_of(min(event.report_id for event in events))
    connection._lapor_audit_stripe = (outermost, stripe)  # type: ignore[attr-defined]
    transaction.on_commit(_forget_stripe)
    return stripe


def _forget_stripe() -> None:
    connection._lapor_audit_stripe = None  # type: ignore[attr-defined]


def build_event(
    report: Report,
    *,
    action: str,
    from_status: str,
    to_status: str,
    actor_id: int | None,
    actor_role: str,
    agency_id: int | None = None,
    message: str = "",
    is_internal: bool = False,
    data: dict[str, Any] | None = None,
    at: datetime,
) -> ReportEvent:
    """An unsaved event chained onto the report (the report's head fields are advanced)."""
    event = ReportEvent(
        report=report,
        seq=report.event_count + 1,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor_id=actor_id,
        actor_role=actor_role,
        agency_id=agency_id,
        message=message,
        is_internal=is_internal,
        data=data or {},
        created_at=at,
        prev_hash=report.last_event_hash or GENESIS,
    )
    event.hash = chain_hash(event.prev_hash, canonical(event, report.tracking_id))
    report.event_count = event.seq
    report.last_event_hash = event.hash
    return event


def write_events(events: list[ReportEvent]) -> list[ReportEvent]:
    """Link ``events`` (built by ``build_event``) into their days' chains and insert them.

    Must run inside the caller's transaction, after every report row it changes is locked.
    The callbacks of ``reports.hooks`` (webhook deliveries) run first, in the same transaction:
    before the stripe's head is locked, which the stripe's other writers wait for until the
    commit."""
    if not events:
        return events
    hooks.events_written([(event.report, event) for event in events])
    stripe = _transaction_stripe(events)
    by_day: dict[date, list[ReportEvent]] = {}
    for event in events:
        event.day = event.created_at.astimezone(UTC).date()
        event.stripe = stripe
        by_day.setdefault(event.day, []).append(event)
    for day in sorted(by_day):
        head = _lock_stripe_head(day, stripe)
        for event in by_day[day]:
            head.count += 1
            event.day_seq = head.count
            event.day_hash = chain_hash(head.last_hash or GENESIS, event.hash.encode())
            head.last_hash = event.day_hash
        head.save(update_fields=["count", "last_hash"])
    if connection.vendor == "postgresql" and len(events) >= COPY_FROM:
        _copy(events)
        return events
    return ReportEvent.objects.bulk_create(events)


def seal_hash(day: date, stripes: dict[str, list[Any]]) -> str:
    """The day's seal: SHA-256 over the canonical JSON of its stripes' heads."""
    content = {"day": day.isoformat(), "stripes": stripes}
    payload = json.dumps(content, sort_keys=True, separators=(",", ":")).encode()
    return chain_hash(GENESIS, payload)


def seal_days(*, now: datetime | None = None, grace: timedelta = SEAL_GRACE) -> int:
    """Seal every day that ended at least ``grace`` ago and is not sealed yet: its stripes'
    heads, hashed together, become its ``AuditDayHead``. Each day in its own transaction,
    holding its stripe heads (in stripe order) so no writer of that day is half-way; the
    number of days sealed."""
    now = now or timezone.now()
    cutoff = (now - grace).astimezone(UTC).date()
    sealed = AuditDayHead.objects.filter(sealed_at__isnull=False).values("day")
    days = (
        AuditStripeHead.objects.filter(day__lt=cutoff)
        .exclude(day__in=sealed)
        .order_by("day")
        .values_list("day", flat=True)
        .distinct()
    )
    done = 0
    for day in list(days):
        with transaction.atomic():
            heads = AuditStripeHead.objects.select_for_update().filter(day=day).order_by("stripe")
            stripes: dict[str, list[Any]] = {str(h.stripe): [h.count, h.last_hash] for h in heads}
            AuditDayHead.objects.update_or_create(
                day=day,
                defaults={
                    "count": sum(c for c, _ in stripes.values()),
                    "last_hash": seal_hash(day, stripes),
                    "stripes": stripes,
                    "sealed_at": now,
                },
            )
        done += 1
    return done


def _copy(events: list[ReportEvent]) -> None:
    """Insert through COPY: several times faster than a multi-row INSERT for thousands of rows.
    The events get no primary key back; callers of bulk writes do not need one."""
    fields = [f for f in ReportEvent._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    sql = f"COPY {quote(ReportEvent._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for event in events:
            copy.write_row(
                [f.get_db_prep_save(getattr(event, f.attname), connection) for f in fields]
            )
