"""``lapor attachments thumbnails``: make the thumbnail of every stored photo that has none
(photos stored before thumbnails were made at upload, ``core.thumbnails``). Running it again
changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandParser

from lapor.core.files import IMAGE_FORMATS
from lapor.core.thumbnails import make_thumbnail
from lapor.reports.models import Attachment


class Command(BaseCommand):
    help = "Make the small copy (thumbnail) of stored photos that have none; prints the count."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="count the photos without one, change nothing"
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        made = unreadable = 0
        photos = (
            Attachment.objects.filter(content_type__in=sorted(IMAGE_FORMATS), thumbnail="")
            .exclude(file="")
            .order_by("pk")
        )
        for attachment in photos.iterator(chunk_size=500):
            photo = attachment.file.name or ""
            if not default_storage.exists(photo):
                continue
            if dry_run:
                made += 1
                continue
            name = make_thumbnail(photo, attachment.content_type)
            if not name:
                unreadable += 1
                self.stderr.write(f"attachment {attachment.pk}: the photo could not be read")
                continue
            # Only if still without one (a parallel run may have made it meanwhile).
            if not Attachment.objects.filter(pk=attachment.pk, thumbnail="").update(thumbnail=name):
                default_storage.delete(name)
                continue
            made += 1
        what = "photos without a thumbnail" if dry_run else "thumbnails made"
        self.stdout.write(f"{made} {what}; {unreadable} could not be read")
