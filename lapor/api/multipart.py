"""``multipart/form-data`` bodies of the API: a report's fields and its files in one request.

A partner sends its report as the ``report`` part (the same JSON document it would send as an
``application/json`` body) and the files as repeated ``attachments`` parts; a citizen app sends
its form fields and ``attachments`` parts (``citizen.views.Reports``). The files then go through
the same checks as the portal's (``reports.services.report_submit`` → ``core.files``): content
type by content, size, count, photos re-encoded without EXIF.

``canonical`` is the form of a multipart body an ``Idempotency-Key`` compares: every text part
(a JSON part parsed, so key order and spacing do not matter) and every file by its name and the
SHA-256 of its bytes. The same key with the same files is the same request; another file under
the same name is another request (``partner.idempotency``)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from rest_framework.request import Request

from lapor.api.base import refuse_unknown_names
from lapor.core.errors import ValidationFailed

FILES = "attachments"


def is_multipart(request: Request) -> bool:
    return str(request.content_type or "").lower().startswith("multipart/form-data")


def files(request: Request, field: str = FILES) -> list[UploadedFile]:
    return list(request.FILES.getlist(field))


def text_parts(request: Request) -> dict[str, list[str]]:
    """Every non-file part, by name, in the order sent."""
    return {
        name: [v for v in values if isinstance(v, str)]
        for name, values in request.data.lists()
        if any(isinstance(v, str) for v in values)
    }


def refuse_unknown(request: Request, allowed: set[str]) -> None:
    """An unknown part is an error, as an unknown JSON field is (``base.StrictSerializer``)."""
    refuse_unknown_names(request.data.keys(), allowed)


def json_part(request: Request, name: str) -> Any:
    """The JSON document of the text part ``name`` (exactly one), or a clear error."""
    values = text_parts(request).get(name, [])
    if len(values) != 1:
        raise ValidationFailed(
            _(
                "Kirim data laporan sebagai satu bagian '%(name)s' berisi JSON, dan berkas "
                "sebagai bagian 'attachments'."
            )
            % {"name": name},
            code="required",
            field=name,
        )
    try:
        return json.loads(values[0])
    except ValueError:
        raise ValidationFailed(
            _("Bagian '%(name)s' bukan JSON yang sah. Periksa tanda kutip dan kurung.")
            % {"name": name},
            code="malformed_json",
            field=name,
        ) from None


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def canonical(request: Request) -> dict[str, Any]:
    """What of a multipart body makes two requests the same (see the module's text)."""
    parts = text_parts(request)
    return {
        "parts": {name: [_value(v) for v in values] for name, values in parts.items()},
        "files": {
            name: [[f.name, _sha256(f)] for f in request.FILES.getlist(name)]
            for name in sorted(request.FILES.keys())
        },
    }
