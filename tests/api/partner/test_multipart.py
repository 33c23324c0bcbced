"""A partner pushes a report with its files as ``multipart/form-data``: the report's JSON in the
``report`` part, the files as ``attachments`` parts. The files meet the portal's checks (by
content, size, count; photos re-encoded without EXIF), the ``Idempotency-Key`` compares the
files too, and any error leaves no report, no attachment row and no stored file."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT
from PIL import Image

from lapor.api.partner.records import PartnerReport
from lapor.api.tokens import Audience, token_issue
from lapor.reports.models import Attachment, Report
from tests.attachments.conftest import MAKE, PDF, photo_with_location

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/partner/reports"


def _photo(content: bytes | None = None, name: str = "lampu.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or photo_with_location(), "image/jpeg")


def _send(client: Any, report: dict[str, Any] | str, *files: Any, **extra: Any) -> Any:
    data: dict[str, Any] = {"report": report if isinstance(report, str) else json.dumps(report)}
    if files:
        data["attachments"] = list(files)
    return client.post(REPORTS, data, content_type=MULTIPART_CONTENT, **extra)


def _nothing_written() -> None:
    assert not Report.objects.exists()
    assert not Attachment.objects.exists()
    assert not PartnerReport.objects.exists()
    media = Path(django_settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def test_a_report_with_a_photo_and_a_pdf_is_filed_and_the_photo_loses_its_exif(
    partner_api, inbound
):
    pdf = SimpleUploadedFile("surat.pdf", PDF, "application/pdf")
    response = _send(partner_api, inbound, _photo(), pdf)

    assert response.status_code == 201, response.json()
    report = Report.objects.get(tracking_id=response.json()["tracking_id"])
    assert report.channel == "partner"
    files = {a.original_name: a for a in report.attachments.all()}
    assert set(files) == {"lampu.jpg", "surat.pdf"}
    with default_storage.open(files["lampu.jpg"].file.name, "rb") as f:
        stored = f.read()
    assert MAKE.encode() not in stored
    assert dict(Image.open(io.BytesIO(stored)).getexif()) == {}
    assert PartnerReport.objects.get(report=report).external_id == inbound["external_id"]


def test_the_same_key_and_files_five_times_make_one_report_with_its_files_once(
    partner_api, inbound
):
    photo = photo_with_location()
    answers = [
        _send(partner_api, inbound, _photo(photo), HTTP_IDEMPOTENCY_KEY='"mp-1"') for _ in range(5)
    ]

    assert {(r.status_code, r.content) for r in answers} == {(201, answers[0].content)}
    assert [r.get("Idempotent-Replayed") for r in answers] == [None] + ["true"] * 4
    assert Report.objects.count() == 1 and Attachment.objects.count() == 1


def test_the_same_key_with_another_file_is_refused_and_nothing_more_is_written(
    partner_api, inbound
):
    first = _send(partner_api, inbound, _photo(), HTTP_IDEMPOTENCY_KEY='"mp-2"')
    other = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(other, "JPEG")
    again = _send(partner_api, inbound, _photo(other.getvalue()), HTTP_IDEMPOTENCY_KEY='"mp-2"')

    assert first.status_code == 201
    assert (again.status_code, again.json()["code"]) == (422, "idempotency_key_reused")
    assert Report.objects.count() == 1 and Attachment.objects.count() == 1


def test_the_same_external_id_with_other_files_and_no_key_is_refused(partner_api, inbound):
    first = _send(partner_api, inbound, _photo())
    again = _send(partner_api, inbound, _photo(), SimpleUploadedFile("b.pdf", PDF))
    same = _send(partner_api, inbound, _photo())

    assert first.status_code == 201
    assert (again.status_code, again.json()["code"]) == (422, "external_id_reused")
    assert (same.status_code, same.json()["tracking_id"]) == (200, first.json()["tracking_id"])
    assert Report.objects.count() == 1 and Attachment.objects.count() == 1


def test_the_same_content_in_another_key_order_is_the_same_request(partner_api, inbound):
    photo = photo_with_location()
    first = _send(partner_api, inbound, _photo(photo), HTTP_IDEMPOTENCY_KEY='"mp-3"')
    reordered = json.dumps(dict(reversed(list(inbound.items()))), indent=2)
    again = _send(partner_api, reordered, _photo(photo), HTTP_IDEMPOTENCY_KEY='"mp-3"')

    assert again["Idempotent-Replayed"] == "true" and again.content == first.content


def test_a_disguised_file_is_refused_with_its_code_and_nothing_is_written(partner_api, inbound):
    fake = SimpleUploadedFile("foto.jpg", b"#!/bin/sh\necho bukan foto\n", "image/jpeg")
    response = _send(partner_api, inbound, _photo(), fake)

    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["field"]) == ("file_type_refused", "attachments")
    assert "foto.jpg" in body["message"]
    _nothing_written()


def test_an_oversized_file_is_answered_413_with_the_limit_and_nothing_is_written(
    partner_api, inbound, settings
):
    settings.LAPOR_MAX_UPLOAD_BYTES = 4096
    big = io.BytesIO()
    Image.effect_noise((256, 256), 64).convert("RGB").save(big, "PNG")
    assert big.tell() > 4096
    response = _send(partner_api, inbound, SimpleUploadedFile("besar.png", big.getvalue()))

    assert response.status_code == 413
    body = response.json()
    assert (body["code"], body["limit"]) == ("file_too_large", 4096)
    assert "4,0\xa0KB" in body["message"] and "besar.png" in body["message"]
    _nothing_written()


def test_a_body_over_every_limit_is_answered_413_naming_the_limits(partner_api, inbound, settings):
    settings.LAPOR_MAX_UPLOAD_BYTES = 1000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    blob = SimpleUploadedFile("a.pdf", PDF + b"x" * 8000, "application/pdf")
    response = _send(partner_api, inbound, blob)

    assert response.status_code == 413
    body = response.json()
    assert (body["code"], body["limit"]) == ("too_large", 6000)
    assert "5 berkas" in body["message"] and "5,9\xa0KB" in body["message"]
    _nothing_written()


def test_too_many_files_are_refused_and_nothing_is_written(partner_api, inbound):
    files = [_photo(name=f"f{i}.jpg") for i in range(django_settings.LAPOR_MAX_ATTACHMENTS + 1)]
    response = _send(partner_api, inbound, *files)

    assert (response.status_code, response.json()["code"]) == (400, "too_many_files")
    _nothing_written()


@pytest.mark.parametrize(
    ("data", "code", "field"),
    [
        ({"report": "{not json"}, "malformed_json", "report"),
        ({"title": "tanpa bagian report"}, "unknown_field", "title"),
        ({}, "required", "report"),
    ],
)
def test_a_malformed_form_is_refused_with_a_code(partner_api, data, code, field):
    response = partner_api.post(REPORTS, data, content_type=MULTIPART_CONTENT)

    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == (code, field)
    _nothing_written()


def test_a_wrong_type_in_the_report_part_is_refused_as_in_json(partner_api, inbound):
    response = _send(partner_api, {**inbound, "is_anonymous": "ya"}, _photo())

    assert response.status_code == 400
    assert response.json()["field"] == "is_anonymous"
    _nothing_written()


@pytest.mark.django_db(transaction=True)
def test_the_documented_curl_command_files_a_report_over_http(
    live_server, partner, inbound, tmp_path
):
    # the partner's developer follows docs/api.md with curl against a real server
    access, _refresh = token_issue(user=partner.user, audience=Audience.PARTNER, partner=partner)
    (tmp_path / "report.json").write_text(json.dumps(inbound))
    (tmp_path / "lampu.jpg").write_bytes(photo_with_location())
    command = [
        "curl", "-sS", "-X", "POST", f"{live_server.url}{REPORTS}",
        "-H", f"Authorization: Bearer {access}",
        "-H", 'Idempotency-Key: "curl-1"',
        "-F", "report=<report.json;type=application/json",
        "-F", "attachments=@lampu.jpg;type=image/jpeg",
    ]  # fmt: skip
    runs = [
        json.loads(subprocess.run(command, cwd=tmp_path, check=True, capture_output=True).stdout)
        for _ in range(2)
    ]

    assert runs[0]["tracking_id"] == runs[1]["tracking_id"]
    report = Report.objects.get(tracking_id=runs[0]["tracking_id"])
    assert [a.original_name for a in report.attachments.all()] == ["lampu.jpg"]
