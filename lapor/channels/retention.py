"""Keeping citizens' numbers, addresses and words no longer than the reports keep them (UU PDP).

The stored inbound messages are the proof that nothing was lost and the key that makes a
provider's resend harmless, but their payloads hold the sender's number or address and what
they wrote. ``purge`` empties them once the report retention period has passed (the row and its
provider message ID stay, so a very late resend still does nothing), forgets the channel
address of reports whose reporter's identity was erased, and deletes finished conversations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lapor.channels.models import ChannelReport, Conversation, InboundMessage

S = InboundMessage.Status


@dataclass(frozen=True)
class Purged:
    messages: int
    addresses: int
    conversations: int


def purge(*, now: datetime | None = None, dry_run: bool = False) -> Purged:
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.LAPOR_CONTACT_RETENTION_DAYS)
    old = (
        InboundMessage.objects.filter(received_at__lt=cutoff)
        .exclude(
            status__in=[S.FAILED, S.RECEIVED]  # still to be looked at and replayed
        )
        .exclude(sender="", payload="", payload_raw=b"")
    )
    erased = InboundMessage.objects.filter(report__identity_erased_at__isnull=False).exclude(
        sender="", payload="", payload_raw=b""
    )
    addresses = ChannelReport.objects.filter(report__identity_erased_at__isnull=False).exclude(
        address=""
    )
    finished = Conversation.objects.filter(
        step__in=[Conversation.Step.DONE, Conversation.Step.CANCELLED], updated_at__lt=cutoff
    )
    if dry_run:
        ids = set(old.values_list("pk", flat=True)) | set(erased.values_list("pk", flat=True))
        return Purged(len(ids), addresses.count(), finished.count())
    with transaction.atomic():
        blank = {"sender": "", "payload": "", "payload_raw": b"", "headers": {}}
        messages = old.update(**blank) + erased.update(**blank)
        forgotten = addresses.update(address="")
        deleted, _ = finished.delete()
    return Purged(messages, forgotten, deleted)
