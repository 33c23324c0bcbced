"""The agency performance index: components and score computed by hand for a small fixture,
peer groups and volume bands, small samples flagged; the pages that show it."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from django.urls import reverse

from lapor.analytics import performance
from lapor.analytics.facts import Metric
from lapor.analytics.fill import add_counts
from lapor.analytics.selectors import period
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 2)


def _counts(agency, day, flows, stocks=None):  # type: ignore[no-untyped-def]
    """Counts of public reports of the agency in Demak, added as the fill adds them (the daily
    and current counts and the per-scope sums together)."""
    dims = ("33", "33.21", agency.pk, 0, "", "")
    delta: Counter = Counter({(day, *dims, m, 0): v for m, v in flows.items()})
    delta.update({(None, *dims, m, 0): v for m, v in (stocks or {}).items()})
    add_counts(delta)


def _figures(agency, flows, stocks):  # type: ignore[no-untyped-def]
    _counts(agency, DAY, flows, stocks)


def test_index_components_and_score_by_hand():
    demak = AgencyFactory(code="pemkab-demak", name="Pemkab Demak", kind="pemkab")
    kudus = AgencyFactory(code="pemkab-kudus", name="Pemkab Kudus", kind="pemkab")
    bumn = AgencyFactory(code="pln", name="PLN", kind="bumn")
    # Demak: 40 reports; 20 answered, 15 in time; 10 finished, 8 within 60 days; 10 ratings
    # summing 40 (mean 4); 4 reopened (a share from fewer than 5: no figure); 8 moved on as
    # "bukan wewenang"; 10 open of which 5 overdue
    _figures(
        demak,
        {
            Metric.SUBMITTED: 40,
            Metric.ANSWERED: 20,
            Metric.ANSWERED_SLA: 15,
            Metric.FINISHED: 10,
            Metric.FINISHED_SLA: 8,
            Metric.RATED: 10,
            Metric.RATING_SUM: 40,
            Metric.REOPENED: 4,
            Metric.NOT_AUTHORITY: 8,
        },
        {Metric.OPEN: 10, Metric.OVERDUE: 5},
    )
    # Kudus: 10 reports, all answered in time, nothing else (a small sample)
    _figures(kudus, {Metric.SUBMITTED: 10, Metric.ANSWERED: 10, Metric.ANSWERED_SLA: 10}, {})
    _figures(bumn, {Metric.SUBMITTED: 6, Metric.ANSWERED: 6, Metric.ANSWERED_SLA: 3}, {})
    scores = {s.agency_id: s for s in performance.scores(date(2026, 11, 1), date(2026, 11, 30))}
    d = scores[demak.pk]
    assert d.components == {
        "answered_sla": 0.75,
        "finished_sla": 0.8,
        "satisfaction": 0.75,  # (4 - 1) / 4
        "not_reopened": None,
        "own_authority": 0.8,
        "not_overdue": 0.5,
    }
    # weights 25, 20, 20, (10 absent), 10, 15 → renormalised over 90
    expected = 100 * (0.25 * 0.75 + 0.20 * 0.8 + 0.20 * 0.75 + 0.10 * 0.8 + 0.15 * 0.5) / 0.90
    assert d.score == pytest.approx(round(expected, 1))
    assert not d.small_sample and scores[kudus.pk].small_sample  # 40 and 10 reports
    assert d.peer_group == "kabupaten" and d.band == "kecil"
    assert scores[kudus.pk].score == 100.0
    # Kudus ranks above Demak among small kabupaten; PLN is in its own group (BUMN)
    assert (scores[kudus.pk].rank, d.rank) == (1, 2)
    assert scores[bumn.pk].peer_group == "bumn" and scores[bumn.pk].rank == 1


def test_weights_of_every_version_sum_to_one():
    for version, weights in performance.WEIGHTS.items():
        assert sum(weights.values()) == pytest.approx(1.0), version
        assert set(weights) == set(performance.COMPONENT_LABELS)


def test_ranking_and_agency_pages_show_the_index(client):
    _since, until = period(12)
    agency = AgencyFactory(code="pemkab-demak", name="Pemkab Demak", kind="pemkab")
    _counts(agency, until, {Metric.SUBMITTED: 12, Metric.ANSWERED: 10, Metric.ANSWERED_SLA: 5})
    ranking = client.get(reverse("analytics:ranking")).content.decode()
    assert "Pemkab Demak" in ranking and "72,2*" in ranking  # (25·0.5 + 10·1 + 10·1) / 45; small
    page = client.get(reverse("analytics:agency", args=["pemkab-demak"])).content.decode()
    assert "Indeks kinerja pengelolaan pengaduan" in page and "72,2" in page
    csv = client.get(reverse("analytics:agency_csv", args=["pemkab-demak", "indeks"]))
    assert csv.status_code == 200 and "answered_sla,Ditindaklanjuti" in csv.content.decode()
