"""``lapor analytics alarms [--day YYYY-MM-DD]``: the kabupaten/kota x category series whose
public reports rose beyond their history on that day (``analytics.early_warning``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lapor.analytics.early_warning import alarms_on
from lapor.analytics.selectors import today


class Command(BaseCommand):
    help = "List the early-warning alarms of a day, from the rollups."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", type=date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["day"] or today()
        alarms = alarms_on(day)
        for a in alarms:
            self.stdout.write(
                f"{a.kabkota}\tkategori {a.category}\t{a.count} laporan "
                f"(diharapkan {a.expected}, q={a.q:.2g})"
            )
        self.stdout.write(f"{len(alarms)} alarm pada {day.isoformat()}.")
