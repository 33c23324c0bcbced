"""A deadline filter outside what the platform holds is a field error, never a server error."""

from __future__ import annotations

import pytest

from lapor.reports.lifecycle import Status
from tests.backoffice.conftest import sign_in
from tests.factories import AgencyFactory, officer
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_due_by_out_of_range_is_a_field_error_and_the_queue_still_shows(client, day):
    agency = AgencyFactory(code="pemkab-3603", name="Pemerintah Kabupaten Tangerang")
    report_in(Status.DISPOSED, agency=agency, title="Sampah menumpuk di Cikupa")
    sign_in(client, officer(agency))
    response = client.get(f"/kantor/antrean/masuk/?due_by={day}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Isi tanggal antara 1 Januari 2000 dan 31 Desember" in html
    assert "Sampah menumpuk di Cikupa" in html
