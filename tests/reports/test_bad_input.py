"""Bad input gets a clear error in the person's language and leaves nothing behind."""

from __future__ import annotations

import base64
import io
import os

import pytest
from django.utils import translation

from lapor.core.errors import ValidationFailed
from lapor.reports.models import Attachment, Report, ReportEvent
from lapor.reports.services import Upload
from tests.factories import CategoryFactory, submit

pytestmark = pytest.mark.django_db

# A real 1x1 JPEG: photos are decoded and re-encoded when received (core.files).
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4"
    "UG1RV19iZ2hnPk1xeXBkeFxlZ2P/wAALCAABAAEBAREA/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QA"
    "tRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0"
    "NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2"
    "t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/9oACAEBAAA/ACv/2Q=="
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def stored_files(settings) -> list[str]:  # type: ignore[no-untyped-def]
    root = settings.MEDIA_ROOT
    return [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs] if root.exists() else []


def nothing_written(settings) -> bool:  # type: ignore[no-untyped-def]
    return (
        Report.objects.count() == 0
        and ReportEvent.objects.count() == 0
        and Attachment.objects.count() == 0
        and stored_files(settings) == []
    )


def test_photo_and_pdf_are_stored_by_content_type(settings):
    sub = submit(
        attachments=[Upload("foto.jpg", io.BytesIO(JPEG)), Upload("surat", io.BytesIO(PDF))]
    )
    kinds = sorted(sub.report.attachments.values_list("content_type", flat=True))
    assert kinds == ["application/pdf", "image/jpeg"]
    assert all(
        name.endswith((".jpg", ".pdf"))
        for name in sub.report.attachments.values_list("file", flat=True)
    )
    # The two files, and the photo's thumbnail beside it (the PDF gets none)
    stored = sorted(os.path.basename(path) for path in stored_files(settings))
    assert len(stored) == 3
    assert sum(name.endswith("-kecil.webp") for name in stored) == 1


@pytest.mark.parametrize("content", [ELF, WINDOWS_EXE, b"<?php system($_GET['c']); ?>"])
def test_executable_renamed_jpg_is_refused_and_nothing_is_kept(settings, content):
    # Given a good photo and a program disguised as a photo in one submission
    files = [Upload("jalan.jpg", io.BytesIO(JPEG)), Upload("foto.jpg", io.BytesIO(content))]
    # When it is submitted, Then the refusal names the file and says what to send instead
    with pytest.raises(ValidationFailed) as info:
        submit(attachments=files)
    assert info.value.code == "file_type_refused" and info.value.field == "attachments"
    assert "foto.jpg" in info.value.message and "PDF" in info.value.message
    assert nothing_written(settings)


def test_oversized_file_is_refused_and_nothing_is_kept(settings):
    settings.LAPOR_MAX_UPLOAD_BYTES = 1024
    big = io.BytesIO(JPEG + b"\x00" * 2048)
    with pytest.raises(ValidationFailed) as info:
        submit(attachments=[Upload("besar.jpg", big)])
    assert info.value.code == "file_too_large"
    assert "terlalu besar" in info.value.message and "1,0" in info.value.message
    assert nothing_written(settings)


def test_too_many_files(settings):
    settings.LAPOR_MAX_ATTACHMENTS = 1
    with pytest.raises(ValidationFailed) as info:
        submit(attachments=[Upload("a.jpg", io.BytesIO(JPEG)), Upload("b.jpg", io.BytesIO(JPEG))])
    assert info.value.code == "too_many_files"
    assert nothing_written(settings)


def test_retired_category_is_refused(settings):
    retired = CategoryFactory(is_active=False)
    with pytest.raises(ValidationFailed) as info:
        submit(category=retired)
    assert info.value.field == "category" and "Pilih kategori lain" in info.value.message
    assert nothing_written(settings)


def test_submission_refusals_speak_the_active_language(settings):
    settings.LAPOR_MAX_UPLOAD_BYTES = 1024
    settings.LAPOR_MAX_ATTACHMENTS = 1
    big = [Upload("besar.jpg", io.BytesIO(JPEG + b"\x00" * 2048))]
    two = [Upload("a.jpg", io.BytesIO(JPEG)), Upload("b.jpg", io.BytesIO(JPEG))]
    with translation.override("en"):
        with pytest.raises(ValidationFailed) as title:
            submit(title="abc")
        with pytest.raises(ValidationFailed) as large:
            submit(attachments=big)
        with pytest.raises(ValidationFailed) as many:
            submit(attachments=two)
    assert (title.value.code, title.value.message) == (
        "title_length",
        "The report's title must be 5 to 200 characters long.",
    )
    assert large.value.code == "file_too_large"
    assert large.value.message == (
        "The file 'besar.jpg' is too large. The largest size allowed is 1.0\xa0KB; make the "
        "photo smaller or send another file."
    )
    assert (many.value.code, many.value.message) == (
        "too_many_files",
        "At most 1 attachment per report.",
    )
    assert nothing_written(settings)


