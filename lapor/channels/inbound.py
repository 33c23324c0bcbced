"""The common door of every channel: store the raw message, acknowledge a provider's retry
without effect, act on the message in the same transaction, and keep it (marked failed) when
acting on it crashed, so ``lapor channels replay`` can process it again once fixed.

A channel registers one handler (``register``); the handler parses the stored payload, sets
the message's ``sender`` (normalised), and calls the report services. Everything it writes
(reports, conversations, outbound notification rows) commits with the message, or not at all.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from lapor.channels.models import InboundMessage

logger = logging.getLogger("lapor.channels")
S = InboundMessage.Status

Handler = Callable[[InboundMessage], None]
_HANDLERS: dict[str, Handler] = {}


class Ignore(Exception):
    """The message needs no action (an auto-reply, a bounce): stored, marked ignored."""


def register(channel: str) -> Callable[[Handler], Handler]:
    def wrap(handler: Handler) -> Handler:
        _HANDLERS[channel] = handler
        return handler

    return wrap


def _handler(channel: str) -> Handler:
    if channel not in _HANDLERS:
        # The handlers register on import; importing them here keeps core free of channels.
        from lapor.channels import email, sms, whatsapp  # noqa: F401

    return _HANDLERS[channel]


@dataclass(frozen=True)
class Received:
    message: InboundMessage
    duplicate: bool = False


def receive(
    *,
    channel: str,
    provider: str,
    message_id: str,
    payload: str = "",
    raw: bytes = b"",
    headers: Mapping[str, str] | None = None,
    received_at: datetime | None = None,
) -> Received:
    """Store one inbound message and act on it, in one durable transaction.

    A message already stored under the same ``(channel, message_id)`` is a provider's retry:
    nothing is done and ``duplicate`` is set (the caller acknowledges it all the same)."""
    now = timezone.now()
    with transaction.atomic(durable=True):
        try:
            with transaction.atomic():
                message = InboundMessage.objects.create(
                    channel=channel,
                    provider=provider,
                    provider_message_id=message_id[:255],
                    payload=payload,
                    payload_raw=raw,
                    headers=dict(headers or {}),
                    received_at=received_at or now,
                )
        except IntegrityError:
            existing = InboundMessage.objects.get(channel=channel, provider_message_id=message_id)
            return Received(message=existing, duplicate=True)
        _process(message)
    return Received(message=message)


def store_failed(
    *,
    channel: str,
    provider: str,
    message_id: str,
    raw: bytes,
    headers: Mapping[str, str],
    error: str,
) -> InboundMessage:
    """Keep a delivery that could not even be read (not JSON, no message): marked failed, for
    an operator to look at and replay."""
    with transaction.atomic(durable=True):
        message, _created = InboundMessage.objects.get_or_create(
            channel=channel,
            provider_message_id=message_id[:255],
            defaults={
                "provider": provider,
                "payload_raw": raw,
                "headers": dict(headers),
                "received_at": timezone.now(),
                "status": S.FAILED,
                "error": error[:2000],
            },
        )
    return message


def _process(message: InboundMessage) -> None:
    """Run the channel's handler inside a savepoint: a crash rolls back what it wrote but
    keeps the message, marked failed with the error."""
    message.attempts += 1
    try:
        with transaction.atomic():
            _handler(message.channel)(message)
    except Ignore as why:
        message.report = None
        message.status = S.IGNORED
        message.error = str(why)[:2000]
    except Exception as exc:
        logger.exception("Inbound %s message %s failed", message.channel, message.pk)
        message.report = None  # what the handler linked was rolled back with it
        message.status = S.FAILED
        message.error = "".join(traceback.format_exception_only(type(exc), exc))[:2000]
    else:
        if message.status in (S.RECEIVED, S.FAILED):
            message.status = S.PROCESSED
        message.error = ""
    message.processed_at = timezone.now()
    message.save()


def over_rate(message: InboundMessage) -> bool:
    """Whether the sender has sent more than ``LAPOR_CHANNEL_RATE_PER_HOUR`` messages on this
    channel in the last hour (counting this one). Counted in the database, so every app
    process sees the same count."""
    since = message.received_at - timedelta(hours=1)
    count = (
        InboundMessage.objects.filter(
            channel=message.channel, sender=message.sender, received_at__gte=since
        )
        .exclude(pk=message.pk)
        .exclude(status=S.LIMITED)
        .count()
    )
    return count + 1 > settings.LAPOR_CHANNEL_RATE_PER_HOUR


def replay(message: InboundMessage) -> InboundMessage:
    """Process a stored message again (after a fix): only one not processed yet."""
    with transaction.atomic(durable=True):
        locked = InboundMessage.objects.select_for_update().get(pk=message.pk)
        if locked.status not in (S.FAILED, S.RECEIVED):
            return locked
        locked.status = S.RECEIVED
        _process(locked)
    return locked
