"""Month-end backlogs (``MonthStock``): each agency's open and overdue public reports as a month
ended, recorded once by the first fill that has counted every event of that month.

The rollups hold stocks only as of now (``CurrentCount``), so a past month's backlog exists only
if it was recorded when the month ended: the index trend shows the backlog component for the
months recorded and leaves it out (weights renormalised) for the rest. What is recorded is the
stock at the first fill after the month's last UTC day was counted: at most a few minutes of
the new month's events are in it (the fill runs every two minutes)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from lapor.analytics import fill
from lapor.analytics.facts import Metric, local_day
from lapor.analytics.models import CurrentCount, MonthStock

METRICS = (Metric.OPEN, Metric.OVERDUE)


def month_that_ended(now: datetime) -> date:
    """The first day of the last month that has ended (WIB) at ``now``."""
    return (local_day(now).replace(day=1) - timedelta(days=1)).replace(day=1)


def snapshot_month(now: datetime | None = None) -> date | None:
    """Record the month that ended before ``now`` if it is not recorded yet and the fill has
    counted every event up to its end (no rebuild under way); the month recorded, else None.
    Safe to run from several workers: under the fill's lock, and once per month."""
    now = now or timezone.now()
    month = month_that_ended(now)
    if MonthStock.objects.filter(month=month).exists():
        return None
    new_month = local_day(now).replace(day=1)  # the WIB month's first day
    with transaction.atomic():
        if not fill.lock():
            return None
        if fill.rebuild_progress() is not None:
            return None
        pending = fill.pending_day()  # a UTC day; the WIB month ends at 17:00 UTC the day before
        if pending is not None and pending < new_month:
            return None
        values: dict[int, dict[str, int]] = defaultdict(dict)
        for row in (
            CurrentCount.objects.exclude(province="")
            .exclude(agency=0)
            .filter(metric__in=METRICS)
            .values("agency", "metric")
            .annotate(n=Sum("value"))
        ):
            values[row["agency"]][row["metric"]] = int(row["n"])
        national = {m: sum(v.get(m, 0) for v in values.values()) for m in METRICS}
        values[0] = national
        MonthStock.objects.bulk_create(
            [
                MonthStock(month=month, agency=agency, metric=metric, value=n, taken_at=now)
                for agency, figures in values.items()
                for metric, n in figures.items()
            ],
            ignore_conflicts=True,
        )
    return month


def agency_months(agency_id: int, months: list[date]) -> dict[date, dict[str, int]]:
    """The recorded month-end stocks of one agency for those months (a month recorded for the
    platform but not for the agency had no open reports of it: zeros); one query."""
    recorded: dict[date, dict[str, int]] = {}
    for month, agency, metric, value in MonthStock.objects.filter(
        month__in=months, agency__in=[0, agency_id]
    ).values_list("month", "agency", "metric", "value"):
        figures = recorded.setdefault(month, {m: 0 for m in METRICS})
        if agency == agency_id:
            figures[metric] = value
    return recorded
