"""A dashboard page's figures read from ``ScopeCount`` (the fill's per-scope sums,
``facts.scope_keys``) in three grouped queries: the same figures as ``selectors`` computes from
``DailyCount`` and ``CurrentCount``, a few hundred rows back whatever the number of reports
(ADR 0017)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, Sum

from lapor.analytics.facts import HOUR_EDGES, Metric
from lapor.analytics.models import ScopeCount
from lapor.analytics.selectors import Scope

HOURS = (Metric.ANSWER_HOURS, Metric.FINISH_HOURS)
MONTHLY = (Metric.SUBMITTED, Metric.ANSWERED, Metric.FINISHED)  # the page's monthly table
RISING_DAYS = 30


def scope_key(scope: Scope) -> str:
    if scope.kind == "provinsi":
        return f"p:{scope.code}"
    if scope.kind == "kabkota":
        return f"k:{scope.code}"
    if scope.kind == "instansi":
        return f"a:{scope.agency_id}"
    return "n"


def covers(since: date, until: date, today: date) -> bool:
    """True when whole months answer the period: it starts on a month's first day and ends on
    its last, or today (no later day has counts yet)."""
    return since.day == 1 and (until >= today or (until + timedelta(days=1)).day == 1)


class Figures:
    """Every figure of one scope's page over ``since``..``until`` (whole months, ``covers``):
    three grouped reads of the scope's rows, a few hundred rows back whatever the reports."""

    def __init__(self, scope: Scope, since: date, until: date) -> None:
        self.since, self.until = since, until
        rows = ScopeCount.objects.filter(scope=scope_key(scope))
        period = Q(grain="m", day__gte=since, day__lte=until)
        self.flows: dict[str, int] = defaultdict(int)
        self.hours: dict[str, list[int]] = {m: [0] * (len(HOUR_EDGES) + 1) for m in HOURS}
        self.months: dict[tuple[str, date], int] = defaultdict(int)
        self.dims: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.stock: dict[str, int] = defaultdict(int)
        self.provinces: dict[str, dict[str, int]] = defaultdict(dict)
        summed = (
            rows.filter(period | Q(grain="s"))
            .values_list("grain", "dim", "key", "metric", "bucket")
            .annotate(n=Sum("value"))
            .order_by()
        )
        for grain, dim, key, metric, bucket, value in summed:
            if dim == "province":
                self.provinces[key][metric] = self.provinces[key].get(metric, 0) + value
            elif grain == "s":
                self.stock[metric] += value
            elif dim:
                if metric == Metric.SUBMITTED:
                    self.dims[dim][key] += value
            elif metric in HOURS:
                self.hours[metric][bucket] += value
            else:
                self.flows[metric] += value
        per_month = (
            rows.filter(period, dim="", metric__in=MONTHLY)
            .values_list("day", "metric")
            .annotate(n=Sum("value"))
            .order_by()
        )
        for day, metric, value in per_month:
            self.months[(metric, day)] += value
        start = until - timedelta(days=RISING_DAYS - 1)
        self.days = list(
            rows.filter(grain="d", day__gte=start - timedelta(days=RISING_DAYS), day__lte=until)
            .exclude(key="0")
            .values_list("key")
            .annotate(
                now=Sum("value", filter=Q(day__gte=start)),
                before=Sum("value", filter=Q(day__lt=start)),
            )
            .order_by()
        )

    def totals(self) -> dict[str, int]:
        return {m: n for m, n in self.flows.items()}

    def stocks(self) -> dict[str, int]:
        return dict(self.stock)

    def histogram(self, metric: str) -> list[int]:
        return list(self.hours[metric])

    def monthly(self, metric: str) -> list[tuple[date, int]]:
        out, cursor = [], self.since.replace(day=1)
        while cursor <= self.until:
            out.append((cursor, self.months.get((metric, cursor), 0)))
            cursor = (cursor + timedelta(days=32)).replace(day=1)
        return out

    def breakdown(self, dimension: str) -> list[tuple[Any, int]]:
        """Submissions per value of ``dimension`` (public reports only), largest first."""
        found = self.dims.get(dimension, {})
        pairs = [(int(k) if dimension == "category" else k, n) for k, n in found.items() if n]
        pairs.sort(key=lambda pair: (-pair[1], pair[0]))
        return pairs

    def rising(self) -> list[tuple[int, int, int]]:
        out = [(int(key), int(now or 0), int(before or 0)) for key, now, before in self.days]
        out = [row for row in out if row[1] > row[2]]
        out.sort(key=lambda row: (row[2] - row[1], row[0]))
        return out

    def by_province(self, metrics: list[str]) -> dict[str, dict[str, int]]:
        keep = {*metrics, Metric.OPEN, Metric.OVERDUE}
        return {
            code: {m: n for m, n in figures.items() if m in keep}
            for code, figures in self.provinces.items()
        }
