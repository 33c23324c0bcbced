"""Early warning: the statistics by hand, injected outbreaks found on held-out days, few false
alarms on quiet data, and the alarm read from the rollups."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest

from lapor.analytics import early_warning as ew
from lapor.analytics.facts import Metric
from lapor.analytics.models import DailyCount

SEEDS = (1, 2, 3)


def test_negative_binomial_tail_matches_a_sum_by_hand():
    # Poisson (infinite size): P(X >= 3) with mean 2
    poisson = 1 - sum(math.exp(-2) * 2**x / math.factorial(x) for x in range(3))
    # NB with size k = 2 and mean 4: p = k / (k + mean); P(X = x) = C(x+k-1, x) p^k (1-p)^x
    p = 2 / 6
    nb = 1 - sum(math.comb(x + 1, x) * p**2 * (1 - p) ** x for x in range(5))
    got = ew.nb_sf(np.array([3.0, 5.0, 0.0]), np.array([2.0, 4.0, 4.0]), np.array([np.inf, 2, 2]))
    assert got[0] == pytest.approx(poisson)
    assert got[1] == pytest.approx(nb)
    assert got[2] == pytest.approx(1.0)


def test_benjamini_hochberg_by_hand():
    p = np.array([0.01, 0.04, 0.03, 0.20])
    # sorted, times 4 over rank: 0.04, 0.06, 0.0533, 0.20; then monotone from the top
    assert ew.benjamini_hochberg(p) == pytest.approx([0.04, 0.0533333, 0.0533333, 0.20])


def test_injected_outbreaks_are_found_on_held_out_days_with_few_false_alarms():
    # Given generated history (120 series in 6 provinces, weekday and holiday patterns,
    # over-dispersed counts) with floods, province-wide outages and slow rises injected, each
    # held-out day judged only on the days before it (a rolling origin)
    runs = [ew.evaluate(seed) for seed in SEEDS]
    for kind in ("banjir", "listrik", "naik"):
        rates = [run.rate(kind) for run in runs]
        # Then every kind is found, on average and in the worst run
        assert np.mean(rates) >= 0.9 and min(rates) >= 0.6, (kind, rates)
    # And a flood or an outage is found within a day of its start, a slow rise within its week
    assert max(np.mean(run.delays["banjir"]) for run in runs) <= 1.5
    assert max(np.mean(run.delays["listrik"]) for run in runs) <= 1.0
    assert max(np.mean(run.delays["naik"]) for run in runs) <= 6.5
    # And quiet series raise few false alarms: about one a week over all 126 tested series,
    # the worst week of any run still a handful
    weeks = [n for run in runs for n in run.false_alarms_per_week]
    assert np.mean(weeks) <= 3.0 and max(weeks) <= 12, weeks


@pytest.mark.django_db
def test_an_alarm_is_raised_from_the_rollups():
    # Given five weeks of two or three public reports a day in Demak's "jalan" category...
    today = date(2026, 11, 30)
    rng = np.random.default_rng(4)
    rows = []
    for back in range(1, 40):
        day = today - timedelta(days=back)
        for kabkota, category in (("33.21", 7), ("33.19", 7), ("33.21", 8)):
            rows.append((day, kabkota, category, int(rng.integers(1, 4))))
    # ...and today twenty of them in Demak's "jalan", an ordinary day elsewhere
    rows += [(today, "33.21", 7, 20), (today, "33.19", 7, 2), (today, "33.21", 8, 3)]
    DailyCount.objects.bulk_create(
        DailyCount(
            day=day, province="33", kabkota=kab, category=cat, metric=Metric.SUBMITTED, value=n
        )
        for day, kab, cat, n in rows
    )
    # When the early warning runs for today
    alarms = ew.alarms_on(today)
    # Then exactly Demak's "jalan" alarms, with its count and what was expected
    assert [(a.kabkota, a.category, a.count) for a in alarms] == [("33.21", 7, 20)]
    assert 1 <= alarms[0].expected <= 4


@pytest.mark.django_db
def test_the_alarms_command_lists_the_day():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("analytics_alarms", "--day", "2026-11-30", stdout=out)
    assert "0 alarm pada 2026-11-30." in out.getvalue()
