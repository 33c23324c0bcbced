"""``lapor attachments clean``: re-encode the photos stored before uploads were cleaned of
their location and camera data (``core.files``), so no officer or visitor is served them.

Only photos that still carry metadata are touched (running it again changes nothing): each is
re-encoded as a new upload would be, stored under a new name, its row pointed at it with the
new size and sha256, and the old file deleted. PDFs are left as they are (see
docs/operations.md)."""

from __future__ import annotations

import io
import posixpath
import uuid
from typing import Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandParser

from lapor.core.errors import ValidationFailed
from lapor.core.files import ALLOWED, IMAGE_FORMATS, check_upload, has_metadata
from lapor.reports.models import Attachment


class Command(BaseCommand):
    help = (
        "Re-encode stored photos that still carry EXIF (GPS, maker, model), XMP, comments or "
        "a colour profile, as new uploads are; prints how many were cleaned."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="count the photos to clean, change nothing"
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        cleaned = unreadable = 0
        photos = Attachment.objects.filter(content_type__in=sorted(IMAGE_FORMATS)).order_by("pk")
        for attachment in photos.iterator(chunk_size=500):
            old_name = attachment.file.name
            if not old_name or not default_storage.exists(old_name):
                continue
            with default_storage.open(old_name, "rb") as f:
                data = io.BytesIO(f.read())
            if not has_metadata(data):
                continue
            if dry_run:
                cleaned += 1
                continue
            try:
                checked = check_upload(data, attachment.original_name)
            except ValidationFailed as exc:
                unreadable += 1
                self.stderr.write(f"attachment {attachment.pk} ({old_name}) not cleaned: {exc}")
                continue
            new_name = default_storage.save(
                posixpath.join(
                    posixpath.dirname(old_name),
                    f"{uuid.uuid4().hex}.{ALLOWED[checked.content_type]}",
                ),
                File(checked.content),
            )
            Attachment.objects.filter(pk=attachment.pk).update(
                file=new_name, size=checked.size, sha256=checked.sha256
            )
            default_storage.delete(old_name)
            cleaned += 1
        verb = "to clean" if dry_run else "cleaned"
        self.stdout.write(f"{cleaned} photos {verb}; {unreadable} could not be read")
