"""The Atom feed of public reports, per region and agency: never a rahasia report, never a
reporter's name, in a constant number of queries."""

from __future__ import annotations

import pytest

from tests.factories import AgencyFactory, RegencyFactory, submit
from tests.portal.conftest import answered

pytestmark = pytest.mark.django_db


def test_the_feed_lists_public_reports_only(client, django_assert_max_num_queries):
    demak = RegencyFactory(code="33.21", name="Kabupaten Demak")
    other = RegencyFactory(code="33.22", name="Kabupaten Semarang", parent=demak.parent)
    for i in range(5):
        submit(title=f"Jalan rusak nomor {i}", is_confidential=False, region=demak)
    hidden = submit(title="Pungli di kelurahan", is_confidential=True, region=demak).report
    named = submit(
        title="Lampu jalan mati", is_confidential=False, is_anonymous=True, region=other
    ).report
    with django_assert_max_num_queries(3):
        response = client.get("/laporan/umpan/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert xml.count("<entry>") == 6 and "Jalan rusak nomor 4" in xml
    assert f"/laporan/{named.tracking_id}/" in xml
    assert "Pungli di kelurahan" not in xml and hidden.tracking_id not in xml
    assert "Siti Aminah" not in xml and "siti@contoh.id" not in xml
    # one region
    regional = client.get("/laporan/umpan/", {"region": "33.22"}).content.decode()
    assert regional.count("<entry>") == 1 and "Kabupaten Semarang" in regional


def test_an_agency_feed_is_linked_from_its_page(client):
    agency = AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")
    report = submit(title="Jembatan retak", is_confidential=False).report
    answered(report, agency)
    submit(title="Sampah menumpuk", is_confidential=False)
    html = client.get("/instansi/pemkab-3321/").content.decode()
    assert 'href="/laporan/umpan/?agency=pemkab-3321"' in html
    xml = client.get("/laporan/umpan/?agency=pemkab-3321").content.decode()
    assert xml.count("<entry>") == 1 and "Jembatan retak" in xml
    assert "Pemerintah Kabupaten Demak" in xml
    listing = client.get("/laporan/?agency=pemkab-3321").content.decode()
    assert 'href="/laporan/umpan/?agency=pemkab-3321"' in listing
    assert 'id="filtered-by"' in listing and "Pemerintah Kabupaten Demak" in listing
