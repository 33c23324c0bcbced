"""Thumbnails (``core.thumbnails``): made once when a photo is stored (and by
``lapor attachments thumbnails`` for older photos), beside the photo in the configured
storage (local files or the S3 bucket), served only after the photo's own access check, and
light enough that a public report's photos add little to its page."""

from __future__ import annotations

import io
import random
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client, override_settings
from PIL import Image

from lapor.core import thumbnails
from lapor.reports.models import Attachment
from lapor.reports.services import Upload
from tests.attachments.conftest import MAKE, as_reporter, only_file, with_photo
from tests.attachments.test_object_storage import _fetch, on_s3, s3_endpoint  # noqa: F401
from tests.factories import submit

pytestmark = pytest.mark.django_db
# The public page's images: at most this many bytes for three photos from a phone.
BUDGET_KB = 60


def _phone_photo(seed: int, size: tuple[int, int] = (1600, 1200)) -> bytes:
    """A large JPEG of coloured patches with fine grain, about as hard to compress as a
    street photo from a phone."""
    rng = random.Random(seed)
    small = Image.new("RGB", (size[0] // 40, size[1] // 40))
    cells = small.width * small.height
    small.putdata(
        [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(cells)]
    )
    big = small.resize(size, Image.Resampling.BICUBIC)
    grain = Image.effect_noise(size, 24).convert("RGB")
    out = io.BytesIO()
    Image.blend(big, grain, 0.15).save(out, "JPEG", quality=92)
    return out.getvalue()


def test_a_photo_gets_a_thumbnail_beside_it_when_stored():
    attachment = only_file(with_photo(is_confidential=False, content=_phone_photo(1)))
    name = attachment.thumbnail.name
    assert name == thumbnails.thumbnail_name(attachment.file.name)
    assert Path(name).parent == Path(attachment.file.name).parent
    with default_storage.open(name, "rb") as f:
        data = f.read()
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "WEBP" and max(image.size) <= 320
        assert not image.getexif() and not image.info.get("xmp")
    assert MAKE.encode() not in data
    assert len(data) < attachment.size / 10


def test_a_pdf_gets_no_thumbnail():
    from tests.attachments.conftest import PDF

    report = submit(attachments=[Upload(name="surat.pdf", content=io.BytesIO(PDF))])
    assert only_file(report).thumbnail.name == ""


def test_the_thumbnail_follows_the_photos_access_check(client):
    submitted = with_photo(is_confidential=False)
    attachment = only_file(submitted)
    url = f"/lampiran/{attachment.pk}/kecil/"
    # not public: 404 for the public, the picture for the reporter
    assert Client().get(url).status_code == 404
    mine = as_reporter(client, submitted).get(url)
    assert mine.status_code == 200 and mine["Content-Type"] == "image/webp"
    assert mine["Cache-Control"] == "private, no-store"
    # public photo of a public report: anybody, briefly cached by the browser only
    Attachment.objects.filter(pk=attachment.pk).update(is_public=True)
    public = Client().get(url)
    assert public.status_code == 200 and public["Cache-Control"] == "private, max-age=300"
    assert (
        b"".join(public.streaming_content)
        == default_storage.open(attachment.thumbnail.name, "rb").read()
    )
    # a rahasia report: 404 again, however the photo is marked
    with_secret = with_photo(is_confidential=True)
    hidden = only_file(with_secret)
    Attachment.objects.filter(pk=hidden.pk).update(is_public=True)
    assert Client().get(f"/lampiran/{hidden.pk}/kecil/").status_code == 404


@override_settings(LAPOR_ATTACHMENT_ACCEL_PREFIX="/_lampiran/")
def test_the_proxy_is_handed_the_thumbnail_file():
    attachment = only_file(with_photo(is_confidential=False))
    Attachment.objects.filter(pk=attachment.pk).update(is_public=True)
    answer = Client().get(f"/lampiran/{attachment.pk}/kecil/")
    assert answer["X-Accel-Redirect"] == "/_lampiran/" + attachment.thumbnail.name


def test_the_command_makes_the_missing_thumbnails_once():
    attachment = only_file(with_photo(is_confidential=False))
    default_storage.delete(attachment.thumbnail.name)
    Attachment.objects.filter(pk=attachment.pk).update(thumbnail="")
    out = StringIO()
    call_command("attachments_thumbnails", "--dry-run", stdout=out)
    assert "1 photos without a thumbnail" in out.getvalue()
    assert Attachment.objects.get(pk=attachment.pk).thumbnail.name == ""
    call_command("attachments_thumbnails", stdout=out)
    made = Attachment.objects.get(pk=attachment.pk).thumbnail.name
    assert made and default_storage.exists(made)
    again = StringIO()
    call_command("attachments_thumbnails", stdout=again)
    assert "0 thumbnails made" in again.getvalue()


def test_a_photo_without_thumbnail_falls_back_to_the_photo():
    attachment = only_file(with_photo(is_confidential=False))
    Attachment.objects.filter(pk=attachment.pk).update(is_public=True, thumbnail="")
    answer = Client().get(f"/lampiran/{attachment.pk}/kecil/")
    assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"


def test_the_public_pages_photos_stay_light():
    # Given a public report with three large phone photos, all shown
    uploads = [Upload(name=f"foto{i}.jpg", content=io.BytesIO(_phone_photo(i))) for i in range(3)]
    report = submit(attachments=uploads, is_confidential=False, is_anonymous=True).report
    Attachment.objects.filter(report=report).update(is_public=True)
    originals = sum(a.size for a in report.attachments.all())
    # When the public page is loaded with its images
    visitor = Client()
    html = visitor.get(f"/laporan/{report.tracking_id}/").content.decode()
    import re

    sources = re.findall(r'<img src="(/lampiran/\d+/[^"]*)"', html)
    assert len(sources) == 3 and all(s.endswith("/kecil/") for s in sources)
    weight = sum(len(b"".join(visitor.get(s).streaming_content)) for s in sources)
    # Then the images add less than the budget, a small part of the photos themselves
    assert weight < BUDGET_KB * 1024, weight
    assert originals > 5 * weight


def test_on_the_bucket_the_thumbnail_is_stored_and_signed(client, on_s3):  # noqa: F811
    submitted = with_photo(is_confidential=False)
    attachment = only_file(submitted)
    name = attachment.thumbnail.name
    assert name and default_storage.exists(name)
    stored = default_storage.open(name, "rb").read()
    # the public may not have it while the photo is not public
    assert Client().get(f"/lampiran/{attachment.pk}/kecil/").status_code == 404
    Attachment.objects.filter(pk=attachment.pk).update(is_public=True)
    answer = Client().get(f"/lampiran/{attachment.pk}/kecil/")
    assert answer.status_code == 302
    location = answer["Location"]
    assert location.startswith(on_s3) and urlsplit(location).path.endswith(name)
    status, body, headers = _fetch(location)
    assert status == 200 and body == stored and headers.get("content-type") == "image/webp"
