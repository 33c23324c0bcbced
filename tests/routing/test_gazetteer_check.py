"""The gazetteer is rebuilt as soon as regions change, and checked once per routing job: the
check counts the gazetteer's own levels through their index, never the desa rows (12 ms a
call once 84,000 desa are loaded; four calls a job)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lapor.regions.models import Region
from lapor.reports.tasks import route_report
from lapor.routing.gazetteer import gazetteer, one_gazetteer
from tests.factories import submit

pytestmark = pytest.mark.usefixtures("country")


def _checks(queries: CaptureQueriesContext) -> int:
    return sum(
        1
        for q in queries.captured_queries
        if "COUNT(*)" in q["sql"] and Region._meta.db_table in q["sql"]
    )


def test_a_new_kecamatan_is_found_at_the_next_call_and_a_desa_changes_nothing():
    before = gazetteer()
    assert not before.find("kecamatan Lorongbaru")
    Region.objects.create(
        code="33.21.99", name="Lorongbaru", level=Region.Level.KECAMATAN, parent_id="33.21"
    )
    after = gazetteer()
    assert after is not before
    assert any(f.place.code == "33.21.99" for f in after.find("di kecamatan Lorongbaru"))
    Region.objects.create(
        code="33.21.99.2001", name="Desabaru", level=Region.Level.DESA, parent_id="33.21.99"
    )
    assert gazetteer() is after  # the gazetteer holds no desa: not rebuilt for one


def test_inside_one_gazetteer_every_call_returns_it_unchecked():
    with one_gazetteer() as gaz, CaptureQueriesContext(connection) as queries:
        assert gazetteer() is gaz and gazetteer() is gaz
    assert _checks(queries) == 0


def test_a_routing_job_checks_the_gazetteer_once():
    report = submit(
        title="Jalan rusak di Demak",
        body="Jalan di kecamatan Sayung Demak rusak parah dan berlubang, mohon diperbaiki.",
        region=Region.objects.get(code="33.21"),
    ).report
    with CaptureQueriesContext(connection) as queries:
        route_report.call(report.pk)
    assert _checks(queries) == 1
