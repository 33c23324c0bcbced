"""``lapor channels purge``: empty stored inbound messages past the contact retention period
and forget the channel addresses of erased reporters (``lapor.channels.retention``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lapor.channels.retention import purge


class Command(BaseCommand):
    help = "Erase senders and payloads of inbound messages past CONTACT_RETENTION_DAYS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        done = purge(dry_run=options["dry_run"])
        verb = "akan dihapus" if options["dry_run"] else "dihapus"
        self.stdout.write(
            f"{done.messages} pesan masuk, {done.addresses} alamat kanal, "
            f"{done.conversations} percakapan {verb}"
        )
