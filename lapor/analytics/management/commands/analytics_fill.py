"""``lapor analytics fill [--rebuild]``: count the events not yet counted (the periodic job does
it every two minutes); ``--rebuild`` empties the rollups first and counts every event again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from lapor.analytics.fill import fill
from lapor.analytics.models import CurrentCount, DailyCount, FillCursor, ReportFact


class Command(BaseCommand):
    help = "Fill the dashboards' rollups from the report events (--rebuild: from the first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"]:
            with transaction.atomic():
                for model in (FillCursor, ReportFact, DailyCount, CurrentCount):
                    model.objects.all().delete()
        result = fill(batch_size=options["batch_size"])
        if result.busy:
            self.stdout.write("Another fill is running; try again when it ends.")
        self.stdout.write(f"{result.events} events counted in {result.batches} batches.")
