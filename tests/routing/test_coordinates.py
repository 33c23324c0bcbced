"""The phone's coordinates as region evidence: refine a province, never override the reporter."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lapor.regions.models import Region
from lapor.reports.lifecycle import Status
from lapor.reports.tasks import route_report
from lapor.routing.coordinates import near
from lapor.routing.gazetteer import gazetteer, locate
from lapor.routing.router import route
from tests.factories import submit

pytestmark = pytest.mark.usefixtures("country")

DEMAK = (Decimal("-6.894"), Decimal("110.638"))  # the town of Demak, Central Java
KUDUS = (Decimal("-6.805"), Decimal("110.841"))


def test_coordinates_near_a_town_name_its_kabupaten():
    point = near(*DEMAK, gazetteer())
    assert point is not None
    assert point.place.code == "33.21"
    assert "koordinat dekat Demak" in point.evidence


def test_coordinates_outside_indonesia_or_missing_say_nothing():
    assert near(Decimal("48.85"), Decimal("2.35"), gazetteer()) is None  # Paris
    assert near(None, Decimal("110.6"), gazetteer()) is None


def test_coordinates_refine_a_province_the_text_left_vague():
    loc = locate(
        text="Jalan rusak parah dekat pasar",
        region_code="33",
        latitude=DEMAK[0],
        longitude=DEMAK[1],
    )
    assert loc.region is not None and loc.region.code == "33.21"
    assert any("koordinat" in e for e in loc.evidence)


def test_coordinates_never_override_the_reporters_kabupaten_but_are_shown():
    loc = locate(
        text="Jalan rusak parah", region_code="33.19", latitude=DEMAK[0], longitude=DEMAK[1]
    )
    assert loc.region is not None and loc.region.code == "33.19"  # Kudus, as chosen
    assert any("di luar" in e and "Demak" in e for e in loc.evidence)


def test_ktp_with_only_coordinates_goes_to_the_disdukcapil_there():
    routing = route(
        title="KTP belum jadi",
        body="Sudah 3 bulan rekam KTP elektronik tapi belum jadi juga, mohon dibantu",
        region_code=None,
        latitude=KUDUS[0],
        longitude=KUDUS[1],
    )
    assert routing.region == "33.19"
    assert routing.best is not None and routing.best.agency == "pemkab-3319-disdukcapil"
    assert any("koordinat" in r for r in routing.best.reasons)


def test_the_routing_job_reads_the_reports_coordinates(settings):
    settings.LAPOR_ROUTING_AUTO_DISPOSE_AT = 0.5
    report = submit(
        title="KTP belum jadi",
        body="Sudah 3 bulan rekam KTP elektronik tapi belum jadi juga, mohon dibantu",
        region=Region.objects.get(code="33"),  # only the province chosen
        latitude=DEMAK[0],
        longitude=DEMAK[1],
    ).report
    route_report.call(report.pk)
    report.refresh_from_db()
    assert report.status == Status.DISPOSED
    assert report.agency is not None and report.agency.code == "pemkab-3321-disdukcapil"
