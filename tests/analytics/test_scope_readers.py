"""The ranking, the home page's totals, the index trend and the policy report read the per-scope
sums (``ScopeCount``): their figures equal a direct count of the report tables, before and after
a rebuild; they never read the daily or current counts; and the rows a request reads do not grow
with the days of history (nor, but for the ranking's one row per agency, with the agencies)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lapor.analytics import performance, scopes, selectors, trend
from lapor.analytics.facts import HOUR_METRICS, Key, Metric
from lapor.analytics.fill import add_counts, fill, start_rebuild
from lapor.analytics.models import CurrentCount, DailyCount, ScopeCount
from lapor.analytics.policy_report import content
from tests.analytics.data import direct_counts, generate, rollup_counts, world
from tests.factories import AgencyFactory, CategoryFactory, ProvinceFactory, RegencyFactory

pytestmark = pytest.mark.django_db
SEPTEMBER = date(2026, 9, 1)
AUGUST = date(2026, 8, 1)
ROLLUPS = (DailyCount._meta.db_table, CurrentCount._meta.db_table)


# --- the direct count, summed by hand --------------------------------------------------------


def _flows_by(
    direct: Counter[Key], since: date, until: date, group: Callable[[Key], Any]
) -> dict[Any, dict[str, int]]:
    """Public flows (durations aside) of ``direct`` in the period, per ``group(key)``; keys
    whose group is None are left out, and a figure at zero is no figure."""
    out: dict[Any, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, n in direct.items():
        day, province, metric = key[0], key[1], key[7]
        if day is None or not province or metric in HOUR_METRICS or not since <= day <= until:
            continue
        g = group(key)
        if g is not None:
            out[g][metric] += n
    return {g: {m: n for m, n in f.items() if n} for g, f in out.items()}


def _agency_stocks(direct: Counter[Key]) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for key, n in direct.items():
        if key[0] is None and key[1] and key[3] and key[7] in (Metric.OPEN, Metric.OVERDUE):
            out[key[3]][key[7]] = out[key[3]].get(key[7], 0) + n
    return dict(out)


def _national_stocks(direct: Counter[Key]) -> dict[str, int]:
    out: Counter[str] = Counter()
    for key, n in direct.items():
        if key[0] is None:
            out[key[7]] += n
    return dict(out)


def _scope_totals(direct: Counter[Key], province: str, since: date, until: date) -> dict:
    """A scope's flows and histograms as the policy report's headline reads them: the nation
    (``province`` blank: rahasia reports too) or a province (public reports)."""
    totals: Counter[str] = Counter()
    hours: dict[str, Counter[int]] = defaultdict(Counter)
    for key, n in direct.items():
        day, prov, metric, bucket = key[0], key[1], key[7], key[8]
        if day is None or not since <= day <= until or (province and prov != province):
            continue
        if metric in HOUR_METRICS:
            hours[metric][bucket] += n
        else:
            totals[metric] += n
    return {"totals": +totals, "hours": {m: +c for m, c in hours.items()}}


# --- the readers, against it -----------------------------------------------------------------


def _check_against_direct(w: dict) -> dict:
    """Every moved figure equal to the direct count; returns them, to compare across a
    rebuild."""
    direct = direct_counts()
    assert rollup_counts() == direct  # the rollups themselves, as test_fill proves
    since, until = selectors.period(12)
    before = performance.previous_period(until)
    by_agency = lambda k: k[3] or None  # noqa: E731
    seen: dict[str, Any] = {}
    # The ranking: each agency's flows in either period and its backlog now
    for period in ((since, until), before):
        flows, stocks = performance.agency_figures(*period)
        assert flows == _flows_by(direct, *period, by_agency), period
        assert stocks == _agency_stocks(direct)
        fast = performance.scores(*period)
        slow = performance.scores(*period, daily=True)
        assert [vars(s) for s in fast] == [vars(s) for s in slow]
        seen[f"ranking {period}"] = [vars(s) for s in fast]
    assert any(s["score"] is not None for s in seen[f"ranking {(since, until)}"])
    # The home page's totals (every report, rahasia ones too)
    cache.clear()
    now = _national_stocks(direct)
    home = selectors.home_totals()
    assert home == {
        "total": now.get(Metric.ALL, 0),
        "completed": now.get(Metric.DONE, 0),
        "in_process": now.get(Metric.OPEN, 0),
    }
    assert home["total"] > 0
    seen["home"] = home
    # The index trend of each agency, to today and to a past month's end
    for agency in w["agencies"]:
        for end in (until, date(2026, 9, 30)):
            fast_months = trend.monthly_scores(agency.pk, end)
            slow_months = trend.monthly_scores(agency.pk, end, daily=True)
            assert fast_months == slow_months
            expected = _flows_by(
                direct,
                fast_months[0].month,
                end,
                lambda k, pk=agency.pk: k[0].replace(day=1) if k[3] == pk else None,
            )
            assert {m.month: m.submitted for m in fast_months if m.submitted} == {
                month: f.get(Metric.SUBMITTED, 0)
                for month, f in expected.items()
                if f.get(Metric.SUBMITTED)
            }
            seen[f"trend {agency.pk} {end}"] = fast_months
    # The policy report, national and Central Java: each section's figures
    for scope, prov in (
        (selectors.national(), ""),
        (selectors.province("33", "Jawa Tengah"), "33"),
    ):
        _check_policy_scope(direct, scope, prov)
        made = content.build(SEPTEMBER, prov)
        seen[f"policy {prov}"] = [
            (s.slug, [(label, [c.text for c in cells]) for label, cells in s.rows])
            for s in [made.headline, *made.sections]
        ]
    assert any(cells for _slug, rows in seen["policy "] for _l, cells in rows)
    return seen


def _check_policy_scope(direct: Counter[Key], scope: selectors.Scope, prov: str) -> None:
    """The policy report's reads of one scope (the nation, or a province) for September 2026,
    against the direct count."""
    month_end = date(2026, 9, 30)
    t, hours = scopes.flows(scope, SEPTEMBER, month_end)
    expected = _scope_totals(direct, prov, SEPTEMBER, month_end)
    assert {m: n for m, n in t.items() if n} == dict(expected["totals"])
    for metric in HOUR_METRICS:
        assert {b: n for b, n in enumerate(hours[metric]) if n} == dict(
            expected["hours"].get(metric, {})
        )

    def public(k: Key) -> bool:
        return not prov or k[1] == prov

    # submissions per category, September against August
    submitted = _flows_by(
        direct,
        AUGUST,
        month_end,
        lambda k: (k[4], k[0] >= SEPTEMBER) if k[4] and public(k) else None,
    )
    change = {
        c: (n, then)
        for c, n, then in scopes.category_change(scope, AUGUST, month_end, SEPTEMBER)
        if n or then
    }
    pairs = {
        c: (
            submitted.get((c, True), {}).get(Metric.SUBMITTED, 0),
            submitted.get((c, False), {}).get(Metric.SUBMITTED, 0),
        )
        for c, _now in submitted
    }
    assert change == {c: pair for c, pair in pairs.items() if pair != (0, 0)}
    assert change  # something to compare
    # first answers, and those in time, per category and place (the province nationally, the
    # kabupaten/kota within a province)
    answers = (Metric.ANSWERED, Metric.ANSWERED_SLA)
    late = _flows_by(
        direct,
        SEPTEMBER,
        month_end,
        lambda k: (k[4], k[2] if prov else k[1]) if public(k) and k[7] in answers else None,
    )
    read = scopes.late_answers(scope, SEPTEMBER, month_end)
    assert {k: {m: n for m, n in f.items() if n} for k, f in read.items()} == {
        k: f for k, f in late.items() if f
    }
    # each agency's flows in the scope
    agencies = _flows_by(direct, AUGUST, month_end, lambda k: k[3] if k[3] and public(k) else None)
    assert scopes.agency_flows(scope, AUGUST, month_end) == agencies


@pytest.fixture
def history():
    w = world()
    generate(w, 45, seed=21)
    return w


def test_the_moved_figures_equal_a_direct_count_before_and_after_a_rebuild(history):
    # Given rollups filled day by day in small batches
    fill(batch_size=13)
    # Then the ranking, the home totals, the trend and the policy report equal a direct count
    by_day = _check_against_direct(history)
    # And after a rebuild (report by report; on PostgreSQL the counts made in SQL) the same
    assert start_rebuild()
    fill(batch_size=12)
    assert _check_against_direct(history) == by_day
    # And after more reports, counted day by day on top of the rebuild, still the direct count
    generate(history, 6, seed=22)
    fill(batch_size=7)
    _check_against_direct(history)


# --- what a request reads --------------------------------------------------------------------

WHERE = re.compile(r'FROM "?(analytics_\w+)"? WHERE (.*?)(?: GROUP BY | ORDER BY |$)', re.S)


def rows_read(call: Callable[[], Any]) -> dict[str, int]:
    """Run ``call`` and return, per rollup table it queried, the rows its queries' conditions
    match (what the database reads through the index, before grouping): a structural measure,
    no timing and no EXPLAIN."""
    with CaptureQueriesContext(connection) as captured:
        call()
    out: Counter[str] = Counter()
    for query in captured.captured_queries:
        found = WHERE.search(query["sql"])
        if found is None:
            continue
        table, where = found.groups()
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}" WHERE {where}')  # noqa: S608
            out[table] += cursor.fetchone()[0]
    return dict(out)


def _history(world: dict, days: int, agencies: list, *, start: date) -> None:
    """Synthetic counts added as the fill adds them (``add_counts``): ``days`` days from
    ``start`` (spread over the ranking's twelve months), every agency, place and category."""
    delta: Counter[Key] = Counter()
    step = max(330 // days, 1)
    for d in range(days):
        day = start + timedelta(days=d * step)
        for agency in agencies:
            for region in world["regions"]:
                for category in world["categories"]:
                    dims = (region.code[:2], region.code, agency.pk, category.pk, "pengaduan")
                    for metric, n in (
                        (Metric.SUBMITTED, 7),
                        (Metric.ANSWERED, 6),
                        (Metric.ANSWERED_SLA, 4),
                        (Metric.FINISHED, 5),
                        (Metric.FINISHED_SLA, 5),
                        (Metric.RATED, 5),
                        (Metric.RATING_SUM, 18),
                        (Metric.NOT_AUTHORITY, 1),
                    ):
                        delta[(day, *dims, "web", metric, 0)] += n
                    delta[(day, *dims, "web", Metric.ANSWER_HOURS, 3)] += 6
                    delta[(day, "", "", 0, 0, "", "", Metric.SUBMITTED, 0)] += 1  # rahasia
    for agency in agencies:
        region = world["regions"][0]
        key = (region.code[:2], region.code, agency.pk, world["categories"][0].pk, "pengaduan")
        delta[(None, *key, "web", Metric.OPEN, 0)] += 9
        delta[(None, *key, "web", Metric.OVERDUE, 0)] += 2
        delta[(None, *key, "web", Metric.ALL, 0)] += 20
    add_counts(delta)


@pytest.fixture
def places() -> dict:
    jateng = ProvinceFactory(code="33", name="Jawa Tengah")
    return {
        "regions": [
            RegencyFactory(code="33.21", name="Kabupaten Demak", parent=jateng),
            RegencyFactory(code="33.74", name="Kota Semarang", parent=jateng, kind="kota"),
        ],
        "categories": [CategoryFactory(code=f"kat-{n}", name=f"Kategori {n}") for n in range(3)],
    }


def _readers(agency_id: int) -> dict[str, Callable[[], Any]]:
    since, until = selectors.period(12)
    policy_month = (until.replace(day=1) - timedelta(days=1)).replace(day=1)
    return {
        "ranking": lambda: (
            performance.scores(since, until),
            performance.scores(*performance.previous_period(until)),
        ),
        "home": lambda: (cache.clear(), selectors.home_totals()),
        "trend": lambda: trend.monthly_scores(agency_id, until),
        "policy, national": lambda: content.build(policy_month, ""),
        "policy, province": lambda: content.build(policy_month, "33"),
    }


def test_the_rows_a_request_reads_do_not_grow_with_the_days(places):
    agencies = [AgencyFactory(code=f"pemda-{n}", kind="pemkab") for n in range(3)]
    start = selectors.period(12)[0]
    # Given a few days of history in every month of the year (to mid-November)
    _history(places, 30, agencies, start=start)
    few = {name: rows_read(call) for name, call in _readers(agencies[0].pk).items()}
    daily_few = rows_read(lambda: performance.scores(*selectors.period(12), daily=True))
    # When every other day of the same months is counted too (same agencies, places, categories)
    _history(places, 165, agencies, start=start + timedelta(days=1))
    many = {name: rows_read(call) for name, call in _readers(agencies[0].pk).items()}
    daily_many = rows_read(lambda: performance.scores(*selectors.period(12), daily=True))
    # Then every page reads the same number of per-scope rows, and never the daily counts
    for name in few:
        assert set(many[name]) <= {ScopeCount._meta.db_table, "analytics_monthstock"}, name
        assert many[name] == few[name], name
        assert many[name][ScopeCount._meta.db_table] > 0, name
    # whereas the same ranking summed from the daily counts reads rows in proportion to the days
    # (6.5 times the days here)
    assert daily_many[DailyCount._meta.db_table] >= 5 * daily_few[DailyCount._meta.db_table]
    # And the ranking reads at most a row per agency, metric and month (two periods of 12)
    flow_metrics = 8
    bound = len(agencies) * 2 * 12 * flow_metrics + len(agencies) * 2 * 2
    assert many["ranking"][ScopeCount._meta.db_table] <= bound


def test_only_the_ranking_reads_more_rows_with_more_agencies(places):
    agencies = [AgencyFactory(code=f"pemda-{n}", kind="pemkab") for n in range(2)]
    start = selectors.period(12)[0]
    _history(places, 24, agencies, start=start)
    few = {name: rows_read(call) for name, call in _readers(agencies[0].pk).items()}
    more = [AgencyFactory(code=f"pemda-{n}", kind="pemkab") for n in range(2, 8)]
    _history(places, 24, more, start=start)
    many = {name: rows_read(call) for name, call in _readers(agencies[0].pk).items()}
    table = ScopeCount._meta.db_table
    # the home page and the trend of one agency read the same rows
    for name in ("home", "trend"):
        assert many[name] == few[name], name
    # the ranking reads a row per agency: four times the agencies, four times the rows
    assert many["ranking"][table] == 4 * few["ranking"][table]
    # the policy report lists agencies too (improving, falling behind): its rows grow by the
    # new agencies' own rows alone (a row per metric and month of its two three-month windows)
    for name in ("policy, national", "policy, province"):
        grown = many[name][table] - few[name][table]
        assert 0 < grown <= len(more) * 6 * 8, (name, grown)


# --- queries per page ------------------------------------------------------------------------


def _queries(call: Callable[[], Any]) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        call()
    return [q["sql"] for q in captured.captured_queries]


def test_each_page_reads_the_scope_sums_in_few_queries(client, places):
    agencies = [AgencyFactory(code=f"pemda-{n}", kind="pemkab") for n in range(3)]
    _history(places, 30, agencies, start=selectors.period(12)[0])
    until = selectors.period(12)[1]
    policy_month = (until.replace(day=1) - timedelta(days=1)).replace(day=1)
    cases = {
        # (what, queries of the rollups at most, before this change)
        "ranking page": (lambda: client.get(reverse("analytics:ranking")), 4, 4),
        "home page": (lambda: client.get(reverse("portal:home")), 1, 1),
        "trend": (lambda: trend.monthly_scores(agencies[0].pk, until), 1, 2),
        "policy report, national": (lambda: content.build(policy_month, ""), 6, 10),
        "policy report, province": (lambda: content.build(policy_month, "33"), 6, 10),
    }
    for name, (call, most, before) in cases.items():
        cache.clear()
        queries = _queries(call)
        rollups = [q for q in queries if "analytics_" in q and "analytics_monthstock" not in q]
        assert not any(table in q for q in queries for table in ROLLUPS), name
        assert all(ScopeCount._meta.db_table in q for q in rollups), name
        assert len(rollups) <= most <= before, (name, len(rollups))
    # The agency's dashboard page, trend table included: the page's three reads and the trend's
    queries = _queries(lambda: client.get(reverse("analytics:agency", args=[agencies[0].code])))
    assert not any(table in q for q in queries for table in ROLLUPS)
    assert sum(ScopeCount._meta.db_table in q for q in queries) == 4


def test_the_migration_adds_the_new_rows_to_counts_filled_before_it(history):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("lapor.analytics.migrations.0006_scope_readers")
    fields = ("scope", "grain", "day", "dim", "key", "metric", "bucket", "value")

    def new_rows() -> Counter:
        rows = ScopeCount.objects.filter(dim__in=migration.NEW_DIMS).values_list(*fields)
        return Counter({row[:-1]: row[-1] for row in rows if row[-1]})

    # Given counts filled by the fill, which writes the new rows with the others
    fill()
    written = new_rows()
    assert {key[3] for key in written} == {"agency", "cat_place"}
    # When a database filled before them loses them, and the migration runs (twice)
    ScopeCount.objects.filter(dim__in=migration.NEW_DIMS).delete()
    migration.add_scope_rows(apps, None)
    migration.add_scope_rows(apps, None)
    # Then it makes them from the daily and current counts, once, as the fill wrote them
    assert new_rows() == written
