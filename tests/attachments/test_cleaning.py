"""A photo's location and camera data never leave the upload: what is stored (and so what
anyone is ever served) is re-encoded from the pixels alone."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from lapor.core.errors import ValidationFailed
from lapor.reports.models import Attachment, Report
from lapor.reports.services import Upload
from tests.attachments.conftest import (
    COMMENT,
    MAKE,
    MODEL,
    PDF,
    XMP,
    only_file,
    photo_with_location,
    png_claiming,
    with_photo,
)
from tests.factories import submit

pytestmark = pytest.mark.django_db


def _stored(attachment: Attachment) -> bytes:
    with default_storage.open(attachment.file.name, "rb") as f:
        return f.read()


def test_the_photo_as_sent_says_where_and_with_what_it_was_taken():
    # given: the test photo really carries what a phone writes
    raw = photo_with_location()
    exif = Image.open(io.BytesIO(raw)).getexif()
    assert exif[0x010F] == MAKE and exif[0x0110] == MODEL
    assert exif.get_ifd(0x8825)[1] == "S"
    assert MAKE.encode() in raw and XMP in raw and COMMENT in raw


def test_stored_photo_has_no_location_camera_xmp_or_comment():
    # when a guest submits the photo through the real submit path
    attachment = only_file(with_photo())
    stored = _stored(attachment)
    # then none of the metadata is stored
    for secret in (MAKE.encode(), MODEL.encode(), XMP, COMMENT, b"Exif\x00\x00"):
        assert secret not in stored
    image = Image.open(io.BytesIO(stored))
    assert dict(image.getexif()) == {}
    assert image.getexif().get_ifd(0x8825) == {}
    assert "xmp" not in image.info and "comment" not in image.info
    # and it is still the photo, turned upright as its orientation said
    assert image.format == "JPEG" and image.size == (32, 64)
    assert attachment.content_type == "image/jpeg"


def test_sha256_and_size_are_of_the_stored_bytes():
    attachment = only_file(with_photo())
    stored = _stored(attachment)
    assert attachment.sha256 == hashlib.sha256(stored).hexdigest()
    assert attachment.size == len(stored)
    assert attachment.sha256 != hashlib.sha256(photo_with_location()).hexdigest()


@pytest.mark.parametrize("kind", ["PNG", "WEBP"])
def test_png_and_webp_lose_their_exif_too(kind):
    image = Image.new("RGB", (20, 10), (10, 120, 30))
    exif = Image.Exif()
    exif[0x010F] = MAKE
    raw = io.BytesIO()
    image.save(raw, kind, exif=exif)
    assert MAKE.encode() in raw.getvalue()
    sent = Upload(name=f"foto.{kind.lower()}", content=io.BytesIO(raw.getvalue()))
    stored = _stored(only_file(submit(attachments=[sent])))
    assert MAKE.encode() not in stored
    assert Image.open(io.BytesIO(stored)).format == kind


def test_a_pdf_is_stored_as_sent():
    sent = Upload(name="surat.pdf", content=io.BytesIO(PDF))
    attachment = only_file(submit(attachments=[sent]))
    assert _stored(attachment) == PDF and attachment.content_type == "application/pdf"


@pytest.mark.parametrize("size", [(20000, 20000), (7000, 7000)])
def test_a_decompression_bomb_is_refused_in_indonesian_and_nothing_is_stored(size):
    bomb = Upload(name="bom.png", content=io.BytesIO(png_claiming(*size)))
    with pytest.raises(ValidationFailed) as refused:
        submit(attachments=[bomb])
    assert "terlalu besar ukuran pikselnya" in str(refused.value)
    assert refused.value.field == "attachments"
    assert Report.objects.count() == 0 and Attachment.objects.count() == 0


def test_a_broken_photo_is_refused_with_what_to_do():
    broken = Upload(name="rusak.jpg", content=io.BytesIO(photo_with_location()[:200]))
    with pytest.raises(ValidationFailed, match=r"rusak atau tidak dapat dibaca\. Pilih foto lain"):
        submit(attachments=[broken])
    assert Report.objects.count() == 0


def test_heic_which_cannot_be_cleaned_is_refused_with_how_to_send_a_jpg():
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    with pytest.raises(ValidationFailed) as refused:
        submit(attachments=[Upload(name="IMG_0001.HEIC", content=io.BytesIO(heic))])
    assert "HEIC" in str(refused.value) and "Paling Kompatibel" in str(refused.value)
    assert Report.objects.count() == 0


# --- through the portal, as a citizen sends it -----------------------------------------------


def _token(html: str) -> str:
    match = re.search(r'name="form_token" value="([0-9a-f]+)"', html)
    assert match
    return match.group(1)


def _send(client: Client, regency, upload: SimpleUploadedFile):  # type: ignore[no-untyped-def]
    data = {
        "form_token": _token(client.get("/lapor/").content.decode()),
        "type": "pengaduan",
        "title": "Jalan berlubang di Jalan Sultan Fatah",
        "body": "Lubang besar di tengah jalan sudah dua minggu, banyak pengendara motor jatuh.",
        "region": regency.code,
        "is_anonymous": "on",
        "is_confidential": "on",
        "contact_email": "siti@contoh.id",
        "attachments": [upload],
    }
    return client.post("/lapor/", data, follow=True)


def test_the_form_tells_the_reporter_photos_are_cleaned(client, regency):
    html = client.get("/lapor/").content.decode()
    assert "Data lokasi dan kamera" in html and "kami hapus dari foto" in html
    assert "image/heic" not in html  # iPhones then send a JPG themselves


def test_reporter_gets_back_the_cleaned_photo_they_sent_through_the_form(client, regency):
    # given a guest sends a phone photo with the form (the secret is kept in their session)
    photo = SimpleUploadedFile("lubang.jpg", photo_with_location(), "image/jpeg")
    assert _send(client, regency, photo).status_code == 200
    attachment = Attachment.objects.get()
    # when they open it from their track page
    track = client.get(f"/lacak/{attachment.report.tracking_id}/").content.decode()
    assert f'href="/lampiran/{attachment.pk}/"' in track and "lubang.jpg" in track
    response = client.get(f"/lampiran/{attachment.pk}/")
    # then they get the photo without its location or camera
    served = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert MAKE.encode() not in served and Image.open(io.BytesIO(served)).getexif() == {}
    assert served == _stored(attachment)


def test_a_bomb_sent_through_the_form_is_explained_next_to_the_field(client, regency):
    bomb = SimpleUploadedFile("bom.png", png_claiming(20000, 20000), "image/png")
    response = _send(client, regency, bomb)
    html = response.content.decode()
    assert response.status_code == 200 and Report.objects.count() == 0
    assert "terlalu besar ukuran pikselnya" in html and 'id="id_attachments_error"' in html
