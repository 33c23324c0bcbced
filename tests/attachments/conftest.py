"""Real files for the attachment tests: a phone photo that says where and with what it was
taken, files that only claim to be photos, and a report with such a photo."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.test import Client
from PIL import Image

from lapor.agencies.models import Agency
from lapor.regions.models import Region
from lapor.reports import services
from lapor.reports.models import Attachment
from lapor.reports.services import Submitted, Upload
from tests.factories import AgencyFactory, RegencyFactory, national_admin, submit

MAKE = "MerekKameraUji"
MODEL = "PonselUji-X9000"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">LokasiXmpUji</x:xmpmeta>'
COMMENT = b"KomentarUji dari ponsel"
# A real one-page PDF.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def photo_with_location() -> bytes:
    """A 64x32 JPEG as a phone writes it: maker, model, GPS position (Semarang), turned a
    quarter by its EXIF orientation, with an XMP block and a comment."""
    image = Image.new("RGB", (64, 32), (180, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = MAKE
    exif[0x0110] = MODEL
    exif[0x0112] = 6  # stored on its side: shown rotated 90° clockwise
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "S", (6.0, 58.0, 12.0)
    gps[3], gps[4] = "E", (110.0, 25.0, 5.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, xmp=XMP, comment=COMMENT)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def with_photo(*, is_confidential: bool = True, content: bytes | None = None) -> Submitted:
    """A guest's report with one photo, through the real submit service."""
    upload = Upload(name="lubang.jpg", content=io.BytesIO(content or photo_with_location()))
    return submit(is_confidential=is_confidential, attachments=[upload])


def only_file(submitted: Submitted) -> Attachment:
    return Attachment.objects.get(report=submitted.report)


@pytest.fixture
def regency() -> Region:
    return RegencyFactory()


@pytest.fixture
def kab() -> Agency:
    return AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")


def dispose(submitted: Submitted, agency: Agency) -> None:
    services.report_dispose(report=submitted.report, to_agency=agency, actor=national_admin())


def as_reporter(client: Client, submitted: Submitted) -> Client:
    """The guest has typed their secret on the track page (kept in this session)."""
    url = f"/lacak/{submitted.report.tracking_id}/"
    assert client.post(url, {"action": "secret", "secret": submitted.secret}).status_code == 302
    return client
