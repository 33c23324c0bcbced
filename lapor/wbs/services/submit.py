"""Filing a case, and opening it again with the receipt."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.agencies.models import Agency
from lapor.core.errors import NotFound, ValidationFailed
from lapor.core.workdays import add_working_days
from lapor.wbs import crypto, events, recipients
from lapor.wbs.error_codes import WbsErrorCode
from lapor.wbs.models import Case, CaseKey, EvidenceFile, PersonKey, Stage, StageDeadline
from lapor.wbs.services._common import (
    INSPECTOR,
    WHISTLEBLOWER,
    escrow_key,
    index_key,
    kdf_cost,
    notify_recipients,
)

# The receipt check of an unknown receipt runs Argon2id over this salt, so that it costs what a
# known one costs.
_DUMMY_SALT = b"\0" * crypto.SALT_BYTES


@dataclass
class EncryptedUpload:
    """An evidence file already encrypted as it arrived (``uploads``): ``file`` holds only
    ciphertext; ``key`` is the stream key, held in memory until it is sealed to the case."""

    name: str
    content_type: str
    size: int
    key: bytes
    file: IO[bytes]


def encrypt_upload(name: str, content_type: str, chunks: Any, out: IO[bytes]) -> EncryptedUpload:
    key, size = crypto.encrypted_chunks(chunks, out)
    out.seek(0)
    return EncryptedUpload(name=name, content_type=content_type, size=size, key=key, file=out)


@dataclass(frozen=True)
class Submitted:
    case: Case
    receipt: str


def stage_deadline(stage: str, at: datetime, agency: Agency) -> datetime | None:
    row = StageDeadline.objects.filter(stage=stage).first()
    if row is None or stage == Stage.CONCLUDED:
        return None
    return add_working_days(at, row.working_days, agency.timezone)


def case_submit(
    *,
    agency: Agency,
    accused: str,
    content: dict[str, str],
    identity: dict[str, str] | None = None,
    files: list[EncryptedUpload] | tuple[EncryptedUpload, ...] = (),
    at: datetime | None = None,
) -> Submitted:
    """File a WBS case; returns it with its receipt (to show once, stored only as a slow hash)."""
    found = recipients.resolve(agency, accused)
    if found is None:
        raise ValidationFailed(
            _(
                "Saat ini belum ada inspektorat yang dapat menerima laporan ini. Laporan Anda "
                "tidak tersimpan; coba lagi nanti atau hubungi inspektorat secara langsung."
            ),
            code=WbsErrorCode.NO_RECIPIENT,
        )
    level, people = found
    now = at or timezone.now()
    public, private = crypto.new_case_key()
    receipt = crypto.new_receipt()
    cost = kdf_cost()
    salt = crypto.new_salt()
    verifier, wrap_key = crypto.receipt_secrets(receipt, salt, cost)
    stored: list[tuple[str, int]] = []
    try:
        with transaction.atomic():
            case = Case.objects.create(
                public_id=secrets.token_hex(6).upper(),
                agency=agency,
                accused=accused,
                handled_by=level,
                stage=Stage.RECEIVED,
                deadline_at=stage_deadline(Stage.RECEIVED, now, agency),
                public_key=public,
                content=crypto.seal_json(public, content),
                identity=crypto.seal_json(public, identity) if identity else None,
                receipt_index=crypto.receipt_index(index_key(), receipt),
                receipt_salt=salt,
                receipt_verifier=verifier,
                receipt_opslimit=cost.opslimit,
                receipt_memlimit=cost.memlimit,
                whistleblower_key=crypto.box_encrypt(wrap_key, private),
                escrow_sealed=crypto.seal(escrow, private) if (escrow := escrow_key()) else None,
                created_at=now,
                updated_at=now,
            )
            events.record(
                case,
                "received",
                actor_id=None,
                role=WHISTLEBLOWER,
                at=now,
                data={"files": len(files), "identity": identity is not None},
            )
            for person in people:
                wrapped = PersonKey.objects.get(user=person)
                CaseKey.objects.create(
                    case=case, user=person, sealed=crypto.seal(bytes(wrapped.public_key), private)
                )
                events.record(case, "assigned", actor_id=person.pk, role=INSPECTOR, at=now)
            for upload in files:
                name = default_storage.save(f"wbs/{secrets.token_hex(16)}", File(upload.file))
                size = default_storage.size(name)
                stored.append((name, size))
                EvidenceFile.objects.create(
                    case=case,
                    storage_name=name,
                    stored_size=size,
                    sealed_meta=crypto.seal_json(
                        public,
                        {
                            "name": upload.name,
                            "type": upload.content_type,
                            "size": upload.size,
                            "key": upload.key.hex(),
                        },
                    ),
                )
            case.save()
            notify_recipients(people)
    except BaseException:
        for name, _size in stored:
            default_storage.delete(name)
        raise
    return Submitted(case=case, receipt=receipt)


def _wrong_receipt() -> NotFound:
    return NotFound(
        _("Nomor resi tidak dikenali. Periksa ke-16 angkanya lalu coba lagi."),
        code=WbsErrorCode.RECEIPT_WRONG,
    )


def case_open_by_receipt(*, receipt: str) -> tuple[Case, bytes]:
    """The case of ``receipt`` and its private key. A wrong receipt costs the same slow
    derivation as a right one: the keyed index finds the row (or none), then Argon2id always
    runs and the verifier is compared in constant time."""
    digits = crypto.normalise_receipt(receipt)
    index = crypto.receipt_index(index_key(), digits)
    case = Case.objects.filter(receipt_index=index).first()
    if case is None:
        cost = kdf_cost()
        crypto.receipt_secrets(digits, _DUMMY_SALT, cost)
        raise _wrong_receipt()
    cost = crypto.KdfCost(case.receipt_opslimit, case.receipt_memlimit)
    verifier, wrap_key = crypto.receipt_secrets(digits, bytes(case.receipt_salt), cost)
    if not crypto.same(verifier, bytes(case.receipt_verifier)):
        raise _wrong_receipt()
    try:
        private = crypto.box_decrypt(wrap_key, bytes(case.whistleblower_key))
    except crypto.Tampered:
        raise _wrong_receipt() from None
    return case, private
