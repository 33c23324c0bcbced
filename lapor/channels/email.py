"""E-mail in: a mail service's inbound webhook through django-anymail, or raw MIME from the
mail server's pipe (``lapor channels email-receive < message.eml``).

A new e-mail to the intake address files a report (its attachments checked like uploads); a
reply to one of our messages reaches its report through the signed reply-to address
(``lapor+<tracking ID>.<HMAC>@…``, which cannot be forged without the secret) and, coming
from the reporter's address, becomes their reply. Automatic mail (out-of-office replies,
bounces) is stored and never answered."""

from __future__ import annotations

import hashlib
import hmac
import io
import re
from email.utils import getaddresses

from anymail.inbound import AnymailInboundMessage
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email

from lapor.channels import intake, replies, texts
from lapor.channels.email_text import automatic, body_text, strip_reply
from lapor.channels.grammar import Command, keyword
from lapor.channels.inbound import Ignore, over_rate, register
from lapor.channels.models import Channel, InboundMessage
from lapor.core.errors import LaporError, ValidationFailed
from lapor.core.files import check_upload
from lapor.core.ids import display
from lapor.reports.models import Report
from lapor.reports.services import Upload, is_reporter, report_rate, report_reply

MIME = "mime"
# A reply whose first word is NILAI (or a slip of it) and a grade rates the report.
RATING = re.compile(r"^\s*([A-Za-z]{4,6})\s*[:=]?\s*([1-5])\b(.*)$", re.S)
SUBJECT_PREFIX = re.compile(r"^\s*((re|fw|fwd|tr|bls|balas)\s*:\s*)+", re.I)


def parse(raw: bytes) -> AnymailInboundMessage:
    return AnymailInboundMessage.parse_raw_mime_bytes(raw)


def message_id(mail: AnymailInboundMessage, raw: bytes) -> str:
    value = (mail.get("Message-ID") or "").strip().strip("<>").strip()
    return value[:255] if value else "sha256:" + hashlib.sha256(raw).hexdigest()


def _signature(tracking_id: str) -> str:
    key = settings.LAPOR_CHANNEL_EMAIL_SECRET.encode()
    return hmac.new(key, f"reply:{tracking_id}".encode(), hashlib.sha256).hexdigest()[:20]


def reply_address(tracking_id: str) -> str:
    """The address a reply about ``tracking_id`` is sent to: the intake address with the
    report's ID and its HMAC in the local part."""
    local, _, domain = settings.LAPOR_CHANNEL_EMAIL_ADDRESS.partition("@")
    return f"{local}+{tracking_id.lower()}.{_signature(tracking_id)}@{domain}"


def signed_target(mail: AnymailInboundMessage) -> str | None:
    """The tracking ID of a signed reply-to address the mail was sent to, if the HMAC holds."""
    local, _, domain = settings.LAPOR_CHANNEL_EMAIL_ADDRESS.partition("@")
    pattern = re.compile(
        rf"^{re.escape(local)}\+([0-9a-z]{{12}})\.([0-9a-f]{{20}})@{re.escape(domain)}$", re.I
    )
    headers: list[str] = []
    for name in ("To", "Cc", "Delivered-To", "X-Original-To"):
        headers.extend(mail.get_all(name) or [])
    for _name, address in getaddresses([str(h) for h in headers]):
        found = pattern.match(address.strip())
        if found:
            tracking_id = found.group(1).upper()
            if hmac.compare_digest(_signature(tracking_id), found.group(2).lower()):
                return tracking_id
    return None


def reply_to_for(report: Report | None, recipient: str) -> list[str]:
    """Reply-To of a message to ``recipient`` about ``report``: the signed address when the
    e-mail channel is on and the recipient is the report's reporter."""
    if (
        report is None
        or not settings.LAPOR_CHANNEL_EMAIL
        or not settings.LAPOR_CHANNEL_EMAIL_ADDRESS
        or not report.contact_email
        or report.contact_email.lower() != recipient.lower()
    ):
        return []
    return [reply_address(report.tracking_id)]


@register(Channel.EMAIL)
def handle(message: InboundMessage) -> None:
    mail = parse(bytes(message.payload_raw))
    why = automatic(mail)
    if why:
        raise Ignore(why)
    sender = mail.from_email.addr_spec.strip().lower() if mail.from_email else ""
    try:
        validate_email(sender)
    except DjangoValidationError:
        raise Ignore("alamat pengirim tidak valid") from None
    message.sender = sender
    if over_rate(message):
        message.status = InboundMessage.Status.LIMITED
        return
    text = strip_reply(body_text(mail))
    target = signed_target(mail)
    if target is not None:
        _reply(message, target, text)
    elif _unsigned_reply(mail):
        raise Ignore("alamat balasan bertanda tangan tidak sah")
    else:
        _new_report(message, mail, text)


