"""``lapor analytics fill [--rebuild]``: count the events not yet counted (the periodic job does
it every two minutes); ``--rebuild`` empties the rollups first and counts every event again,
report by report (``analytics.fill.start_rebuild``; resumable: a later fill goes on with it)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lapor.analytics.fill import BATCH, REBUILD_BATCH, fill, start_rebuild
from lapor.analytics.stocks import snapshot_month


class Command(BaseCommand):
    help = "Fill the dashboards' rollups from the report events (--rebuild: from the first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true")
        parser.add_argument(
            "--batch-size", type=int, default=None, help=f"events per transaction ({BATCH})"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"] and not start_rebuild():
            self.stdout.write("Another fill is running; try again when it ends.")
            return
        default = REBUILD_BATCH if options["rebuild"] else BATCH
        result = fill(batch_size=options["batch_size"] or default)
        if result.busy:
            self.stdout.write("Another fill is running; try again when it ends.")
        self.stdout.write(f"{result.events} events counted in {result.batches} batches.")
        month = snapshot_month()
        if month is not None:
            self.stdout.write(f"Tunggakan akhir bulan {month:%Y-%m} dicatat.")
