"""Open data through the API: the dashboards' tables as JSON and CSV, never revealing a small
cell or a rahasia report, and behaving as the OpenAPI document says."""

from __future__ import annotations

import csv
import io

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from lapor.analytics.fill import fill
from tests.factories import (
    AgencyFactory,
    CategoryFactory,
    ProvinceFactory,
    RegencyFactory,
    national_admin,
    submit,
)

pytestmark = pytest.mark.django_db
ENDPOINTS = (
    "/api/v1/data/nasional/",
    "/api/v1/data/provinsi/33/",
    "/api/v1/data/wilayah/33.21/",
    "/api/v1/data/wilayah/33.19/",
)
COUNTS = {"bulanan", "kategori", "jenis", "kanal", "naik", "provinsi"}


@pytest.fixture
def data(db):  # type: ignore[no-untyped-def]
    """Three public reports in Demak (a small cell), six rahasia ones in Kudus, eight public in
    Kudus under a secret-sounding title, all disposed to one agency."""
    from lapor.reports import services

    jateng = ProvinceFactory(code="33", name="Jawa Tengah")
    demak = RegencyFactory(code="33.21", name="Kabupaten Demak", parent=jateng)
    kudus = RegencyFactory(code="33.19", name="Kabupaten Kudus", parent=jateng)
    category = CategoryFactory(code="jalan", name="Jalan rusak")
    agency = AgencyFactory(code="pemprov-33", name="Pemprov Jawa Tengah")
    admin = national_admin()
    for _ in range(3):
        submit(region=demak, category=category, is_confidential=False)
    for _ in range(6):
        report = submit(region=kudus, category=category, title="Pungli rahasia di RSUD").report
        services.report_dispose(report=report, to_agency=agency, actor=admin)
    for _ in range(8):
        submit(region=kudus, category=category, is_confidential=False)
    fill()
    return {"agency": agency}


def _cells(table):  # type: ignore[no-untyped-def]
    for row in table["rows"]:
        for column in table["columns"]:
            yield row[column]


def test_open_data_json_has_every_table_the_licence_and_no_small_cell(client, data):
    for url in (*ENDPOINTS, f"/api/v1/data/instansi/{data['agency'].code}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"].startswith("public") and response["ETag"]
        doc = response.json()
        assert doc["licence"] == "CC BY 4.0"
        slugs = {t["slug"] for t in doc["tables"]}
        assert {"ringkasan", "bulanan", "kategori", "jenis", "kanal", "naik"} <= slugs
        for table in doc["tables"]:
            if table["slug"] not in COUNTS:
                continue
            for value in _cells(table):
                assert value in ("< 5", None) or value == 0 or value >= 5, (url, table["slug"])
        # and no report's words ever appear: only figures
        assert "Pungli" not in response.content.decode()


def test_rahasia_reports_reach_only_the_national_total(client, data):
    def headline(url):  # type: ignore[no-untyped-def]
        doc = client.get(url, {"tabel": "ringkasan"}).json()
        return {
            row["kunci"]: row[doc["tables"][0]["columns"][0]] for row in doc["tables"][0]["rows"]
        }

    assert headline("/api/v1/data/nasional/")["laporan_masuk"] == 17
    # Kudus: its eight public reports only; the six rahasia ones are nowhere below the nation
    assert headline("/api/v1/data/wilayah/33.19/")["laporan_masuk"] == 8
    assert headline("/api/v1/data/provinsi/33/")["laporan_masuk"] == 11
    # The agency that handles only the rahasia reports shows nothing at all
    agency = headline(f"/api/v1/data/instansi/{data['agency'].code}/")
    assert agency["laporan_masuk"] == 0 and agency["terbuka"] == 0


def test_one_table_as_csv(client, data):
    response = client.get("/api/v1/data/wilayah/33.21/", {"tabel": "kategori", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["kunci", "label"]
    assert rows[1][2] == "< 5"  # Demak's three reports


def test_unknown_places_and_tables_answer_in_the_error_shape(client, data):
    missing = client.get("/api/v1/data/provinsi/99/")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    table = client.get("/api/v1/data/nasional/", {"tabel": "tidak-ada"})
    assert table.status_code == 400 and "kamus data" in table.json()["message"]
    wrong = client.get("/api/v1/data/nasional/", {"format": ""})
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid"


open_data = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application()).include(
    path_regex="^/api/v1/data/"
)


@pytest.fixture
def served(data):  # type: ignore[no-untyped-def]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@open_data.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_open_data_endpoints_match_the_document(case, served):  # type: ignore[no-untyped-def]
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
