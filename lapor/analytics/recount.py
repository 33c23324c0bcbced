"""The counts of every stored fact, made in SQL at the end of a rebuild on PostgreSQL.

``facts.contributions`` and ``facts.scope_keys`` written as ``INSERT … SELECT … GROUP BY`` over
``ReportFact``: one set-based pass instead of adding each range's delta to the counts (the
rebuild's cost was the counts' upserts, about eight rows per report). The fill calls it in the
transaction of a rebuild's last range, so the counts appear whole or not at all; the tests of
the fill (rollups equal a direct count) run this path on PostgreSQL and the Python one on
SQLite.
"""

# ruff: noqa: S608 - every name and value in this SQL is this module's own constant

from __future__ import annotations

from django.db import connection

from lapor.analytics.facts import (
    AGENCY_STOCKS,
    BREAKDOWNS,
    COMPLETION_DAYS,
    DAY_ZONE,
    HOUR_EDGES,
    HOUR_METRICS,
    LATE_FLOWS,
    PROVINCE_FLOWS,
    PROVINCE_STOCKS,
    STOCK_DAY,
    Metric,
)
from lapor.reports.lifecycle import FINISHED, OPEN

FACTS = "analytics_reportfact"


def _day(column: str) -> str:
    return f"({column} AT TIME ZONE '{DAY_ZONE.key}')::date"


def _hours(end: str) -> str:
    edges = ", ".join(str(e) for e in HOUR_EDGES)
    return (
        f"width_bucket(greatest(extract(epoch FROM {end} - submitted_at), 0) / 3600, "
        f"ARRAY[{edges}]::float8[])"
    )


def _quoted(values: frozenset[str]) -> str:
    return ", ".join(f"'{v}'" for v in sorted(values))


def contributions_sql() -> str:
    """Every fact's contributions as rows (day or NULL for a stock, province, kabkota, agency,
    category, type, channel, metric, bucket, value), blank dimensions for a rahasia fact: one
    scan of the facts, each fact giving its rows through a ``LATERAL`` list."""
    answer, finish, rate = _day("first_answer_at"), _day("finished_at"), _day("rated_at")
    rated = "rating IS NOT NULL AND rated_at IS NOT NULL"
    in_sla = f"finished_at - submitted_at <= interval '{COMPLETION_DAYS} days'"
    is_open = f"status IN ({_quoted(OPEN)})"
    rows = [
        # (when, day, metric, bucket, value); a stock's day is NULL
        ("true", "sd", Metric.SUBMITTED, "0", "1"),
        ("reopened", "sd", Metric.REOPENED, "0", "1"),
        ("not_authority", "sd", Metric.NOT_AUTHORITY, "0", "1"),
        ("first_answer_at IS NOT NULL", answer, Metric.ANSWERED, "0", "1"),
        ("first_answer_at IS NOT NULL AND answered_in_sla", answer, Metric.ANSWERED_SLA, "0", "1"),
        ("first_answer_at IS NOT NULL", answer, Metric.ANSWER_HOURS, _hours("first_answer_at"),
         "1"),
        ("finished_at IS NOT NULL", finish, Metric.FINISHED, "0", "1"),
        (f"finished_at IS NOT NULL AND {in_sla}", finish, Metric.FINISHED_SLA, "0", "1"),
        ("finished_at IS NOT NULL", finish, Metric.FINISH_HOURS, _hours("finished_at"), "1"),
        (rated, rate, Metric.RATED, "0", "1"),
        (rated, rate, Metric.RATING_SUM, "0", "rating"),
        ("true", "NULL::date", Metric.ALL, "0", "1"),
        (is_open, "NULL::date", Metric.OPEN, "0", "1"),
        (f"{is_open} AND overdue", "NULL::date", Metric.OVERDUE, "0", "1"),
        (f"status IN ({_quoted(FINISHED)})", "NULL::date", Metric.DONE, "0", "1"),
    ]  # fmt: skip
    values = ", ".join(
        f"({when}, {day}, '{metric}', {bucket}, {value})"
        for when, day, metric, bucket, value in rows
    )
    blank = {"province": "''", "kabkota": "''", "agency": "0", "category": "0", "type": "''"}
    blank["channel"] = "''"
    dims = ", ".join(
        f"CASE WHEN confidential THEN {b} ELSE f.{d} END AS {d}" for d, b in blank.items()
    )
    return (
        f"SELECT v.day, {dims}, v.metric, v.bucket, v.value FROM "
        f"(SELECT *, {_day('submitted_at')} AS sd FROM {FACTS}) f CROSS JOIN LATERAL "
        f"(VALUES {values}) v(keep, day, metric, bucket, value) WHERE v.keep"
    )


