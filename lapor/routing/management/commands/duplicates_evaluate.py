from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.routing.duplicates import is_duplicate
from lapor.routing.minhash import DUPLICATE_AT


class Command(BaseCommand):
    help = "Nilai deteksi duplikat pada berkas CSV (text_a,text_b,is_duplicate)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--threshold", type=float, default=DUPLICATE_AT)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        tp = fp = fn = n = 0
        with path.open(newline="", encoding="utf-8-sig") as fh:
            for row in csv.DictReader(fh):
                truth = row["is_duplicate"].strip().lower() in {"1", "true", "yes", "ya"}
                guess = is_duplicate(row["text_a"], row["text_b"], threshold=options["threshold"])
                tp += truth and guess
                fp += guess and not truth
                fn += truth and not guess
                n += 1
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        self.stdout.write(f"precision={precision:.3f} recall={recall:.3f} n={n}")
