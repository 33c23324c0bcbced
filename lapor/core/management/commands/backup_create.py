"""``lapor backup create FOLDER``: the database at one snapshot, every stored file and a manifest
(lapor/core/backup.py, docs/operations.md "Backup and restore")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.core import backup


class Command(BaseCommand):
    help = "Write a backup of the database and the stored files into a new, empty folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcome = backup.create(options["folder"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        counts = ", ".join(f"{name} {count:,}" for name, count in outcome.counts.items())
        self.stdout.write(
            f"backup written in {outcome.seconds:.1f}s: database {outcome.dump_bytes:,} bytes, "
            f"{outcome.files:,} files ({outcome.file_bytes:,} bytes); {counts}"
        )
