"""``lapor analytics report --month 2026-11 [--region 33] [--force]``: make and archive a
month's "Suara Rakyat" (national without ``--region``); an archived one is left as it is unless
``--force``. ``--all`` makes the national and every province's report of the month."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.analytics.policy_report.archive import make, regions
from lapor.analytics.report_views import parse_month


class Command(BaseCommand):
    help = "Make a month's policy report (HTML and PDF, Indonesian and English) and archive it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--region", default="", help="a province code; none: national")
        parser.add_argument("--all", action="store_true", help="national and every province")
        parser.add_argument("--force", action="store_true", help="make it again")

    def handle(self, *args: Any, **options: Any) -> None:
        month = parse_month(options["month"])
        if month is None:
            raise CommandError("--month must be YYYY-MM, for example 2026-11")
        targets = regions() if options["all"] else [options["region"]]
        for region in targets:
            try:
                row, made = make(month, region, force=options["force"])
            except LookupError:
                raise CommandError(f"--region {region}: no such province code") from None
            state = "made" if made else "already archived"
            self.stdout.write(
                f"{row} {state}: {row.pdf.name} ({row.pdf_pages} pages), {row.html.name}"
            )
