"""Photos stored before uploads were cleaned are re-encoded by ``lapor attachments clean``."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from lapor.reports.models import Attachment
from tests.attachments.conftest import MAKE, only_file, photo_with_location, with_photo

pytestmark = pytest.mark.django_db


def _as_stored_before_the_fix() -> Attachment:
    """A report whose photo row points at the phone's bytes, as uploads were kept until now."""
    attachment = only_file(with_photo())
    raw = photo_with_location()
    name = default_storage.save("attachments/2025/01/lama.jpg", ContentFile(raw))
    Attachment.objects.filter(pk=attachment.pk).update(
        file=name, size=len(raw), sha256=hashlib.sha256(raw).hexdigest()
    )
    return Attachment.objects.get(pk=attachment.pk)


def test_an_old_photo_is_re_encoded_without_its_location(capsys):
    old = _as_stored_before_the_fix()
    call_command("attachments_clean")
    now = Attachment.objects.get(pk=old.pk)
    with default_storage.open(now.file.name, "rb") as f:
        stored = f.read()
    assert MAKE.encode() not in stored and dict(Image.open(io.BytesIO(stored)).getexif()) == {}
    assert now.sha256 == hashlib.sha256(stored).hexdigest() and now.size == len(stored)
    assert not default_storage.exists(old.file.name)
    assert "1 photos cleaned" in capsys.readouterr().out


def test_a_second_run_and_clean_photos_are_left_alone():
    attachment = only_file(with_photo())  # cleaned on upload
    call_command("attachments_clean")
    assert Attachment.objects.get(pk=attachment.pk).sha256 == attachment.sha256


def test_a_dry_run_changes_nothing(capsys):
    old = _as_stored_before_the_fix()
    call_command("attachments_clean", dry_run=True)
    assert Attachment.objects.get(pk=old.pk).sha256 == old.sha256
    assert "1 photos to clean" in capsys.readouterr().out
