"""The rebuild (report by report from a snapshot of the stripe heads) and the per-scope sums the
pages read: equal to a direct count, resumable after a crash, and the pages built from them
equal to the pages built from the daily counts."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lapor.analytics import dashboard, selectors
from lapor.analytics import fill as fill_module
from lapor.analytics.facts import contributions, scope_keys
from lapor.analytics.fill import fill, start_rebuild
from lapor.analytics.models import CurrentCount, DailyCount, FillCursor, ReportFact, ScopeCount
from lapor.reports.models import ReportEvent
from tests.analytics.data import direct_counts, generate, rollup_counts, world

pytestmark = pytest.mark.django_db
DIMS = ("province", "kabkota", "agency", "category", "type", "channel", "metric", "bucket")


def scope_counts() -> Counter:
    out: Counter = Counter()
    fields = ("scope", "grain", "day", "dim", "key", "metric", "bucket")
    for row in ScopeCount.objects.values_list(*fields, "value"):
        out[row[:-1]] += row[-1]
    return +out


def scope_counts_from_daily() -> Counter:
    """The per-scope sums by another path: the daily and current counts, fanned out."""
    out: Counter = Counter()
    for row in DailyCount.objects.values_list("day", *DIMS, "value"):
        for key in scope_keys(row[:-1]):
            out[key] += row[-1]
    for row in CurrentCount.objects.values_list(*DIMS, "value"):
        for key in scope_keys((None, *row[:-1])):
            out[key] += row[-1]
    return +out


def facts_counts() -> Counter:
    out: Counter = Counter()
    for fact in ReportFact.objects.all():
        out.update(contributions(fact))
    return +out


@pytest.fixture
def history():
    w = world()
    generate(w, 30, seed=11)
    return w


def test_a_rebuild_equals_a_direct_count_and_the_fill_goes_on_after_it(history):
    # Given rollups filled day by day, then rebuilt report by report in small ranges
    fill(batch_size=13)
    by_day = (rollup_counts(), scope_counts())
    assert start_rebuild()
    assert not DailyCount.objects.exists() and not ScopeCount.objects.exists()
    result = fill(batch_size=12)  # two reports per range
    # Then the rebuild counted every event once and equals the day-by-day fill
    assert result.events == ReportEvent.objects.count()
    assert (rollup_counts(), scope_counts()) == by_day
    assert rollup_counts() == direct_counts()
    assert not FillCursor.objects.filter(day=fill_module.REBUILD_DAY).exists()
    # And events after the snapshot are counted by the day-by-day fill
    generate(history, 5, seed=12)
    assert 0 < fill(batch_size=7).events < ReportEvent.objects.count()
    assert rollup_counts() == direct_counts()
    assert scope_counts() == scope_counts_from_daily()


def test_events_written_after_the_snapshot_wait_for_the_rebuild(history):
    # Given a rebuild started, and reports submitted before its first range
    assert start_rebuild()
    generate(history, 4, seed=5)
    # When fills run to the end
    fill(batch_size=30)
    # Then the snapshot's events and the later ones are each counted once
    assert rollup_counts() == direct_counts()


def test_a_crash_mid_rebuild_leaves_nothing_half_counted(history, monkeypatch):
    # Given a rebuild that dies in its third range, after writing that range's facts
    real = fill_module.write_facts
    calls = {"n": 0}

    def dying(facts):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        real(facts)
        if calls["n"] == 3:
            raise RuntimeError("worker killed")

    monkeypatch.setattr(fill_module, "write_facts", dying)
    assert start_rebuild()
    with pytest.raises(RuntimeError):
        fill(batch_size=18)  # three reports per range
    # Then the facts are exactly the first two ranges' reports
    done = FillCursor.objects.get(day=fill_module.REBUILD_DAY, stripe=0).seq
    facts = set(ReportFact.objects.values_list("report_id", flat=True))
    assert facts and max(facts) <= done
    # and the counts exactly theirs (SQLite, range by range) or none yet (PostgreSQL: made from
    # all the facts in the last range's transaction)
    expected = facts_counts() if connection.vendor != "postgresql" else Counter()
    assert rollup_counts() == expected
    assert scope_counts() == scope_counts_from_daily()
    # And the next fill finishes the rebuild, equal to the direct count
    monkeypatch.setattr(fill_module, "write_facts", real)
    fill(batch_size=18)
    assert rollup_counts() == direct_counts()
    assert scope_counts() == scope_counts_from_daily()


def test_the_scope_sums_equal_the_daily_counts_after_a_crash_mid_fill(history, monkeypatch):
    real = fill_module.add_counts
    calls = {"n": 0}

    def dying(delta):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        real(delta)
        if calls["n"] == 4:
            raise RuntimeError("worker killed")

    monkeypatch.setattr(fill_module, "add_counts", dying)
    with pytest.raises(RuntimeError):
        fill(batch_size=11)
    assert sum(scope_counts().values()) > 0
    assert scope_counts() == scope_counts_from_daily()
    monkeypatch.setattr(fill_module, "add_counts", real)
    fill(batch_size=11)
    assert scope_counts() == scope_counts_from_daily()


def _scopes(w):  # type: ignore[no-untyped-def]
    out = [selectors.national(), selectors.province("33", "Jawa Tengah")]
    out += [selectors.kabkota(r.code, r.name) for r in w["regions"]]
    out += [selectors.agency(a.pk, a.code, a.name) for a in w["agencies"]]
    return out


def _shape(board: dashboard.Dashboard) -> list:
    tables = [board.headline, *board.tables]
    return [(t.slug, t.keys, t.records()) for t in tables] + [board.map_svg]


@pytest.mark.parametrize("until", [None, date(2026, 9, 30)])
def test_pages_from_the_scope_sums_equal_pages_from_the_daily_counts(history, until):
    fill(batch_size=17)
    for scope in _scopes(history):
        for measure in ("laporan", "sla", "kepuasan"):
            if until is not None:  # whole months: the fast path, pinned to the test's months
                since, end = selectors.period(12, until=until)
                assert dashboard.scopes.covers(since, end, selectors.today())
            fast = dashboard.build(scope, measure=measure, until=until)
            slow = dashboard.build(scope, measure=measure, until=until, daily=True)
            assert _shape(fast) == _shape(slow), (scope, measure)
    national = dashboard.build(selectors.national(), until=until)
    assert any(cells[0].value for _, cells in national.headline.rows)


def test_a_cold_dashboard_reads_the_scope_sums_in_few_queries(client, history):
    fill()
    for url in (
        reverse("analytics:national"),
        reverse("analytics:province", args=["33"]),
        reverse("analytics:kabkota", args=["33.21"]),
    ):
        with CaptureQueriesContext(connection) as cold:
            assert client.get(url).status_code == 200
        queries = [q["sql"] for q in cold.captured_queries]
        sql = " ".join(queries)
        # three grouped reads of the per-scope sums; never the daily or current counts
        assert sum(ScopeCount._meta.db_table in q for q in queries) == 3, url
        assert DailyCount._meta.db_table not in sql and CurrentCount._meta.db_table not in sql
        assert len(cold) <= 8, (url, len(cold))
