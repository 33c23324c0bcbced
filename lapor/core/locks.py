"""Row locks, taken in one fixed order so two transactions never wait on each other in a
circle: every report a transaction changes first (ascending id, ``lock_reports`` when there are
several), then one stripe head of the day's audit chain (taken by ``reports.events``, which
puts every event of a transaction into one stripe). A service that changes several reports
locks them all before its first event is chained (``report_merge``, the SLA sweep's chunks,
the retention purge's chunks).

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
