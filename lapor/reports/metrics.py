"""Reports past their deadline, for Prometheus (lapor.core.metrics, ADR 0027): open reports whose
clock ran out, counted up to ``COUNT_CAP`` (read when ``/metrics`` is scraped)."""

from __future__ import annotations

from lapor.core.metrics import register_gauge
from lapor.reports.lifecycle import CLOCK_RUNS
from lapor.reports.models import Report

COUNT_CAP = 10_000


def overdue_open() -> int:
    rows = Report.objects.filter(status__in=sorted(CLOCK_RUNS), overdue_since__isnull=False)
    return min(rows.values("pk")[: COUNT_CAP + 1].count(), COUNT_CAP)


def register() -> None:
    register_gauge(
        "lapor_reports_overdue",
        f"Open reports past their deadline (counted up to {COUNT_CAP}).",
        overdue_open,
    )
