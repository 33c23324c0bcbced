"""``lapor sla sweep``: run the SLA sweep once, now, in this process."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from lapor.reports.sweep import run_sweep

LABELS = {
    "overdue": "ditandai terlambat",
    "escalated": "dieskalasi ke admin nasional",
    "auto_closed": "ditutup otomatis",
    "resumed": "dilanjutkan setelah penundaan",
    "notifications_requeued": "notifikasi diantrekan ulang",
    "routing_requeued": "laporan diantrekan ulang untuk perutean",
}


class Command(BaseCommand):
    help = "Mark overdue, escalate, auto-close and resume reports whose time has come."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Reports per transaction (default 1000)."
        )
        parser.add_argument(
            "--now", default=None, help="Pretend it is this ISO 8601 moment (for rehearsals)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now: datetime | None = None
        if options["now"]:
            now = parse_datetime(options["now"])
            if now is None or now.tzinfo is None:
                raise CommandError(
                    "--now harus berupa waktu ISO 8601 dengan zona, mis. 2026-03-25T09:00+07:00"
                )
        if options["batch_size"] < 1:
            raise CommandError("--batch-size harus lebih dari 0")
        result = run_sweep(now=now, batch_size=options["batch_size"])
        for key, value in result.as_dict().items():
            self.stdout.write(f"{value:>8}  {LABELS[key]}")
