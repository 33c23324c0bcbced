"""The performance index over time: monthly scores computed by hand, small months flagged, the
sparkline and its table on the agency's public page, and the ranking's previous period."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from lapor.analytics import performance, trend
from lapor.analytics.facts import Metric
from lapor.analytics.fill import add_counts
from lapor.analytics.models import MonthStock
from lapor.analytics.selectors import period
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def _flows(agency, day, flows, *, confidential: bool = False):  # type: ignore[no-untyped-def]
    """Counts added as the fill adds them: the daily counts and the per-scope sums together
    (a rahasia report's carry no dimension)."""
    dims = ("", "", 0, 0, "", "") if confidential else ("33", "33.21", agency.pk, 0, "", "")
    add_counts(Counter({(day, *dims, m, 0): v for m, v in flows.items()}))


def test_monthly_scores_by_hand():
    demak = AgencyFactory(code="pemkab-demak", kind="pemkab")
    until = date(2026, 11, 20)
    # October: 40 reports; 20 answered, 10 in time; 10 finished, 10 within 60 days; 10 ratings
    # summing 30 (mean 3); none reopened; 10 "bukan wewenang"
    _flows(
        demak,
        date(2026, 10, 3),
        {
            Metric.SUBMITTED: 40,
            Metric.ANSWERED: 20,
            Metric.ANSWERED_SLA: 10,
            Metric.FINISHED: 10,
            Metric.FINISHED_SLA: 10,
            Metric.RATED: 10,
            Metric.RATING_SUM: 30,
            Metric.NOT_AUTHORITY: 10,
        },
    )
    # November (so far), over two days: 12 reports, 6 answered, all in time (a small month)
    _flows(demak, date(2026, 11, 2), {Metric.SUBMITTED: 5, Metric.ANSWERED: 3})
    _flows(demak, date(2026, 11, 19), {Metric.SUBMITTED: 7, Metric.ANSWERED: 3})
    _flows(demak, date(2026, 11, 19), {Metric.ANSWERED_SLA: 6})
    # Rahasia reports carry no agency: never in the trend
    _flows(demak, date(2026, 11, 19), {Metric.SUBMITTED: 50}, confidential=True)
    months = trend.monthly_scores(demak.pk, until)
    assert [m.month for m in months] == [date(2026, m, 1) for m in range(6, 12)]
    october, november = months[-2], months[-1]
    assert october.components == {
        "answered_sla": 0.5,
        "finished_sla": 1.0,
        "satisfaction": 0.5,  # (3 - 1) / 4
        "not_reopened": 1.0,
        "own_authority": 0.75,
        "not_overdue": None,  # no backlog recorded at October's end
    }
    # weights 25, 20, 20, 10, 10 (no backlog figure: its 15 is left out) → over 85
    expected = 100 * (0.25 * 0.5 + 0.20 * 1.0 + 0.20 * 0.5 + 0.10 * 1.0 + 0.10 * 0.75) / 0.85
    assert october.score == pytest.approx(round(expected, 1))
    assert not october.small_sample and october.submitted == 40
    # November: answered in time 6 of 6; nothing reopened or moved of 12 → 1.0 each
    assert november.submitted == 12 and november.small_sample
    assert november.components["answered_sla"] == 1.0 and november.score == 100.0
    assert months[0].score is None and months[0].submitted == 0
    svg = trend.chart_for(months)
    assert svg.count("<circle") == 2 and 'fill="#ffffff"' in svg  # November hollow: small
    assert "100*" in svg


def test_agency_page_shows_the_trend_and_its_csv(client):
    _since, until = period(12)
    agency = AgencyFactory(code="pemkab-demak", name="Pemkab Demak", kind="pemkab")
    _flows(
        agency,
        until,
        {Metric.SUBMITTED: 30, Metric.ANSWERED: 10, Metric.ANSWERED_SLA: 5},
    )
    page = client.get(reverse("analytics:agency", args=["pemkab-demak"])).content.decode()
    assert "Tren indeks kinerja (6 bulan terakhir)" in page and "<polyline" not in page
    assert "<circle" in page  # one month with a score
    csv = client.get(reverse("analytics:agency_csv", args=["pemkab-demak", "tren"]))
    text = csv.content.decode()
    assert csv.status_code == 200 and until.strftime("%Y-%m") in text
    assert "72,2" not in text  # CSV holds numbers: (25·0.5 + 10·1 + 10·1)/45 = 72.2
    assert "72.2" in text


def test_ranking_shows_the_previous_period_and_the_change(client):
    _since, until = period(12)
    a = AgencyFactory(code="pemkab-a", name="Pemkab A", kind="pemkab")
    b = AgencyFactory(code="pemkab-b", name="Pemkab B", kind="pemkab")
    before = performance.previous_period(until)[1]
    # Before: A answered 5 of 10 in time, B 10 of 10; this month A answers 30 of 30 in time
    _flows(a, before, {Metric.SUBMITTED: 10, Metric.ANSWERED: 10, Metric.ANSWERED_SLA: 5})
    _flows(b, before, {Metric.SUBMITTED: 10, Metric.ANSWERED: 10, Metric.ANSWERED_SLA: 10})
    _flows(a, until, {Metric.ANSWERED: 30, Metric.ANSWERED_SLA: 30})
    now = {s.agency_id: s for s in performance.scores(_since, until)}
    moves = performance.changes(
        list(now.values()), performance.scores(*performance.previous_period(until))
    )
    # A: before (25·0.5 + 20)/45 = 72.2, rank 2; now (25·35/40 + 20)/45 = 93.1, rank 2 still
    # (B is 100); B: 100 both times
    assert moves[a.pk].rank == 2 and moves[a.pk].score == 72.2
    assert moves[a.pk].delta == pytest.approx(round(now[a.pk].score - 72.2, 1))
    assert moves[a.pk].delta > 0 and moves[a.pk].moved == 0
    assert moves[b.pk].delta == 0
    html = client.get(reverse("analytics:ranking")).content.decode()
    assert "Periode sebelumnya" in html and "#2 · 72.2" in html.replace("72,2", "72.2")
    assert "▲" in html


def test_the_ranking_page_stays_within_a_few_queries(client):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _since, until = period(12)
    before = performance.previous_period(until)[1]
    for n in range(12):
        agency = AgencyFactory(code=f"pemkab-{n}", name=f"Pemkab {n}", kind="pemkab")
        for day in (before, until):
            _flows(agency, day, {Metric.SUBMITTED: 10, Metric.ANSWERED: 10, Metric.ANSWERED_SLA: n})
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("analytics:ranking"))
    assert response.status_code == 200 and len(queries) <= 10, len(queries)
    assert len(response.content) < 60_000


