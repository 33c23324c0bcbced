"""SMS in: a gateway's webhook (a generic JSON shape, or Infobip's ``results[]``) and a modem
on the premises (gammu-smsd's ``RunOnReceive`` calling ``lapor channels sms-receive``).

Each message is stored raw (``inbound.receive``) before it is read; what it says is done by
``commands.handle_text``. Parts of a concatenated SMS delivered one by one are kept
(``SmsPart``) and the message is acted on once its last part has come."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from lapor.channels.commands import handle_text
from lapor.channels.inbound import Ignore, over_rate, register
from lapor.channels.models import Channel, InboundMessage, SmsPart
from lapor.core.phones import InvalidPhone, normalize_phone

GENERIC = "generic"
INFOBIP = "infobip"
GAMMU = "gammu"


class Malformed(ValueError):
    """A delivery that is not in the provider's shape."""


@dataclass(frozen=True)
class Part:
    reference: str
    number: int
    total: int


@dataclass(frozen=True)
class Sms:
    message_id: str
    sender: str
    text: str
    raw: dict[str, Any]
    part: Part | None = None


def _text(value: object, name: str) -> str:
    if not isinstance(value, str | int) or not str(value).strip():
        raise Malformed(f"{name} hilang atau kosong")
    return str(value)


def read(provider: str, data: dict[str, Any]) -> Sms:
    """One message of a delivery, in the provider's shape."""
    if not isinstance(data, dict):
        raise Malformed("pesan bukan objek JSON")
    if provider == INFOBIP:
        return Sms(
            message_id=_text(data.get("messageId"), "messageId"),
            sender=_text(data.get("from"), "from"),
            text=str(data.get("text") or data.get("cleanText") or ""),
            raw=data,
        )
    if provider == GAMMU:
        return Sms(
            message_id=_text(data.get("id"), "id"),
            sender=_text(data.get("number"), "number"),
            text=str(data.get("text") or ""),
            raw=data,
        )
    part = None
    if data.get("part") is not None:
        p = data["part"]
        try:
            part = Part(str(p["ref"]), int(p["number"]), int(p["total"]))
        except (KeyError, TypeError, ValueError):
            raise Malformed("part harus berisi ref, number dan total") from None
        if not 1 <= part.number <= part.total <= 20:
            raise Malformed("nomor part di luar jumlahnya")
    return Sms(
        message_id=_text(data.get("id") or data.get("message_id"), "id"),
        sender=_text(data.get("from"), "from"),
        text=str(data.get("text") or ""),
        raw=data,
        part=part,
    )


def read_delivery(provider: str, body: bytes) -> list[Sms]:
    """Every message of one webhook delivery; ``Malformed`` when it is not in shape."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise Malformed("bukan JSON") from None
    if provider == INFOBIP:
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise Malformed("results[] hilang")
        items = data["results"]
    else:
        items = data.get("messages") if isinstance(data, dict) and "messages" in data else [data]
        if not isinstance(items, list):
            raise Malformed("messages harus berupa daftar")
    if not items:
        raise Malformed("tidak ada pesan")
    return [read(provider, item) for item in items]


def fallback_id(body: bytes) -> str:
    """The key a delivery with no readable message ID is kept under (a resend matches it)."""
    return "sha256:" + hashlib.sha256(body).hexdigest()


@register(Channel.SMS)
def handle(message: InboundMessage) -> None:
    sms = read(message.provider, json.loads(message.payload))
    try:
        message.sender = normalize_phone(sms.sender)
    except InvalidPhone:
        raise Ignore("pengirim bukan nomor telepon (kode singkat atau nama)") from None
    if over_rate(message):
        message.status = InboundMessage.Status.LIMITED
        return
    text = sms.text
    if sms.part is not None:
        joined = _join(message, sms.part, text)
        if joined is None:
            return  # waiting for the other parts
        text = joined
    handle_text(message, text)


def _join(message: InboundMessage, part: Part, text: str) -> str | None:
    """Keep this part; the whole text once every part is here, else None."""
    SmsPart.objects.get_or_create(
        sender=message.sender,
        reference=part.reference,
        total=part.total,
        number=part.number,
        defaults={"text": text, "inbound": message, "received_at": timezone.now()},
    )
    parts = list(
        SmsPart.objects.select_for_update()
        .filter(sender=message.sender, reference=part.reference, total=part.total)
        .order_by("number")
    )
    if len(parts) < part.total:
        return None
    SmsPart.objects.filter(pk__in=[p.pk for p in parts]).delete()
    return "".join(p.text for p in parts)
