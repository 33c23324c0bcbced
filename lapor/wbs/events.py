"""The audit trail of a WBS case, hash-chained like reports' events (``reports.events``) but in
its own table: each event's hash is SHA-256 over the previous one's and the event's canonical
content, and the case keeps the head of its chain. Every event is also linked into one
platform-wide chain (``ChainHead``), as reports' events are into day chains, so that deleting a
whole case with its events shows too. Events carry who, what and when; never a
text, a name or a file name."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, transaction

from lapor.reports.events import GENESIS, chain_hash
from lapor.wbs.models import Case, ChainHead, Event


def canonical(event: Event, public_id: str) -> bytes:
    content = {
        "case": public_id,
        "seq": event.seq,
        "action": event.action,
        "actor": event.actor_id,
        "role": event.role,
        "data": event.data,
        "at": event.created_at.astimezone(UTC).isoformat(),
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":")).encode()


def record(
    case: Case,
    action: str,
    *,
    actor_id: int | None,
    role: str,
    at: datetime,
    data: dict[str, Any] | None = None,
) -> Event:
    """Chain and insert one event; the caller holds the case row locked and saves it after."""
    event = Event(
        case=case,
        seq=case.event_count + 1,
        action=action,
        actor_id=actor_id,
        role=role,
        data=data or {},
        created_at=at,
        prev_hash=case.last_event_hash or GENESIS,
    )
    event.hash = chain_hash(event.prev_hash, canonical(event, case.public_id))
    head = _lock_head()
    head.count += 1
    event.global_seq = head.count
    event.global_hash = chain_hash(head.last_hash or GENESIS, event.hash.encode())
    head.last_hash = event.global_hash
    head.save(update_fields=["count", "last_hash"])
    event.save()
    case.event_count = event.seq
    case.last_event_hash = event.hash
    return event


def _lock_head() -> ChainHead:
    """The platform-wide head, locked until the caller's transaction ends."""
    try:
        return ChainHead.objects.select_for_update().get(pk=1)
    except ChainHead.DoesNotExist:
        try:
            with transaction.atomic():
                return ChainHead.objects.create(pk=1)
        except IntegrityError:
            return ChainHead.objects.select_for_update().get(pk=1)


def verify_all() -> bool:
    """True when the platform-wide chain links every WBS event, in order, up to its head:
    an event (or a whole case) removed or changed shows."""
    prev, count = GENESIS, 0
    for event in Event.objects.order_by("global_seq").only("global_seq", "hash", "global_hash"):
        count += 1
        if event.global_seq != count or event.global_hash != chain_hash(prev, event.hash.encode()):
            return False
        prev = event.global_hash
    head = ChainHead.objects.filter(pk=1).first()
    return (head.count, head.last_hash or GENESIS) == (count, prev) if head else count == 0


def verify_chain(case: Case) -> bool:
    """True when every event links to the one before and the case's head is the last one."""
    prev = GENESIS
    last = None
    for event in case.events.order_by("seq"):
        if event.prev_hash != prev or event.hash != chain_hash(
            prev, canonical(event, case.public_id)
        ):
            return False
        prev, last = event.hash, event
    return last is None or (case.last_event_hash == prev and case.event_count == last.seq)
