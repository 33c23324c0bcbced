"""WhatsApp in: the Cloud API webhook (``views.whatsapp_webhook``) delivers batched entries;
each message is stored (``inbound.receive``) and handled here: ``LACAK``, ``BALAS`` and
``NILAI`` as by SMS, anything else a step of a short guided conversation (what happened,
where, the privacy choice, confirm) that ends with the tracking ID. The conversation's state is
its own row (``Conversation``), never the report's status."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from lapor.channels import intake, replies, texts
from lapor.channels.commands import handle_text
from lapor.channels.grammar import Command, parse
from lapor.channels.inbound import Ignore, over_rate, register
from lapor.channels.models import Channel, Conversation, InboundMessage
from lapor.core.errors import ValidationFailed
from lapor.core.files import check_upload
from lapor.core.ids import display
from lapor.core.phones import InvalidPhone, normalize_phone
from lapor.core.text import visible_length
from lapor.regions.models import Region
from lapor.reports.services import Upload

PROVIDER = "cloudapi"
CONVERSATION_HOURS = 24
STEP = Conversation.Step
# Privacy choices: (is_anonymous, is_confidential).
PRIVACY = {"1": (True, True), "2": (True, False), "3": (False, False)}
YES = {"ya", "y", "iya", "yes", "kirim", "ok", "oke"}
CANCEL = {"batal", "cancel", "stop"}


class Malformed(ValueError):
    pass


def read_delivery(body: bytes) -> list[dict[str, Any]]:
    """The messages of a webhook delivery (batched entries and changes), each with the
    contacts it came with (the sender's profile name); delivery statuses are not messages and
    are left out."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise Malformed("bukan JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("entry"), list):
        raise Malformed("entry[] hilang")
    found: list[dict[str, Any]] = []
    for entry in data["entry"]:
        for change in entry.get("changes") or [] if isinstance(entry, dict) else []:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                raise Malformed("changes[].value hilang")
            contacts = value.get("contacts") or []
            for message in value.get("messages") or []:
                if (
                    not isinstance(message, dict)
                    or not message.get("id")
                    or not message.get("from")
                ):
                    raise Malformed("messages[] tanpa id atau from")
                found.append({"message": message, "contacts": contacts})
    return found


def _text_of(message: dict[str, Any]) -> str:
    kind = message.get("type")
    if kind == "text":
        return str(message.get("text", {}).get("body", ""))
    if kind == "interactive":
        reply = message.get("interactive", {})
        chosen = reply.get("button_reply") or reply.get("list_reply") or {}
        return str(chosen.get("id") or chosen.get("title") or "")
    if kind == "button":
        return str(
            message.get("button", {}).get("payload") or message.get("button", {}).get("text", "")
        )
    if kind in ("image", "document"):
        return str(message.get(kind, {}).get("caption", ""))
    return ""


def _say(message: InboundMessage, body: str) -> None:
    replies.send(channel=Channel.WHATSAPP, to=message.sender, body=body)


@register(Channel.WHATSAPP)
def handle(message: InboundMessage) -> None:
    stored = json.loads(message.payload)
    data = stored["message"]
    try:
        message.sender = normalize_phone(str(data["from"]))
    except InvalidPhone:
        raise Ignore("pengirim bukan nomor telepon") from None
    if over_rate(message):
        message.status = InboundMessage.Status.LIMITED
        return
    kind = data.get("type")
    if kind not in ("text", "interactive", "button", "image", "document"):
        raise Ignore(f"jenis pesan tidak ditangani: {kind}")
    text = _text_of(data).strip()
    parsed = parse(text)
    if parsed.command not in (Command.REPORT, Command.CANCEL):
        handle_text(message, text)  # LACAK, BALAS, NILAI: as by SMS
        return
    name = next(
        (
            str(c.get("profile", {}).get("name", ""))
            for c in stored.get("contacts", [])
            if isinstance(c, dict) and str(c.get("wa_id")) == str(data["from"])
        ),
        "",
    )
    _converse(message, data, text, name)


def _open(message: InboundMessage) -> Conversation | None:
    """The sender's open conversation; one left for longer than a day is ended."""
    talk = (
        Conversation.objects.select_for_update()
        .filter(channel=Channel.WHATSAPP, sender=message.sender)
        .exclude(step__in=[STEP.DONE, STEP.CANCELLED])
        .first()
    )
    if talk is not None and talk.updated_at < timezone.now() - timedelta(hours=CONVERSATION_HOURS):
        talk.step = STEP.CANCELLED
        talk.save(update_fields=["step"])
        return None
    return talk


