"""``lapor audit verify``: check the tamper-evident event trail (see docs/audit.md).

Exit status 0 when every checked chain is intact, 1 when any link is broken, 2 when the
arguments are wrong (an unknown tracking ID, a malformed day)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.reports.audit import UnknownReport, VerifyResult, verify


def _day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise CommandError(
            f"--day must be a date as YYYY-MM-DD, not {raw!r}", returncode=2
        ) from None


class Command(BaseCommand):
    help = (
        "Verify the hash chains of report events: every report's chain and every UTC day's "
        "chain, with their head rows. Prints the first broken link of each broken chain; "
        "exits 1 if anything is broken."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--report", metavar="TRACKING_ID", help="check this report only")
        parser.add_argument("--day", metavar="YYYY-MM-DD", help="check this UTC day only")
        parser.add_argument(
            "--chunk-size", type=int, default=5000, help="rows fetched per database round trip"
        )
        parser.add_argument(
            "--max-problems", type=int, default=1000, help="print at most this many problems"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = _day(options["day"]) if options["day"] else None
        verbose = options["verbosity"] >= 2

        def progress(phase: str, done: int) -> None:
            if verbose:
                self.stderr.write(f"  {phase}: {done:,} events")

        try:
            result = verify(
                tracking_id=options["report"], day=day, progress=progress,
                chunk_size=options["chunk_size"], max_problems=options["max_problems"],
            )  # fmt: skip
        except UnknownReport as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(_summary(result))
        for problem in result.problems:
            self.stdout.write(f"BROKEN {problem}")
        hidden = result.problem_count - len(result.problems)
        if hidden:
            self.stdout.write(f"... and {hidden:,} more broken chain(s) not shown")
        if not result.ok:
            raise CommandError(
                f"audit trail broken: {result.problem_count:,} chain(s) with a broken link"
            )
        self.stdout.write(self.style.SUCCESS("audit trail intact"))


def _summary(result: VerifyResult) -> str:
    return (
        f"checked {result.reports_checked:,} reports ({result.events_checked:,} events) and "
        f"{result.days_checked:,} days ({result.day_events_checked:,} events) "
        f"in {result.seconds:.1f}s"
    )
