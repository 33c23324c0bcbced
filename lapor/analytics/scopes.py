"""A dashboard page's figures read from ``ScopeCount`` (the fill's per-scope sums,
``facts.scope_keys``) in three grouped queries: the same figures as ``selectors`` computes from
``DailyCount`` and ``CurrentCount``, a few hundred rows back whatever the number of reports
(ADR 0017). The other public figures over whole months read it too, one grouped query each:
a scope's flows and stocks (``flows``, ``stocks``: the home page, the policy report's headline,
``selectors.totals``), each agency's flows and backlog (``agency_flows``, ``agency_stocks``: the
ranking, the policy report's agencies), an agency's flows per month (``agency_months``: the
index trend), submissions per category in two periods (``category_change``) and late first
answers per category and place (``late_answers``). Every read is bounded by the months, the
agencies, categories and places asked for: never by the days or the reports."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet, Sum

from lapor.analytics.facts import HOUR_EDGES, HOUR_METRICS, STOCK_DAY, Metric
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
                if not dim:  # a stock per agency ("agency") is the ranking's, not the page's
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


# --- single reads over whole months (``covers``) -------------------------------------------------


def month_starts(since: date, until: date) -> list[date]:
    out, cursor = [], since.replace(day=1)
    while cursor <= until:
        out.append(cursor)
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return out


def _months(scope: Scope | str, since: date, until: date) -> QuerySet[ScopeCount]:
    """The scope's monthly rows of the months from ``since`` to ``until``. The months are
    listed, not ranged: on PostgreSQL each is one descent of the ``(scope, grain, day, dim, …)``
    index with the ``dim`` asked for, so a read of one kind of row never walks the others."""
    key = scope if isinstance(scope, str) else scope_key(scope)
    return ScopeCount.objects.filter(scope=key, grain="m", day__in=month_starts(since, until))


def flows(scope: Scope, since: date, until: date) -> tuple[dict[str, int], dict[str, list[int]]]:
    """The scope's flows over the months (``selectors.totals``: every flow but the durations)
    and its two duration histograms; one query."""
    totals: dict[str, int] = {}
    hours: dict[str, list[int]] = {m: [0] * (len(HOUR_EDGES) + 1) for m in HOURS}
    for metric, bucket, value in (
        _months(scope, since, until)
        .filter(dim="")
        .values_list("metric", "bucket")
        .annotate(n=Sum("value"))
        .order_by()
    ):
        if metric in HOUR_METRICS:
            hours[metric][bucket] += int(value)
        else:
            totals[metric] = totals.get(metric, 0) + int(value)
    return totals, hours


def stocks(scope: Scope) -> dict[str, int]:
    """The scope's stocks now (national: rahasia reports included); one query of a few rows."""
    rows = (
        ScopeCount.objects.filter(scope=scope_key(scope), grain="s", day=STOCK_DAY, dim="")
        .values_list("metric")
        .annotate(n=Sum("value"))
        .order_by()
    )
    return {metric: int(n) for metric, n in rows}


def _per_key(rows: Any) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for key, metric, value in rows:
        if value:  # a count moved away to zero is no figure (as after a rebuild)
            out[int(key)][metric] = int(value)
    return dict(out)


def agency_flows(scope: Scope, since: date, until: date) -> dict[int, dict[str, int]]:
    """Each agency's flows (public reports, every flow but the durations) over the months,
    nationally or within a province; one query, a row per agency and metric and month."""
    rows = (
        _months(scope, since, until)
        .filter(dim="agency")
        .values_list("key", "metric")
        .annotate(n=Sum("value"))
        .order_by()
    )
    return _per_key(rows)


def agency_stocks() -> dict[int, dict[str, int]]:
    """Each agency's open and overdue public reports now; one query."""
    rows = (
        ScopeCount.objects.filter(scope="n", grain="s", day=STOCK_DAY, dim="agency")
        .values_list("key", "metric")
        .annotate(n=Sum("value"))
        .order_by()
    )
    return _per_key(rows)


def agency_months(
    agency_id: int, since: date, until: date
) -> tuple[dict[date, dict[str, int]], dict[str, int]]:
    """One agency's flows per month (every flow but the durations) and its stocks now; one
    query of its own rows, a row per month and metric."""
    months: dict[date, dict[str, int]] = defaultdict(dict)
    now: dict[str, int] = {}
    rows = (
        ScopeCount.objects.filter(scope=f"a:{agency_id}", dim="")
        .filter(
            Q(grain="m", day__in=month_starts(since, until)) | Q(grain="s", day=STOCK_DAY),
        )
        .exclude(metric__in=HOURS)
        .values_list("grain", "day", "metric")
        .annotate(n=Sum("value"))
        .order_by()
    )
    for grain, day, metric, value in rows:
        if grain == "s":
            now[metric] = int(value)
        else:
            months[day][metric] = int(value)
    return dict(months), now


def category_change(
    scope: Scope, since: date, until: date, start: date
) -> list[tuple[int, int, int]]:
    """Public submissions per category (known categories only): (category, from ``start`` to
    ``until``, from ``since`` to before ``start``); one query."""
    rows = (
        _months(scope, since, until)
        .filter(dim="category", metric=Metric.SUBMITTED)
        .exclude(key="0")
        .values_list("key")
        .annotate(
            now=Sum("value", filter=Q(day__gte=start)),
            then=Sum("value", filter=Q(day__lt=start)),
        )
        .order_by()
    )
    return [(int(key), int(now or 0), int(then or 0)) for key, now, then in rows]


def late_answers(scope: Scope, since: date, until: date) -> dict[tuple[int, str], dict[str, int]]:
    """First answers and those in time per (category, place): the province nationally, the
    kabupaten/kota within a province (public reports); one query."""
    out: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    for key, metric, value in (
        _months(scope, since, until)
        .filter(dim="cat_place")
        .values_list("key", "metric")
        .annotate(n=Sum("value"))
        .order_by()
    ):
        category, place = key.split(":", 1)
        out[(int(category), place)][metric] = int(value)
    return dict(out)
