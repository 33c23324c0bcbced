"""Row locks, taken in one fixed order so two transactions never wait on each other in a
circle: reports first (ascending id), then the audit day head (taken by ``reports.events``).

SQLite ignores ``select_for_update``; there the IMMEDIATE transaction mode serialises writers.
"""

from __future__ import annotations

from collections.abc import Iterable

from lapor.reports.models import Report


def lock_reports(ids: Iterable[int]) -> dict[int, Report]:
    ordered = sorted(set(ids))
    rows = Report.objects.select_for_update().filter(pk__in=ordered).order_by("pk")
    return {r.pk: r for r in rows}


def lock_report(report_id: int) -> Report:
    return Report.objects.select_for_update().get(pk=report_id)
