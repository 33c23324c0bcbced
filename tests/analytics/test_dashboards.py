"""The public dashboards: every page renders from the rollups, with few queries, light."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lapor.analytics.fill import fill
from lapor.reports.models import Report
from tests.analytics.data import generate, world

pytestmark = pytest.mark.django_db
# A dashboard page built afresh, and served again from the cache.
COLD_QUERIES = 20
WARM_QUERIES = 3
MAX_BYTES = 120_000


@pytest.fixture
def filled():
    w = world()
    generate(w, 30, seed=3)
    fill()
    return w


def _pages(w):  # type: ignore[no-untyped-def]
    agency = w["agencies"][0]
    return [
        reverse("analytics:national"),
        reverse("analytics:national") + "?ukuran=sla",
        reverse("analytics:province", args=["33"]),
        reverse("analytics:kabkota", args=["33.21"]),
        reverse("analytics:agency", args=[agency.code]),
    ]


def test_every_dashboard_renders_from_the_rollups_alone(client, filled):
    report_table = Report._meta.db_table
    for url in _pages(filled):
        # When a visitor opens the page with nothing cached
        with CaptureQueriesContext(connection) as cold:
            response = client.get(url)
        # Then it answers, never reads the report or event tables, in a bounded number of queries
        assert response.status_code == 200, url
        sql = " ".join(q["sql"] for q in cold.captured_queries)
        assert report_table not in sql and "reports_reportevent" not in sql, url
        assert len(cold) <= COLD_QUERIES, (url, len(cold))
        # And the second visit is served from the cache
        with CaptureQueriesContext(connection) as warm:
            client.get(url)
        assert len(warm) <= WARM_QUERIES, (url, len(warm))
        body = response.content.decode()
        assert len(response.content) < MAX_BYTES, url
        assert "<script" not in body  # readable without JavaScript
        assert "<svg" in body and "Unduh CSV" in body


def test_the_national_page_has_the_map_and_every_measure(client, filled):
    body = client.get(reverse("analytics:national") + "?ukuran=kepuasan").content.decode()
    # The tile map links each province to its dashboard
    assert reverse("analytics:province", args=["33"]) in body
    assert 'value="kepuasan" selected' in body
    for title in ("Laporan per bulan", "Menurut kategori", "Menurut kanal", "Menurut provinsi"):
        assert title in body


def test_every_table_has_its_csv(client, filled):
    for slug in ("ringkasan", "bulanan", "kategori", "jenis", "kanal", "naik", "provinsi"):
        response = client.get(reverse("analytics:national_csv", args=[slug]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert response.content.decode().startswith("kunci,label")
    assert client.get(reverse("analytics:national_csv", args=["tidak-ada"])).status_code == 404


def test_unknown_places_are_not_found(client, filled):
    assert client.get(reverse("analytics:province", args=["99"])).status_code == 404
    # a kabupaten code is not a province
    assert client.get(reverse("analytics:province", args=["33.21"])).status_code == 404
    assert client.get(reverse("analytics:agency", args=["tidak-ada"])).status_code == 404


def test_the_data_dictionary_names_the_licence(client, db):
    body = client.get(reverse("analytics:data")).content.decode()
    assert "CC BY 4.0" in body and "laporan_masuk" in body
