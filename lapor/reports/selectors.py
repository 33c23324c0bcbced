"""Reads of reports, written against query counts."""

from __future__ import annotations

from django.db.models import Count, Q

from lapor.reports.lifecycle import FINISHED, OPEN
from lapor.reports.models import Report


def national_totals() -> dict[str, int]:
    """Totals for the home page, in one query."""
    return Report.objects.aggregate(
        total=Count("pk"),
        completed=Count("pk", filter=Q(status__in=sorted(FINISHED))),
        in_process=Count("pk", filter=Q(status__in=sorted(OPEN))),
    )
