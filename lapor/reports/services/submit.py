from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lapor.categories.models import Category
from lapor.core import ids
from lapor.core.errors import IdempotencyMismatch, ValidationFailed
from lapor.core.files import CheckedFile, check_upload
from lapor.core.text import clean
from lapor.core.thumbnails import delete_with_thumbnail, make_thumbnail
from lapor.regions.models import Region
from lapor.reports import sla
from lapor.reports.error_codes import ReportErrorCode
from lapor.reports.events import build_event, write_events
from lapor.reports.lifecycle import Action, Status
from lapor.reports.models import Attachment, Report, SubmitKey
from lapor.reports.services._base import REPORTER
from lapor.reports.services.submit_checks import (
    check_requested_agency,
    normalized_phone,
    validate,
)

if TYPE_CHECKING:
    from lapor.accounts.models import User
    from lapor.agencies.models import Agency


@dataclass(frozen=True)
class Upload:
    name: str
    content: IO[bytes]


@dataclass(frozen=True)
class Submitted:
    report: Report
    secret: str  # shown once to a guest; only its hash is stored
    replayed: bool = False  # the caller's idempotency key had made this report already


def report_submit(
    *,
    type: str,
    title: str,
    body: str,
    region: Region | None,
    channel: str,
    category: Category | None = None,
    reporter: User | None = None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    is_anonymous: bool = True,
    is_confidential: bool = True,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    incident_date: date | None = None,
    attachments: list[Upload] | tuple[Upload, ...] = (),
    consent_version: str = "",
    at: datetime | None = None,
    idempotency_key: str = "",
    caller: str = "",
    request_hash: str = "",
    actor: User | None = None,
    actor_role: str = REPORTER,
    requested_agency: Agency | None = None,
) -> Submitted:
    """Store a new report with its first event and its routing job, in one transaction: the
    worker sees the job once the report is committed, and a rolled-back submit leaves neither.

    Everything is checked before anything is written: a refused file or field leaves no row
    and no stored file behind.

    With an ``idempotency_key``, the same ``caller`` (a stable identity: ``partner:<id>``,
    ``user:<id>``, ``portal``) resending it gets the report it made the first time
    (``replayed``, no secret: it was shown once), also when both arrive at the same moment; the
    key with other content (``request_hash``, or the hash of the arguments) is refused with
    ``IdempotencyMismatch`` and nothing is written.

    ``actor`` is who files the report when that is not the reporter: a partner system's service
    account (``actor_role`` ``mitra``) filing for a citizen of its own, who stays a guest (their
    contact, the secret returned to the partner to pass on) and keeps every reporter right; the
    actor is named in the submit event and gains none of them."""
    now = at or timezone.now()
    key = idempotency_key.strip()
    if key:
        if not caller:
            raise ValueError("an idempotency key needs the caller it belongs to")
        request_hash = request_hash or submission_hash(
            type=type,
            title=title,
            body=body,
            region=region,
            channel=channel,
            category=category,
            reporter=reporter,
            contact_name=contact_name,
            contact_email=contact_email,
            contact_phone=contact_phone,
            is_anonymous=is_anonymous,
            is_confidential=is_confidential,
            latitude=latitude,
            longitude=longitude,
            incident_date=incident_date,
            attachments=attachments,
            consent_version=consent_version,
        )
        replay = _replay(caller, key, request_hash)
        if replay is not None:
            return replay
    title, body = clean(title), clean(body)
    contact_email = contact_email.strip().lower()
    contact_phone = normalized_phone(contact_phone)
    validate(
        type=type,
        title=title,
        body=body,
        region=region,
        category=category,
        channel=channel,
        reporter=reporter,
        relayed=actor is not None,
        contact_email=contact_email,
        contact_phone=contact_phone,
        latitude=latitude,
        longitude=longitude,
        incident_date=incident_date,
        now=now,
    )
    check_requested_agency(requested_agency)
    if len(attachments) > settings.LAPOR_MAX_ATTACHMENTS:
        raise ValidationFailed(
            ngettext(
                "Paling banyak %(count)d lampiran per laporan.",
                "Paling banyak %(count)d lampiran per laporan.",
                settings.LAPOR_MAX_ATTACHMENTS,
            )
            % {"count": settings.LAPOR_MAX_ATTACHMENTS},
            code=ReportErrorCode.TOO_MANY_FILES,
            field="attachments",
        )
    # Photos come back re-encoded without their location and camera data (core.files).
    checked = [check_upload(u.content, u.name) for u in attachments]
    assert region is not None  # checked by validate
    secret = ids.new_secret() if reporter is None else ""
    stored: list[str] = []
    try:
        with transaction.atomic():
            report = _insert(
                type=type,
                title=title.strip(),
                body=body.strip(),
                region=region,
                category=category,
                channel=channel,
                reporter=reporter,
                contact_name=contact_name.strip(),
                contact_email=contact_email,
                contact_phone=contact_phone,
                is_anonymous=is_anonymous,
                is_confidential=is_confidential,
                latitude=latitude,
                longitude=longitude,
                incident_date=incident_date,
                consent_version=consent_version,
                requested_agency=requested_agency,
                secret=secret,
                now=now,
            )
            if key:
                _claim(caller=caller, key=key, request_hash=request_hash, report=report, now=now)
            for info in checked:
                stored.append(_store(report, info))
            event = build_event(
                report,
                action=Action.SUBMIT,
                from_status="",
                to_status=Status.SUBMITTED,
                actor_id=actor.pk if actor else (reporter.pk if reporter else None),
                actor_role=actor_role,
                data={
                    "channel": channel,
                    "attachments": len(checked),
                    **({"requested": requested_agency.code} if requested_agency else {}),
                },
                at=now,
            )
            report.save(update_fields=["event_count", "last_event_hash"])
            from lapor.notifications.services import notify_report_event
            from lapor.reports.tasks import route_report

            notify_report_event(report, event)
            route_report.enqueue(report.pk)  # a row of the queue table, in this transaction
            write_events([event])  # last: it holds a stripe head of the day chain until the commit
    except _KeyTaken:
        for path in stored:
            delete_with_thumbnail(path)
        replay = _replay(caller, key, request_hash)
        assert replay is not None  # the winner committed: that is why the key was taken
        return replay
    except BaseException:
        for path in stored:
            delete_with_thumbnail(path)
        raise
    return Submitted(report=report, secret=secret)