def test_a_month_takes_the_backlog_recorded_at_its_end_and_this_month_the_backlog_now():
    demak = AgencyFactory(code="pemkab-demak", kind="pemkab")
    other = AgencyFactory(code="pemkab-kudus", kind="pemkab")
    until = date(2026, 11, 20)
    flows = {Metric.SUBMITTED: 40, Metric.ANSWERED: 20, Metric.ANSWERED_SLA: 10}
    _flows(demak, date(2026, 9, 3), flows)
    _flows(demak, date(2026, 10, 3), flows)
    _flows(demak, date(2026, 11, 3), flows)
    taken = datetime(2026, 11, 1, 0, 5, tzinfo=UTC)
    # October's end: 20 open, 5 overdue → 0.75; another agency's backlog is not Demak's
    for agency, metric, value in [
        (demak.pk, Metric.OPEN, 20),
        (demak.pk, Metric.OVERDUE, 5),
        (other.pk, Metric.OPEN, 9),
        (other.pk, Metric.OVERDUE, 9),
        (0, Metric.OPEN, 29),
        (0, Metric.OVERDUE, 14),
    ]:
        MonthStock.objects.create(
            month=date(2026, 10, 1), agency=agency, metric=metric, value=value, taken_at=taken
        )
    # Now (November so far): 10 open, none overdue → 1.0
    add_counts(Counter({(None, "33", "33.21", demak.pk, 0, "", "", Metric.OPEN, 0): 10}))
    months = {m.month: m for m in trend.monthly_scores(demak.pk, until)}
    september, october, november = (months[date(2026, m, 1)] for m in (9, 10, 11))
    assert september.components["not_overdue"] is None  # nothing recorded at its end
    assert october.components["not_overdue"] == 0.75
    assert november.components["not_overdue"] == 1.0
    # answered in time 0.5 (weight 25), nothing reopened or moved (10 + 10) and the backlog
    # (15); nothing finished or rated: over 60 (September without the backlog: over 45)
    assert october.score == pytest.approx(round(100 * (0.25 * 0.5 + 0.2 + 0.15 * 0.75) / 0.6, 1))
    assert september.score == pytest.approx(round(100 * (0.25 * 0.5 + 0.2) / 0.45, 1))
    assert november.score == pytest.approx(round(100 * (0.25 * 0.5 + 0.2 + 0.15) / 0.6, 1))


def test_a_month_recorded_without_the_agency_means_no_backlog():
    demak = AgencyFactory(code="pemkab-demak", kind="pemkab")
    taken = datetime(2026, 11, 1, 0, 5, tzinfo=UTC)
    MonthStock.objects.create(
        month=date(2026, 10, 1), agency=0, metric=Metric.OPEN, value=0, taken_at=taken
    )
    _flows(demak, date(2026, 10, 3), {Metric.SUBMITTED: 40, Metric.ANSWERED: 20})
    october = trend.monthly_scores(demak.pk, date(2026, 11, 20))[-2]
    # recorded with no open report of Demak: 0 of 0 overdue has no share, not a perfect one
    assert october.components["not_overdue"] is None
