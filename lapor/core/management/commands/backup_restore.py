"""``lapor backup restore FOLDER``: into the empty database of DATABASE_URL and the configured
storage, then ``lapor audit verify`` (lapor/core/backup.py, docs/operations.md)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `lapor backup create` into an empty database and storage, "
        "then verify the audit trail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--skip-verify", action="store_true", help="do not run `lapor audit verify` after"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            outcome = backup.restore(options["folder"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"restored in {outcome.seconds:.1f}s: {outcome.files:,} files, counts as in the "
            "manifest"
        )
        if not options["skip_verify"]:
            call_command("audit_verify", stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(f"recovery time {time.monotonic() - started:.1f}s")