class _KeyTaken(Exception):
    """Another request with the same key committed first: this one's report is rolled back."""


def _claim(*, caller: str, key: str, request_hash: str, report: Report, now: datetime) -> None:
    """Record the key with the new report. Done right after the report's row, so a concurrent
    resend waits here on the unique index and, once the first commits, gives way to it."""
    try:
        with transaction.atomic():
            SubmitKey.objects.create(
                caller=caller, key=key, request_hash=request_hash, report=report, created_at=now
            )
    except IntegrityError:
        raise _KeyTaken from None


def key_ttl() -> timedelta:
    """How long a submission's idempotency key holds (``IDEMPOTENCY_KEY_HOURS``): an older key
    is a new key, and the daily prune deletes it."""
    return timedelta(hours=settings.LAPOR_IDEMPOTENCY_KEY_HOURS)


def prune_submit_keys(*, now: datetime | None = None) -> int:
    """Delete the submission keys past their time; the number deleted."""
    cutoff = (now or timezone.now()) - key_ttl()
    deleted, _ = SubmitKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _replay(caller: str, key: str, request_hash: str) -> Submitted | None:
    """The report the key made before, or None; ``IdempotencyMismatch`` for other content.
    A key past its time is dropped here (the prune may not have run yet) and so is new."""
    found = SubmitKey.objects.select_related("report").filter(caller=caller, key=key).first()
    if found is None:
        return None
    if found.created_at < timezone.now() - key_ttl():
        SubmitKey.objects.filter(pk=found.pk).delete()
        return None
    if found.request_hash != request_hash:
        raise IdempotencyMismatch(
            _(
                "Kunci idempotensi ini sudah dipakai untuk laporan dengan isi lain. Kirim "
                "laporan baru dengan kunci baru."
            ),
            field="idempotency_key",
        )
    return Submitted(report=found.report, secret="", replayed=True)


def submission_hash(
    *,
    region: Region | None,
    category: Category | None,
    reporter: User | None,
    attachments: list[Upload] | tuple[Upload, ...],
    **fields: object,
) -> str:
    """SHA-256 of the submitted content in a canonical form (keys sorted; related rows by their
    code or id; files by name and the SHA-256 of their bytes), the same for the same request."""
    files = []
    for upload in attachments:
        start = upload.content.tell()
        files.append([upload.name, hashlib.sha256(upload.content.read()).hexdigest()])
        upload.content.seek(start)
    canonical = {
        **{k: v.strip() if isinstance(v, str) else v for k, v in fields.items()},
        "region": region.code if region is not None else None,
        "category": category.code if category is not None else None,
        "reporter": reporter.pk if reporter is not None else None,
        "attachments": files,
    }
    text = json.dumps(canonical, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _insert(
    *, secret: str, now: datetime, region: Region, category: Category | None, **fields: object
) -> Report:
    policy = sla.policy_for(None, category, now)
    for _attempt in range(5):
        report = Report(
            tracking_id=ids.new_tracking_id(),
            guest_secret_hash=ids.hash_secret(secret) if secret else "",
            region=region,
            category=category,
            status=Status.SUBMITTED,
            sla_policy=policy,
            submitted_at=now,
            updated_at=now,
            **fields,
        )
        sla.start_verify_clock(report, now)
        try:
            with transaction.atomic():
                report.save(force_insert=True)
            return report
        except IntegrityError:
            if Report.objects.filter(tracking_id=report.tracking_id).exists():
                continue  # a 1-in-10^16 collision: draw again
            raise
    raise RuntimeError("could not draw a free tracking ID")


def _store(report: Report, info: CheckedFile) -> str:
    """Store what ``check_upload`` kept of a file: a photo cleaned of its EXIF, XMP and
    comments, a PDF as sent. ``sha256`` and ``size`` are those of the stored bytes."""
    info.content.seek(0)
    attachment = Attachment(
        report=report,
        original_name=info.name,
        content_type=info.content_type,
        size=info.size,
        sha256=info.sha256,
    )
    attachment.file.save(f"{uuid.uuid4().hex}.{info.extension}", File(info.content), save=False)
    attachment.thumbnail.name = make_thumbnail(attachment.file.name or "", info.content_type)
    attachment.save()
    return str(attachment.file.name)
