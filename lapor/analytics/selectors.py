"""Reads of the rollups for the public pages and the open data: never the report table.

``totals``, ``histogram`` and ``stocks`` read the per-scope sums (``analytics.scopes``) when whole
months answer the period; the other readers, and those for any other period (or ``daily``), sum
``DailyCount`` and ``CurrentCount``: the dashboards' reference (``dashboard.DailyFigures``) and
their path for a period that ends on a past day within a month.

A ``Scope`` is what a dashboard is about (the nation, a province, a kabupaten/kota, an agency).
Breakdowns read only the rows of public reports (``province`` is set); the national headline
figures add the rows of rahasia reports, which carry no dimension at all (ADR 0017).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from lapor.analytics.facts import DAY_ZONE, HOUR_EDGES, Metric
from lapor.analytics.models import CurrentCount, DailyCount


@dataclass(frozen=True)
class Scope:
    kind: str  # "nasional", "provinsi", "kabkota", "instansi"
    code: str = ""
    name: str = ""
    agency_id: int = 0
    filters: dict[str, Any] = field(default_factory=dict)

    @property
    def national(self) -> bool:
        return self.kind == "nasional"


def national() -> Scope:
    return Scope("nasional")


def province(code: str, name: str) -> Scope:
    return Scope("provinsi", code, name, filters={"province": code})


def kabkota(code: str, name: str) -> Scope:
    return Scope("kabkota", code, name, filters={"kabkota": code})


def agency(pk: int, code: str, name: str) -> Scope:
    return Scope("instansi", code, name, agency_id=pk, filters={"agency": pk})


def today() -> date:
    return timezone.localdate(timezone.now(), DAY_ZONE)


def period(months: int = 12, *, until: date | None = None) -> tuple[date, date]:
    """The first day of the month ``months - 1`` months back, and ``until`` (today, WIB)."""
    end = until or today()
    year, month = end.year, end.month - (months - 1)
    while month <= 0:
        month += 12
        year -= 1
    return date(year, month, 1), end


def _daily(scope: Scope, *, public_only: bool) -> QuerySet[DailyCount]:
    qs = DailyCount.objects.filter(**scope.filters)
    if public_only or not scope.national:
        qs = qs.exclude(province="")
    return qs


def _flows(
    scope: Scope, since: date, until: date, *, public_only: bool
) -> tuple[QuerySet[Any], str]:
    """The daily flows of ``scope`` from ``since`` to ``until``, and the date field's name."""
    return _daily(scope, public_only=public_only).filter(day__gte=since, day__lte=until), "day"


def _whole(since: date, until: date, public_only: bool, daily: bool) -> bool:
    """True when the per-scope sums answer the read (``scopes.covers``): whole months, and not
    the public reports alone of the nation (its per-scope sums count rahasia ones too)."""
    from lapor.analytics.scopes import covers

    return not daily and not public_only and covers(since, until, today())


def totals(
    scope: Scope, since: date, until: date, *, public_only: bool = False, daily: bool = False
) -> dict[str, int]:
    """Sum of each flow over the period (a national scope counts rahasia reports too): from the
    per-scope sums over whole months, else (or ``daily``) from the daily counts."""
    if _whole(since, until, public_only, daily):
        from lapor.analytics import scopes

        return scopes.flows(scope, since, until)[0]
    rows = (
        _flows(scope, since, until, public_only=public_only)[0]
        .exclude(metric__in=[Metric.ANSWER_HOURS, Metric.FINISH_HOURS])
        .values("metric")
        .annotate(n=Sum("value"))
    )
    return {row["metric"]: int(row["n"]) for row in rows}


def histogram(
    scope: Scope, metric: str, since: date, until: date, *, daily: bool = False
) -> list[int]:
    if _whole(since, until, False, daily):
        from lapor.analytics import scopes

        return scopes.flows(scope, since, until)[1][metric]
    rows = (
        _flows(scope, since, until, public_only=False)[0]
        .filter(metric=metric)
        .values("bucket")
        .annotate(n=Sum("value"))
    )
    counts = [0] * (len(HOUR_EDGES) + 1)
    for row in rows:
        counts[row["bucket"]] += int(row["n"])
    return counts


