from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.routing.history import Example, HistoryRefused, parse_when, read_rows
from lapor.routing.labels import LabelIndex
from lapor.routing.training import score


class Command(BaseCommand):
    help = "Nilai perutean pada berkas CSV (text,label,...) tanpa belajar darinya."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--without-region",
            action="store_true",
            help="abaikan kolom region_code (bila kolom itu berisi tujuan, bukan lokasi)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        try:
            rows = read_rows(path)
        except HistoryRefused as exc:
            raise CommandError(str(exc)) from None
        index = LabelIndex()
        examples = [
            Example(
                r["text"],
                index.code_for(r["label"].strip()),
                parse_when(r.get("date", "")),
                (r.get("region_code") or "").strip() or None,
            )
            for r in rows
        ]
        from lapor.routing.classifier import current

        result = score(current(), examples, use_region=not options["without_region"])
        self.stdout.write(result.line())