def counts_from_facts() -> None:
    """Replace the daily, current and per-scope counts by those of every stored fact."""
    dims = "province, kabkota, agency, category, type, channel, metric, bucket"
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        tables = "analytics_dailycount, analytics_currentcount, analytics_scopecount"
        cursor.execute(f"TRUNCATE {tables}")
        cursor.execute("DROP TABLE IF EXISTS _recount")
        cursor.execute(
            f"CREATE TEMP TABLE _recount ON COMMIT DROP AS SELECT day, {dims}, "
            f"sum(value) AS value FROM ({contributions_sql()}) c GROUP BY day, {dims}"
        )
        cursor.execute(
            f"INSERT INTO analytics_dailycount (day, {dims}, value) SELECT day, {dims}, value "
            "FROM _recount WHERE day IS NOT NULL AND value <> 0"
        )
        cursor.execute(
            f"INSERT INTO analytics_currentcount ({dims}, value) SELECT {dims}, value "
            "FROM _recount WHERE day IS NULL AND value <> 0"
        )
        cursor.execute(
            "INSERT INTO analytics_scopecount (scope, grain, day, dim, key, metric, bucket, "
            "value) SELECT scope, grain, s.day, dim, key, metric, bucket, sum(value) FROM "
            f"({_scope_rows()}) s WHERE scope IS NOT NULL "
            "GROUP BY scope, grain, s.day, dim, key, metric, bucket HAVING sum(value) <> 0"
        )


def _scope_rows() -> str:
    """``facts.scope_keys`` of every ``_recount`` row, from three smaller sources: the totals
    summed per month, place and agency first, the public submissions (the breakdowns) and the
    public first answers (late answers per category and place); each source
    row gives its scope rows through a ``LATERAL`` list (a NULL scope where a rule does not
    apply)."""
    month = f"coalesce(date_trunc('month', day)::date, DATE '{STOCK_DAY.isoformat()}')"
    totals = (
        f"SELECT {month} AS month, day IS NULL AS stock, province, kabkota, agency, metric, "
        "bucket, sum(value) AS value FROM _recount GROUP BY 1, 2, 3, 4, 5, 6, 7"
    )
    public = "r.province <> ''"

    def scopes(alias: str) -> list[str]:
        return [
            "'n'",
            f"CASE WHEN {public} THEN 'p:' || {alias}.province END",
            f"CASE WHEN {public} AND {alias}.kabkota <> '' THEN 'k:' || {alias}.kabkota END",
            f"CASE WHEN {public} AND {alias}.agency <> 0 THEN 'a:' || {alias}.agency END",
        ]

    grain = "CASE WHEN r.stock THEN 's' ELSE 'm' END"
    rules = [f"({scope}, {grain}, r.month, '', '', r.metric, r.bucket)" for scope in scopes("r")]
    flows = f"{public} AND NOT r.stock AND r.metric IN ({_quoted(PROVINCE_FLOWS)})"
    stocks = f"{public} AND r.stock AND r.metric IN ({_quoted(PROVINCE_STOCKS)})"
    rules.append(
        f"(CASE WHEN {flows} OR {stocks} THEN 'n' END, {grain}, r.month, 'province', "
        "r.province, r.metric, 0)"
    )
    agency_flows = (
        f"{public} AND r.agency <> 0 AND NOT r.stock AND r.metric NOT IN ({_quoted(HOUR_METRICS)})"
    )
    agency_stocks = (
        f"{public} AND r.agency <> 0 AND r.stock AND r.metric IN ({_quoted(AGENCY_STOCKS)})"
    )
    rules.append(
        f"(CASE WHEN {agency_flows} OR {agency_stocks} THEN 'n' END, {grain}, r.month, 'agency', "
        "r.agency::text, r.metric, 0)"
    )
    rules.append(
        f"(CASE WHEN {agency_flows} THEN 'p:' || r.province END, 'm', r.month, 'agency', "
        "r.agency::text, r.metric, 0)"
    )
    keys = {"category": "r.category::text", "type": "r.type", "channel": "r.channel"}
    breakdowns = []
    for scope in scopes("r"):
        for dim in BREAKDOWNS:
            breakdowns.append(
                f"({scope}, 'm', date_trunc('month', r.day)::date, '{dim}', {keys[dim]})"
            )
        breakdowns.append(f"({scope}, 'd', r.day, 'category', r.category::text)")
    return (
        "SELECT v.*, r.value FROM "
        f"({totals}) r CROSS JOIN LATERAL (VALUES {', '.join(rules)}) "
        "v(scope, grain, day, dim, key, metric, bucket) UNION ALL "
        f"SELECT v.*, '{Metric.SUBMITTED}', 0, r.value FROM _recount r CROSS JOIN LATERAL "
        f"(VALUES {', '.join(breakdowns)}) v(scope, grain, day, dim, key) "
        f"WHERE r.metric = '{Metric.SUBMITTED}' AND r.day IS NOT NULL AND {public} UNION ALL "
        "SELECT v.*, r.metric, 0, r.value FROM _recount r CROSS JOIN LATERAL (VALUES "
        "('n', 'm', date_trunc('month', r.day)::date, 'cat_place', "
        "r.category::text || ':' || r.province), "
        "('p:' || r.province, 'm', date_trunc('month', r.day)::date, 'cat_place', "
        "r.category::text || ':' || r.kabkota)) v(scope, grain, day, dim, key) "
        f"WHERE r.metric IN ({_quoted(LATE_FLOWS)}) AND r.day IS NOT NULL AND {public}"
    )
