"""A mobile app submits a report with files as ``multipart/form-data`` (form fields plus
``attachments`` parts): the portal's checks on each file, an ``Idempotency-Key`` that compares
the files too, and nothing written on any error."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT
from PIL import Image

from lapor.reports.models import Attachment, Report
from tests.attachments.conftest import MAKE, photo_with_location
from tests.factories import RegencyFactory

pytestmark = pytest.mark.django_db
REPORTS = "/api/v1/citizen/reports"


def _fields(**extra: Any) -> dict[str, Any]:
    return {
        "type": "pengaduan",
        "title": "Lubang besar di Jalan Sultan Fatah",
        "text": "Lubang selebar satu meter di depan sekolah sudah dua minggu, berbahaya.",
        "region": RegencyFactory().code,
        "contact_email": "dewi@contoh.id",
        **extra,
    }


def _photo(content: bytes | None = None, name: str = "lubang.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or photo_with_location(), "image/jpeg")


def _send(api: Any, fields: dict[str, Any], *files: Any, **extra: Any) -> Any:
    return api.post(
        REPORTS, {**fields, "attachments": list(files)}, content_type=MULTIPART_CONTENT, **extra
    )


def _nothing_written() -> None:
    assert not Report.objects.exists() and not Attachment.objects.exists()
    media = Path(django_settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def test_a_guests_photo_is_stored_without_its_exif(api):
    response = _send(api, _fields(), _photo())

    assert response.status_code == 201, response.json()
    stored = Attachment.objects.get()
    with default_storage.open(stored.file.name, "rb") as f:
        raw = f.read()
    assert MAKE.encode() not in raw and dict(Image.open(io.BytesIO(raw)).getexif()) == {}


def test_a_resend_with_the_same_key_and_files_is_one_report_another_file_is_refused(api):
    fields = _fields()
    photo = photo_with_location()
    first = _send(api, fields, _photo(photo), HTTP_IDEMPOTENCY_KEY="k-1")
    again = _send(api, fields, _photo(photo), HTTP_IDEMPOTENCY_KEY="k-1")
    other = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(other, "JPEG")
    changed = _send(api, fields, _photo(other.getvalue()), HTTP_IDEMPOTENCY_KEY="k-1")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["tracking_id"] == first.json()["tracking_id"]
    assert (changed.status_code, changed.json()["code"]) == (422, "idempotency_key_reused")
    assert Report.objects.count() == 1 and Attachment.objects.count() == 1


def test_a_disguised_file_is_refused_with_its_code_and_nothing_is_written(api):
    fake = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 bukan foto", "image/jpeg")
    response = _send(api, _fields(), fake)

    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == (
        "file_type_refused",
        "attachments",
    )
    _nothing_written()


def test_an_oversized_file_is_answered_413_with_the_limit(api, settings):
    settings.LAPOR_MAX_UPLOAD_BYTES = 2048
    big = io.BytesIO()
    Image.effect_noise((128, 128), 64).convert("RGB").save(big, "PNG")
    response = _send(api, _fields(), SimpleUploadedFile("besar.png", big.getvalue()))

    assert response.status_code == 413
    assert (response.json()["code"], response.json()["limit"]) == ("file_too_large", 2048)
    _nothing_written()