def _converse(message: InboundMessage, data: dict[str, Any], text: str, name: str) -> None:
    now = timezone.now()
    talk = _open(message)
    if talk is None:
        talk = Conversation.objects.create(
            channel=Channel.WHATSAPP,
            sender=message.sender,
            step=STEP.WHAT,
            data={"media": [], "name": ""},
            started_at=now,
            updated_at=now,
        )
        if visible_length(text) < intake.MIN_BODY and data.get("type") == "text":
            _say(message, texts.WA_ASK_WHAT)
            talk.save()
            return
    if text.lower() in CANCEL:
        talk.step = STEP.CANCELLED
        talk.updated_at = now
        talk.save()
        _say(message, texts.WA_CANCELLED)
        return
    state = dict(talk.data)
    state["name"] = name[:120] or state.get("name", "")
    if data.get("type") in ("image", "document"):
        state.setdefault("media", []).append(
            {
                "id": str(data[data["type"]].get("id", "")),
                "name": data[data["type"]].get("filename", ""),
            }
        )
    answer = _step(message, talk, state, text)
    talk.data = state
    talk.updated_at = now
    talk.save()
    if answer:
        _say(message, answer)


def _region_name(code: str) -> str:
    region = Region.objects.filter(code=code).select_related("parent").first()
    if region is None:
        return ""
    return f"{region.name}, {region.parent.name}" if region.parent else region.name


def _step(message: InboundMessage, talk: Conversation, state: dict[str, Any], text: str) -> str:
    """Advance the conversation with ``text``; what to answer."""
    if talk.step == STEP.WHAT:
        if not text:
            return texts.WA_PHOTO_FIRST if state.get("media") else texts.WA_ASK_WHAT
        what = f"{state.get('what', '')}\n{text}".strip()
        state["what"] = what
        if visible_length(what) < intake.MIN_BODY:
            return texts.WA_ASK_MORE
        region = intake.region_from(what)
        if region is None:
            talk.step = STEP.WHERE
            return texts.WA_ASK_WHERE
        state["region"] = region.code
        talk.step = STEP.PRIVACY
        return texts.WA_ASK_PRIVACY.format(region=_region_name(region.code))
    if talk.step == STEP.WHERE:
        region = intake.region_from(text) if text else None
        if region is None:
            return texts.WA_WHERE_UNKNOWN if text else ""
        state["region"] = region.code
        talk.step = STEP.PRIVACY
        return texts.WA_ASK_PRIVACY.format(region=_region_name(region.code))
    if talk.step == STEP.PRIVACY:
        choice = text.strip().rstrip(".")
        if choice not in PRIVACY:
            return texts.WA_ASK_PRIVACY.format(region=_region_name(state["region"])) if text else ""
        state["privacy"] = choice
        talk.step = STEP.CONFIRM
        return _summary(state)
    if talk.step == STEP.CONFIRM:
        if text.lower().strip(" .!") not in YES:
            return _summary(state) if text else ""
        return _file(message, talk, state)
    return ""


def _summary(state: dict[str, Any]) -> str:
    return texts.WA_ASK_CONFIRM.format(
        what=state["what"][:500],
        region=_region_name(state["region"]),
        privacy=texts.WA_PRIVACY_LABEL[state["privacy"]],
        files=len(state.get("media", [])),
    )


def _media(state: dict[str, Any]) -> tuple[list[Upload], list[str]]:
    from lapor.channels.whatsapp_api import fetch_media

    uploads: list[Upload] = []
    refused: list[str] = []
    for i, medium in enumerate(state.get("media", [])[: settings.LAPOR_MAX_ATTACHMENTS]):
        content, mime = fetch_media(medium["id"], settings.LAPOR_MAX_UPLOAD_BYTES)
        extension = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}.get(
            mime, "bin"
        )
        name = medium.get("name") or f"whatsapp-{i + 1}.{extension}"
        stream = io.BytesIO(content)
        try:
            check_upload(stream, name)
        except ValidationFailed as exc:
            refused.append(exc.message)
            continue
        stream.seek(0)
        uploads.append(Upload(name=name, content=stream))
    return uploads, refused


def _file(message: InboundMessage, talk: Conversation, state: dict[str, Any]) -> str:
    is_anonymous, is_confidential = PRIVACY[state["privacy"]]
    region = Region.objects.get(code=state["region"])
    uploads, refused = _media(state)
    filed = intake.file_report(
        channel=Channel.WHATSAPP,
        text=state["what"],
        region=region,
        address=message.sender,
        contact_phone=message.sender,
        contact_name="" if is_anonymous else str(state.get("name", "")),
        is_anonymous=is_anonymous,
        is_confidential=is_confidential,
        attachments=uploads,
        inbound=message,
    )
    report = filed.submitted.report
    talk.step = STEP.DONE
    talk.report = report
    body = texts.WA_FILED.format(
        tid=display(report.tracking_id),
        secret=filed.submitted.secret,
        link=texts.track_link(report.tracking_id),
    )
    for reason in refused:
        body += "\n\n" + texts.WA_FILE_REFUSED.format(reason=reason)
    replies.replace_receipt(channel=Channel.WHATSAPP, report=report, to=message.sender, body=body)
    return ""
