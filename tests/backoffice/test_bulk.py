"""Bulk disposition from the national triage queue."""

from __future__ import annotations

import pytest

from lapor.reports.lifecycle import Status
from lapor.reports.models import Report
from tests.backoffice.conftest import sign_in
from tests.factories import AgencyFactory, national_admin, officer, submit
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db


def test_national_admin_disposes_several_reports_at_once(client):
    kab = AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")
    picked = [submit().report, submit().report]
    left = submit().report
    sign_in(client, national_admin())
    page = client.get("/kantor/antrean/triase/").content.decode()
    assert 'id="bulk"' in page
    response = client.post(
        "/kantor/antrean/triase/disposisi/",
        {"reports": [r.tracking_id for r in picked], "to_agency": kab.code},
        follow=True,
    )
    assert "2 laporan didisposisikan ke Pemerintah Kabupaten Demak." in response.content.decode()
    for report in picked:
        report.refresh_from_db()
        assert report.status == Status.DISPOSED and report.agency == kab
    assert Report.objects.get(pk=left.pk).status == Status.SUBMITTED


def test_bulk_names_the_reports_it_could_not_dispose(client):
    kab = AgencyFactory(code="pemkab-3321")
    done, _ = report_in(Status.ARCHIVED, agency=kab)
    sign_in(client, national_admin())
    response = client.post(
        "/kantor/antrean/triase/disposisi/",
        {"reports": [done.tracking_id], "to_agency": kab.code},
        follow=True,
    )
    assert f"Tidak dapat didisposisikan: {done.tracking_id}" in response.content.decode()


def test_agency_admin_has_no_bulk_disposition(client):
    kab = AgencyFactory(code="pemkab-3321")
    report = submit().report
    sign_in(client, officer(kab))
    response = client.post(
        "/kantor/antrean/triase/disposisi/",
        {"reports": [report.tracking_id], "to_agency": kab.code},
    )
    assert response.status_code == 404
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_agency_admin_forwards_several_inbox_reports_to_one_unit(client):
    from tests.factories import UnitFactory

    kab = AgencyFactory(code="pemkab-3321")
    dpu = UnitFactory(parent=kab, code="pemkab-3321-dpu", name="Dinas PU Demak")
    UnitFactory(parent=AgencyFactory(), code="lain-dpu", name="Dinas PU Lain")
    picked = [report_in(Status.DISPOSED, agency=kab)[0] for _ in range(2)]
    sign_in(client, officer(kab))
    page = client.get("/kantor/antrean/masuk/").content.decode()
    assert "Dinas PU Demak" in page and "Dinas PU Lain" not in page
    response = client.post(
        "/kantor/antrean/masuk/unit/",
        {"reports": [r.tracking_id for r in picked], "unit": dpu.code},
        follow=True,
    )
    assert "2 laporan diteruskan ke Dinas PU Demak." in response.content.decode()
    for report in picked:
        report.refresh_from_db()
        assert report.status == Status.IN_PROGRESS and report.unit == dpu


def test_bulk_forwarding_refuses_a_unit_of_another_agency(client):
    from tests.factories import UnitFactory

    kab = AgencyFactory(code="pemkab-3321")
    UnitFactory(parent=kab, code="pemkab-3321-dpu")
    other = UnitFactory(parent=AgencyFactory(), code="lain-dpu")
    report, _ = report_in(Status.DISPOSED, agency=kab)
    sign_in(client, officer(kab))
    client.post(
        "/kantor/antrean/masuk/unit/", {"reports": [report.tracking_id], "unit": other.code}
    )
    report.refresh_from_db()
    assert report.status == Status.DISPOSED and report.unit is None