@pytest.mark.parametrize(
    ("override", "code"),
    [
        ({"type": "keluhan"}, "unknown_type"),
        ({"title": "abc"}, "title_length"),
        ({"body": "rusak"}, "body_length"),
        ({"contact_email": "", "contact_phone": ""}, "contact_required"),
        ({"contact_email": "bukan-surel"}, "invalid_email"),
        ({"contact_phone": "12"}, "invalid_phone"),
        ({"channel": "fax"}, "unknown_channel"),
    ],
)
def test_malformed_fields_are_refused_with_their_field(settings, override, code):
    with pytest.raises(ValidationFailed) as info:
        submit(**override)
    assert info.value.code == code and info.value.field
    assert nothing_written(settings)


def test_failure_after_files_are_stored_removes_them(settings, monkeypatch):
    # Given storage succeeded but the event write fails (a crash mid-transaction)
    import lapor.reports.services.submit as submit_module

    def boom(events):  # type: ignore[no-untyped-def]
        raise RuntimeError("database went away")

    monkeypatch.setattr(submit_module, "write_events", boom)
    with pytest.raises(RuntimeError):
        submit(attachments=[Upload("jalan.jpg", io.BytesIO(JPEG))])
    # Then neither rows nor files are left behind
    assert nothing_written(settings)


# Text a reader cannot see, dates nobody meant, numbers that are not numbers.

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"  # spaces and joiners that show nothing


@pytest.mark.parametrize(
    ("override", "code"),
    [
        ({"title": "\u200b" * 6}, "title_length"),
        ({"title": ZERO_WIDTH + " ab \u3164\u2800"}, "title_length"),
        ({"body": "Jalan rusak " + ZERO_WIDTH * 10}, "body_length"),
        ({"contact_phone": "abcdefgh"}, "invalid_phone"),
        ({"contact_phone": "0812"}, "invalid_phone"),
        ({"contact_phone": "00000000"}, "invalid_phone"),  # eight digits, no number
    ],
)
def test_text_that_shows_nothing_is_refused(settings, override, code):
    with pytest.raises(ValidationFailed) as info:
        submit(**override)
    assert info.value.code == code
    assert nothing_written(settings)


def test_text_is_kept_in_one_unicode_form_and_emoji_keep_their_joiners():
    # "é" typed as e + combining accent, and a family emoji joined by zero-width joiners
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    report = submit(
        title="\u200bKe\u0301camatan gelap\u200b ",
        body="Lampu jalan mati sejak sebulan " + family + " anak-anak takut lewat.",
    ).report
    report.refresh_from_db()
    assert report.title == "K\u00e9camatan gelap"
    assert family in report.body


def test_a_phone_number_is_stored_as_e164():
    report = submit(contact_email="", contact_phone=" 0812-3456-7890 ").report
    report.refresh_from_db()
    assert report.contact_phone == "+6281234567890"


def test_an_incident_date_from_year_one_is_refused_naming_the_earliest():
    from datetime import UTC, date, datetime

    at = datetime(2026, 12, 7, 5, 0, tzinfo=UTC)
    with pytest.raises(ValidationFailed) as info:
        submit(incident_date=date(1, 1, 1), at=at)
    assert (info.value.code, info.value.field) == ("old_incident_date", "incident_date")
    assert "paling awal 7 Desember 2016" in info.value.message
    assert "ceritakan waktunya di isi laporan" in info.value.message
    assert submit(incident_date=date(2016, 12, 7), at=at).report.pk


def test_today_is_the_day_where_it_happened():
    # At 03.00 WIB on 8 December it is still 7 December in UTC: "today" is not the future
    from datetime import UTC, date, datetime

    at = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)
    report = submit(incident_date=date(2026, 12, 8), at=at).report
    assert report.incident_date == date(2026, 12, 8)
    with pytest.raises(ValidationFailed) as info:
        submit(incident_date=date(2026, 12, 9), at=at)
    assert info.value.code == "future_incident_date"
