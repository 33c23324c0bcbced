"""What one event does to a report's fact, and what a fact contributes to the counts.

Pure functions, no queries: ``analytics.fill`` loads the rows and writes the results. A fact's
contributions depend on its current state alone, so the fill can add ``contributions(after)``
and subtract ``contributions(before)`` for every fact a batch touched, and the counts stay equal
to the sum over all facts whatever order the batches ran in (ADR 0017).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from lapor.analytics.models import ReportFact
from lapor.reports.lifecycle import FINISHED, OPEN, Action

# Days are counted in WIB, the time zone most reporters live in (ADR 0017).
DAY_ZONE = ZoneInfo("Asia/Jakarta")
# Perpres 76/2013: a report is completed within 60 days.
COMPLETION_DAYS = 60
# Upper edges, in hours, of the duration histogram's buckets (the last bucket is open-ended).
HOUR_EDGES = (1, 2, 4, 8, 24, 48, 72, 120, 168, 336, 720, 1440, 2160)

# A count's key: (day or None for a stock, province, kabkota, agency, category, type, channel,
# metric, bucket).
Key = tuple[date | None, str, str, int, int, str, str, str, int]


class Metric:
    SUBMITTED = "submitted"
    ANSWERED = "answered"
    ANSWERED_SLA = "answered_sla"
    ANSWER_HOURS = "answer_h"
    FINISHED = "finished"
    FINISHED_SLA = "finished_sla"
    FINISH_HOURS = "finish_h"
    RATED = "rated"
    RATING_SUM = "rating_sum"
    REOPENED = "reopened"
    NOT_AUTHORITY = "not_authority"
    # Stocks (``CurrentCount``)
    ALL = "all"
    OPEN = "open"
    OVERDUE = "overdue"
    DONE = "done"


def local_day(moment: datetime) -> date:
    return moment.astimezone(DAY_ZONE).date()


def hour_bucket(start: datetime, end: datetime) -> int:
    hours = max((end - start).total_seconds(), 0) / 3600
    for index, edge in enumerate(HOUR_EDGES):
        if hours < edge:
            return index
    return len(HOUR_EDGES)


def region_parts(code: str) -> tuple[str, str]:
    """(province, kabupaten/kota) codes of a Kemendagri code: ``33.21.05`` → ``33``, ``33.21``."""
    return code[:2], code[:5] if len(code) > 2 else ""


def start_fact(report: Any, event: Any) -> ReportFact:
    """A new fact from the report row (region, type and channel never change after submission;
    category, agency and privacy are overwritten by the events that change them)."""
    province, kabkota = region_parts(report.region_id)
    return ReportFact(
        report_id=report.pk,
        seq=0,
        province=province,
        kabkota=kabkota,
        agency=report.agency_id or 0 if event.action != Action.SUBMIT else 0,
        category=report.category_id or 0,
        type=report.type,
        channel=report.channel,
        confidential=report.is_confidential,
        status=report.status if event.action != Action.SUBMIT else "",
        submitted_at=report.submitted_at,
    )


def apply_event(fact: ReportFact, event: Any, *, category_ids: dict[str, int]) -> None:
    """Advance ``fact`` by one event of its report (events come in the report's own order)."""
    action = event.action
    at: datetime = event.created_at
    if event.to_status:
        if event.from_status and event.from_status != event.to_status:
            fact.overdue = False
        fact.status = event.to_status
    data = event.data or {}
    if action in (Action.DISPOSE, Action.FORWARD):
        fact.agency = event.agency_id or 0
    elif action == Action.NOT_AUTHORITY:
        fact.agency = 0
    if action in (Action.NOT_AUTHORITY, Action.FORWARD):
        fact.not_authority = True
    elif action == Action.CHANGE_CATEGORY:
        fact.category = category_ids.get(str(data.get("to")), fact.category)
    elif action in (Action.SET_PRIVACY, Action.PRIVACY_CONSENT) and "confidential" in data:
        fact.confidential = bool(data["confidential"])
    elif action == Action.MARK_OVERDUE:
        fact.overdue = True
        if fact.first_answer_at is None:
            fact.was_overdue = True
    elif action == Action.FOLLOW_UP and fact.first_answer_at is None:
        fact.first_answer_at = at
        fact.answered_in_sla = not fact.was_overdue
    elif action == Action.RATE and data.get("rating"):
        fact.rating = int(data["rating"])
        fact.rated_at = at
    elif action == Action.REOPEN:  # an appeal withdraws the rating that led to it
        fact.reopened = True
        fact.rating = None
        fact.rated_at = None
    if fact.finished_at is None and fact.status in FINISHED:
        fact.finished_at = at
    fact.seq = event.seq


def contributions(fact: ReportFact | None) -> Counter[Key]:
    """Every count ``fact`` adds to. A rahasia report adds to the national totals only: every
    dimension is blank, so no breakdown can single it out."""
    out: Counter[Key] = Counter()
    if fact is None:
        return out
    if fact.confidential:
        dims: tuple[str, str, int, int, str, str] = ("", "", 0, 0, "", "")
    else:
        dims = (
            fact.province,
            fact.kabkota,
            fact.agency,
            fact.category,
            fact.type,
            fact.channel,
        )

    def add(day: date | None, metric: str, value: int = 1, bucket: int = 0) -> None:
        out[(day, *dims, metric, bucket)] += value

    submitted = local_day(fact.submitted_at)
    add(submitted, Metric.SUBMITTED)
    if fact.reopened:
        add(submitted, Metric.REOPENED)
    if fact.not_authority:
        add(submitted, Metric.NOT_AUTHORITY)
    if fact.first_answer_at is not None:
        day = local_day(fact.first_answer_at)
        add(day, Metric.ANSWERED)
        if fact.answered_in_sla:
            add(day, Metric.ANSWERED_SLA)
        add(day, Metric.ANSWER_HOURS, bucket=hour_bucket(fact.submitted_at, fact.first_answer_at))
    if fact.finished_at is not None:
        day = local_day(fact.finished_at)
        add(day, Metric.FINISHED)
        if fact.finished_at - fact.submitted_at <= timedelta(days=COMPLETION_DAYS):
            add(day, Metric.FINISHED_SLA)
        add(day, Metric.FINISH_HOURS, bucket=hour_bucket(fact.submitted_at, fact.finished_at))
    if fact.rating is not None and fact.rated_at is not None:
        day = local_day(fact.rated_at)
        add(day, Metric.RATED)
        add(day, Metric.RATING_SUM, fact.rating)
    add(None, Metric.ALL)
    if fact.status in OPEN:
        add(None, Metric.OPEN)
        if fact.overdue:
            add(None, Metric.OVERDUE)
    elif fact.status in FINISHED:
        add(None, Metric.DONE)
    return out


# What a dashboard page reads (``ScopeCount``, ADR 0017): each count summed per scope, by month
# (flows), by day (submissions per category, for the rising categories) and as a stock.
# A scope is "n" (national: every report, rahasia included, in its totals), "p:<province>",
# "k:<kabupaten/kota>" or "a:<agency id>" (public reports only).
ScopeKey = tuple[str, str, date, str, str, str, int]  # scope, grain, day, dim, key, metric, bucket
STOCK_DAY = date(1970, 1, 1)
BREAKDOWNS = ("category", "type", "channel")
# The province table and map of the national page.
PROVINCE_FLOWS = frozenset(
    {Metric.SUBMITTED, Metric.ANSWERED, Metric.ANSWERED_SLA, Metric.RATED, Metric.RATING_SUM}
)
PROVINCE_STOCKS = frozenset({Metric.OPEN, Metric.OVERDUE})
# The agency performance index (ranking, policy report): every flow but the duration histograms
# per agency, nationally and per province, by month; and each agency's open backlog (national).
HOUR_METRICS = frozenset({Metric.ANSWER_HOURS, Metric.FINISH_HOURS})
AGENCY_STOCKS = PROVINCE_STOCKS
# The policy report's late first answers per category and place ("<category>:<place>": the
# province nationally, the kabupaten/kota within a province).
LATE_FLOWS = frozenset({Metric.ANSWERED, Metric.ANSWERED_SLA})


def scopes_of(key: Key) -> list[str]:
    province, kabkota, agency = key[1], key[2], key[3]
    if not province:  # a rahasia report: national totals only
        return ["n"]
    out = ["n", f"p:{province}"]
    if kabkota:
        out.append(f"k:{kabkota}")
    if agency:
        out.append(f"a:{agency}")
    return out


def scope_keys(key: Key) -> list[ScopeKey]:
    """The ``ScopeCount`` rows a ``DailyCount`` (day set) or ``CurrentCount`` (day None) key adds
    to, each with the same value."""
    day, province, kabkota, agency, category, type_, channel, metric, bucket = key
    scopes = scopes_of(key)
    public = bool(province)
    if day is None:
        out = [(s, "s", STOCK_DAY, "", "", metric, bucket) for s in scopes]
        if public and metric in PROVINCE_STOCKS:
            out.append(("n", "s", STOCK_DAY, "province", province, metric, 0))
        if public and agency and metric in AGENCY_STOCKS:
            out.append(("n", "s", STOCK_DAY, "agency", str(agency), metric, 0))
        return out
    month = day.replace(day=1)
    out = [(s, "m", month, "", "", metric, bucket) for s in scopes]
    if not public:
        return out
    if agency and metric not in HOUR_METRICS:
        for s in ("n", f"p:{province}"):
            out.append((s, "m", month, "agency", str(agency), metric, 0))
    if metric in LATE_FLOWS:
        out.append(("n", "m", month, "cat_place", f"{category}:{province}", metric, 0))
        out.append((f"p:{province}", "m", month, "cat_place", f"{category}:{kabkota}", metric, 0))
    if metric == Metric.SUBMITTED:
        values = (str(category), type_, channel)
        for s in scopes:
            pairs = zip(BREAKDOWNS, values, strict=True)
            out.extend((s, "m", month, dim, v, metric, 0) for dim, v in pairs)
            out.append((s, "d", day, "category", str(category), metric, 0))
    if metric in PROVINCE_FLOWS:
        out.append(("n", "m", month, "province", province, metric, 0))
    return out