def median_hours(counts: list[int]) -> float | None:
    """The median of a duration histogram, interpolated inside its bucket."""
    n = sum(counts)
    if n == 0:
        return None
    half, seen = n / 2, 0
    for index, c in enumerate(counts):
        if c and seen + c >= half:
            low = HOUR_EDGES[index - 1] if index else 0
            high = HOUR_EDGES[index] if index < len(HOUR_EDGES) else low * 1.5
            return low + (high - low) * (half - seen) / c
        seen += c
    return None


def stocks(scope: Scope, *, public_only: bool = False, daily: bool = False) -> dict[str, int]:
    """The scope's stocks now: its per-scope sums (a few rows), or (``daily``, or the public
    reports alone of the nation) the current counts."""
    if not daily and not public_only:
        from lapor.analytics import scopes

        return scopes.stocks(scope)
    qs = CurrentCount.objects.filter(**scope.filters)
    if public_only or not scope.national:
        qs = qs.exclude(province="")
    rows = qs.values("metric").annotate(n=Sum("value"))
    return {row["metric"]: int(row["n"]) for row in rows}


def monthly(scope: Scope, metric: str, since: date, until: date) -> list[tuple[date, int]]:
    """The flow per month over the period, every month present (zero when none)."""
    qs, field = _flows(scope, since, until, public_only=False)
    qs = qs.filter(metric=metric)
    if field == "day":
        qs = qs.annotate(month=TruncMonth("day"))
    rows = qs.values("month").annotate(n=Sum("value"))
    found = {row["month"]: int(row["n"]) for row in rows}
    out, cursor = [], since.replace(day=1)
    while cursor <= until:
        out.append((cursor, found.get(cursor, 0)))
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return out


def breakdown(
    scope: Scope, dimension: str, metric: str, since: date, until: date
) -> list[tuple[Any, int]]:
    """The flow per value of ``dimension`` (public reports only), largest first."""
    rows = (
        _flows(scope, since, until, public_only=True)[0]
        .filter(metric=metric)
        .values(dimension)
        .annotate(n=Sum("value"))
        .order_by("-n", dimension)
    )
    return [(row[dimension], int(row["n"])) for row in rows if row["n"]]


def by_province(metrics: list[str], since: date, until: date) -> dict[str, dict[str, int]]:
    """Each province's flows (public reports) and stocks, for the map and the national table."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    rows = (
        DailyCount.objects.exclude(province="")
        .filter(metric__in=metrics, day__gte=since, day__lte=until)
        .values("province", "metric")
        .annotate(n=Sum("value"))
    )
    for row in rows:
        out[row["province"]][row["metric"]] = int(row["n"])
    for row in (
        CurrentCount.objects.exclude(province="")
        .filter(metric__in=[Metric.OPEN, Metric.OVERDUE])
        .values("province", "metric")
        .annotate(n=Sum("value"))
    ):
        out[row["province"]][row["metric"]] = int(row["n"])
    return dict(out)


def rising(
    scope: Scope, *, days: int = 30, until: date | None = None
) -> list[tuple[int, int, int]]:
    """Categories with more public reports in the last ``days`` than in the ``days`` before:
    (category id, now, before), the largest rise first."""
    end = until or today()
    start = end - timedelta(days=days - 1)
    before_start = start - timedelta(days=days)
    rows = (
        _daily(scope, public_only=True)
        .filter(metric=Metric.SUBMITTED, day__gte=before_start, day__lte=end)
        .exclude(category=0)
        .values("category")
        .annotate(
            now=Sum("value", filter=Q(day__gte=start)),
            before=Sum("value", filter=Q(day__lt=start)),
        )
    )
    out = [(r["category"], int(r["now"] or 0), int(r["before"] or 0)) for r in rows]
    out = [row for row in out if row[1] > row[2]]
    out.sort(key=lambda row: (row[2] - row[1], row[0]))
    return out


HOME_CACHE_SECONDS = 60


def home_totals() -> dict[str, int]:
    """The portal home page's national totals (every report, rahasia ones included, as plain
    national totals), from the national stock rows of the per-scope sums (a few rows, whatever
    the reports), computed at most once a minute."""
    from django.core.cache import cache

    key = "analytics:home_totals"
    found = cache.get(key)
    if found is None:
        now = stocks(national())
        found = {
            "total": now.get(Metric.ALL, 0),
            "completed": now.get(Metric.DONE, 0),
            "in_process": now.get(Metric.OPEN, 0),
        }
        cache.set(key, found, HOME_CACHE_SECONDS)
    return found
