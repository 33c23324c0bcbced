from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.routing.duplicates import is_duplicate
from lapor.routing.minhash import DUPLICATE_AT


def _line(label: str, counts: Counter[str]) -> str:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return f"{label}precision={precision:.3f} recall={recall:.3f} n={counts['n']}"


class Command(BaseCommand):
    help = (
        "Nilai deteksi duplikat pada berkas CSV (text_a,text_b,is_duplicate[,kind]): presisi "
        "dan recall per jenis pasangan, baris terakhir keseluruhan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--threshold", type=float, default=DUPLICATE_AT)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        overall: Counter[str] = Counter()
        by_kind: dict[str, Counter[str]] = {}
        with path.open(newline="", encoding="utf-8-sig") as fh:
            for row in csv.DictReader(fh):
                truth = row["is_duplicate"].strip().lower() in {"1", "true", "yes", "ya"}
                guess = is_duplicate(row["text_a"], row["text_b"], threshold=options["threshold"])
                outcome = Counter(
                    n=1,
                    tp=truth and guess,
                    fp=guess and not truth,
                    fn=truth and not guess,
                    tn=not truth and not guess,
                )
                overall.update(outcome)
                kind = (row.get("kind") or "").strip()
                if kind:
                    by_kind.setdefault(kind, Counter()).update(outcome)
        for kind in sorted(by_kind):
            counts = by_kind[kind]
            if counts["tp"] + counts["fn"]:
                line = _line(f"kind={kind} ", counts)
            else:  # negatives only: no recall; the share rightly left apart, and the misses
                kept_apart = counts["tn"] / counts["n"]
                line = (
                    f"kind={kind} specificity={kept_apart:.3f} false_alarms={counts['fp']} "
                    f"n={counts['n']}"
                )
            self.stdout.write(line)
        self.stdout.write(_line("", overall))
