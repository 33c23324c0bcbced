"""``lapor analytics automation [--month 2026-11]``: compute the automation's monthly accounts
(the worker does it daily for the last three months; docs/analytics.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.analytics.automation import refresh, refresh_recent
from lapor.analytics.report_views import parse_month
from lapor.analytics.selectors import today


class Command(BaseCommand):
    help = "Compute the automation's accounts of a month (default: the last three months)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", default="", help="YYYY-MM")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["month"]:
            month = parse_month(options["month"])
            if month is None:
                raise CommandError("--month must be YYYY-MM, for example 2026-11")
            written = len(refresh(month))
        else:
            written = refresh_recent(today())
        self.stdout.write(f"{written} rows written.")
