"""The rollup fill: equal to a direct count, resumable after a crash, idempotent."""

from __future__ import annotations

import pytest

from lapor.analytics import fill as fill_module
from lapor.analytics.facts import Metric
from lapor.analytics.fill import fill
from lapor.analytics.models import DailyCount, FillCursor, ReportFact
from lapor.reports.models import ReportEvent
from tests.analytics.data import direct_counts, generate, rollup_counts, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    w = world()
    generate(w, 40, seed=7)
    return w


def test_rollups_equal_a_direct_count(history):
    # Given forty reports taken every way through their lives, then filled in small batches
    result = fill(batch_size=7)
    # Then every count equals the one read straight from the report tables
    assert result.events == ReportEvent.objects.count()
    expected = direct_counts()
    assert expected[(None, "", "", 0, 0, "", "", Metric.OPEN, 0)] >= 0
    assert rollup_counts() == expected
    assert sum(v for k, v in expected.items() if k[7] == Metric.SUBMITTED) == 40


def test_a_crash_mid_fill_leaves_nothing_half_counted(history, monkeypatch):
    # Given a fill that dies in its third batch, after the facts were written, before the counts
    real = fill_module.add_counts
    calls = {"n": 0}

    def dying(delta):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:
            real(delta)  # half of the work is written inside the transaction...
            raise RuntimeError("worker killed")
        real(delta)

    monkeypatch.setattr(fill_module, "add_counts", dying)
    with pytest.raises(RuntimeError):
        fill(batch_size=9)
    # Then the counts hold exactly the events the cursors cover: none of the dead batch's
    cursors = {c.day: c.seq for c in FillCursor.objects.exclude(day=fill_module.LOCK_DAY)}
    covered = [
        e for e in ReportEvent.objects.filter(day__in=cursors) if e.day_seq <= cursors[e.day]
    ]
    assert 0 < len(covered) < ReportEvent.objects.count()
    submitted = DailyCount.objects.filter(metric=Metric.SUBMITTED)
    assert sum(r.value for r in submitted) == sum(e.action == "submit" for e in covered)
    assert ReportFact.objects.count() == len({e.report_id for e in covered})
    # And a new run picks up from the cursor and ends equal to the direct count
    monkeypatch.setattr(fill_module, "add_counts", real)
    fill(batch_size=9)
    assert rollup_counts() == direct_counts()


def test_fill_is_idempotent_and_incremental(history):
    # Given a fill that ran to the end
    fill(batch_size=50)
    first = rollup_counts()
    # When it runs again with nothing new, nothing changes
    assert fill().events == 0
    assert rollup_counts() == first
    # And when more reports arrive, only they are added, still equal to the direct count
    generate(history, 8, seed=99)
    second = fill(batch_size=5)
    assert 0 < second.events < ReportEvent.objects.count()
    assert rollup_counts() == direct_counts()


def test_fill_stops_after_max_batches_and_resumes(history):
    first = fill(batch_size=10, max_batches=2)
    assert first.batches == 2 and 0 < first.events <= 20
    assert DailyCount.objects.exists()
    fill(batch_size=10)
    assert rollup_counts() == direct_counts()


def test_the_command_fills_and_rebuilds(history):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("analytics_fill", stdout=out)
    first = rollup_counts()
    assert f"{ReportEvent.objects.count()} events counted" in out.getvalue()
    call_command("analytics_fill", "--rebuild", stdout=out)
    assert rollup_counts() == first == direct_counts()


@pytest.mark.django_db(transaction=True)
def test_property_any_history_any_batch_size_any_crash_point_equals_a_direct_count():
    """Property test: for generated histories, batch sizes and crash points, the rollups after a
    crash and a resumed fill equal the direct count."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from lapor.analytics.models import CurrentCount, ReportFact

    w = world()

    @settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        seed=st.integers(0, 10_000),
        batch=st.integers(1, 40),
        crash_at=st.integers(1, 6),
    )
    def check(seed: int, batch: int, crash_at: int) -> None:
        for model in (FillCursor, ReportFact, DailyCount, CurrentCount):
            model.objects.all().delete()
        generate(w, 6, seed=seed)
        real = fill_module.add_counts
        calls = {"n": 0}

        def dying(delta):  # type: ignore[no-untyped-def]
            calls["n"] += 1
            real(delta)
            if calls["n"] == crash_at:
                raise RuntimeError("worker killed")

        fill_module.add_counts = dying  # type: ignore[assignment]
        try:
            fill(batch_size=batch)
        except RuntimeError:
            pass
        finally:
            fill_module.add_counts = real  # type: ignore[assignment]
        fill(batch_size=batch)
        assert rollup_counts() == direct_counts()

    check()