def _unsigned_reply(mail: AnymailInboundMessage) -> bool:
    """Sent to a ``lapor+…`` address whose signature does not hold: a forgery or a typo."""
    local = settings.LAPOR_CHANNEL_EMAIL_ADDRESS.partition("@")[0]
    prefix = f"{local}+".lower()
    return any(
        address.lower().startswith(prefix)
        for _n, address in getaddresses([str(h) for h in mail.get_all("To") or []])
    )


def _send(message: InboundMessage, subject: str, body: str, report: Report | None = None) -> None:
    replies.send(
        channel=Channel.EMAIL, to=message.sender, subject=subject, body=body, report=report
    )


def _reply(message: InboundMessage, tracking_id: str, text: str) -> None:
    report = Report.objects.filter(tracking_id=tracking_id).first()
    tid = display(tracking_id)
    if report is None or not is_reporter(report, contact=message.sender):
        # Says nothing of the report: the sender is not its reporter.
        _send(message, texts.EMAIL_REPLY_REFUSED_SUBJECT, texts.EMAIL_REPLY_REFUSED)
        return
    message.report = report
    rating = RATING.match(text)
    if rating and keyword(rating.group(1)) is Command.RATE:
        _rate(message, report, int(rating.group(2)), rating.group(3).strip())
        return
    try:
        report_reply(report=report, message=text, contact=message.sender)
    except LaporError as refused:
        _send(
            message,
            texts.EMAIL_REPLY_SUBJECT.format(tid=tid),
            texts.EMAIL_REPLY_NOT_RECORDED.format(tid=tid, reason=refused.message),
            report,
        )
        return
    _send(
        message,
        texts.EMAIL_REPLY_SUBJECT.format(tid=tid),
        texts.EMAIL_REPLIED.format(tid=tid, link=texts.track_link(report.tracking_id)),
        report,
    )


def _rate(message: InboundMessage, report: Report, rating: int, comment: str) -> None:
    tid = display(report.tracking_id)
    try:
        report_rate(report=report, rating=rating, comment=comment, contact=message.sender)
    except LaporError as refused:
        body = texts.EMAIL_REPLY_NOT_RECORDED.format(tid=tid, reason=refused.message)
    else:
        body = texts.EMAIL_RATED.format(tid=tid, rating=rating)
    _send(message, texts.EMAIL_REPLY_SUBJECT.format(tid=tid), body, report)


def _attachments(mail: AnymailInboundMessage) -> tuple[list[Upload], list[str]]:
    """The attachments that pass the upload checks, and a line for each refused one."""
    kept: list[Upload] = []
    refused: list[str] = []
    for part in mail.attachments:
        name = part.get_filename() or "lampiran"
        if len(kept) >= settings.LAPOR_MAX_ATTACHMENTS:
            refused.append(texts.EMAIL_TOO_MANY_FILES.format(name=name))
            continue
        content = io.BytesIO(part.get_content_bytes() or b"")
        try:
            check_upload(content, name)
        except ValidationFailed as exc:
            refused.append(exc.message)
            continue
        content.seek(0)
        kept.append(Upload(name=name, content=content))
    return kept, refused


def _new_report(message: InboundMessage, mail: AnymailInboundMessage, text: str) -> None:
    subject = SUBJECT_PREFIX.sub("", mail.subject or "").strip()
    story = text
    region = intake.region_from(f"{subject}\n{story}")
    lacking = intake.missing(story, region)
    if lacking is not None:
        body = texts.EMAIL_ASK_WHAT if lacking is intake.Missing.WHAT else texts.EMAIL_ASK_WHERE
        _send(message, texts.EMAIL_ASK_SUBJECT, body)
        return
    assert region is not None
    uploads, refused = _attachments(mail)
    filed = intake.file_report(
        channel=Channel.EMAIL,
        text=story,
        title=subject[:200] if len(subject) >= 5 else "",
        region=region,
        address=message.sender,
        contact_email=message.sender,
        attachments=uploads,
        inbound=message,
    )
    report = filed.submitted.report
    tid = display(report.tracking_id)
    body = texts.filed_email(report, filed.submitted.secret)
    if refused:
        body += "\n\n" + texts.EMAIL_FILES_REFUSED + "\n" + "\n".join(f"- {r}" for r in refused)
    replies.replace_receipt(
        channel=Channel.EMAIL,
        report=report,
        to=message.sender,
        subject=texts.FILED_EMAIL_SUBJECT.format(tid=tid),
        body=body,
    )
