"""``lapor analytics alarms [--day YYYY-MM-DD] [--topics]``: the kabupaten/kota x category and
agency series whose public reports rose beyond their history on that day
(``analytics.early_warning``), and with ``--topics`` the emerging terms (``analytics.topics``,
from the term counts already made; nothing is counted or written)."""

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
        parser.add_argument("--topics", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["day"] or today()
        alarms = alarms_on(day)
        for a in alarms:
            where = f"instansi {a.agency}" if a.agency else f"{a.kabkota}\tkategori {a.category}"
            self.stdout.write(f"{where}\t{a.count} laporan (diharapkan {a.expected}, q={a.q:.2g})")
        self.stdout.write(f"{len(alarms)} alarm pada {day.isoformat()}.")
        if options["topics"]:
            from lapor.analytics.topics import emerging_on

            found = emerging_on(day)
            for topic in found:
                terms = ", ".join(f"{t} ({n}, diharapkan {e})" for t, n, e, _q in topic.terms)
                self.stdout.write(f"{topic.region}\ttopik: {terms}")
            self.stdout.write(f"{len(found)} wilayah dengan topik baru.")
