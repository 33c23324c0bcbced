"""Checking uploaded files by their content, never by their name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import IO

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from lapor.core.errors import ValidationFailed

# Photos and documents a citizen sends as evidence.
ALLOWED = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "application/pdf": "pdf",
}


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    extension: str
    size: int
    sha256: str


def check_upload(upload: IO[bytes], name: str) -> CheckedFile:
    """Refuse a file that is too large or is not, by its content, a photo or a PDF."""
    limit = settings.LAPOR_MAX_UPLOAD_BYTES
    upload.seek(0)
    digest = hashlib.sha256()
    size = 0
    head = b""
    while chunk := upload.read(1 << 16):
        if not head:
            head = chunk[:8192]
        size += len(chunk)
        if size > limit:
            raise ValidationFailed(
                _(
                    "Berkas '%(name)s' terlalu besar. Ukuran paling besar %(limit)s; perkecil "
                    "foto atau kirim berkas lain."
                )
                % {"name": name, "limit": filesizeformat(limit)},
                code="file_too_large",
                field="attachments",
            )
        digest.update(chunk)
    upload.seek(0)
    if size == 0:
        raise ValidationFailed(
            _("Berkas '%(name)s' kosong. Pilih berkas lain.") % {"name": name},
            code="file_empty",
            field="attachments",
        )
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED:
        raise ValidationFailed(
            _(
                "Berkas '%(name)s' bukan foto (JPG, PNG, WEBP, HEIC) atau PDF menurut isinya. "
                "Lampirkan foto atau dokumen PDF."
            )
            % {"name": name},
            code="file_type_refused",
            field="attachments",
        )
    return CheckedFile(
        name=name[:255],
        content_type=kind.mime,
        extension=ALLOWED[kind.mime],
        size=size,
        sha256=digest.hexdigest(),
    )
