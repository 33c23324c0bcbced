"""The agency directory (``/instansi/``): browse by level and province, or search."""

from __future__ import annotations

import pytest

from lapor.agencies.models import Agency
from tests.factories import AgencyFactory, ProvinceFactory, RegencyFactory, UnitFactory, submit
from tests.portal.conftest import page

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():  # type: ignore[no-untyped-def]
    jateng = ProvinceFactory(code="33", name="Jawa Tengah")
    demak = RegencyFactory(code="33.21", name="Kabupaten Demak", parent=jateng)
    AgencyFactory(
        code="pemprov-33", name="Pemerintah Provinsi Jawa Tengah", kind="pemprov", region=jateng
    )
    kab = AgencyFactory(
        code="pemkab-3321", name="Pemerintah Kabupaten Demak", kind="pemkab", region=demak
    )
    UnitFactory(code="pemkab-3321-dinkes", name="Dinas Kesehatan Kabupaten Demak", parent=kab)
    AgencyFactory(code="bpjs-kesehatan", name="BPJS Kesehatan", kind="bumn")
    AgencyFactory(code="tutup", name="Badan Lama", kind="lembaga", is_active=False)
    return kab


def test_the_directory_groups_agencies_by_level_and_province(
    client, tree, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        html = page(client, "/instansi/")
    national = html[html.index('id="pusat"') : html.index('id="daerah"')]
    assert "BPJS Kesehatan" in national and "Pemerintah Kabupaten Demak" not in national
    regional = html[html.index('id="daerah"') :]
    jateng = regional[regional.index("<summary>Jawa Tengah") :]
    assert jateng.index("Pemerintah Provinsi Jawa Tengah") < jateng.index(
        "Pemerintah Kabupaten Demak"
    )
    assert 'href="/instansi/pemkab-3321/"' in jateng
    assert "Badan Lama" not in html  # inactive agencies are not offered
    assert len(html.encode()) < 150 * 1024
    assert "Direktori instansi" in page(client, "/instansi/pemkab-3321/")


def test_a_search_finds_units_by_name_and_region_in_both_languages(
    client, tree, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        html = page(client, "/instansi/?q=kesehatan+demak")
    results = html[html.index('id="agency-results"') :]
    assert "Dinas Kesehatan Kabupaten Demak" in results and "BPJS Kesehatan" not in results
    english = page(client, "/instansi/?q=tidak+ada+sama+sekali", "en")
    assert "agency-results" not in english


def test_the_directory_shows_no_report_at_all(client, tree):
    secret = submit(is_confidential=True, is_anonymous=True, title="Pungli di puskesmas Demak")
    for url in ("/instansi/", "/instansi/?q=demak"):
        html = page(client, url)
        assert "Pungli di puskesmas" not in html and "Siti Aminah" not in html
        assert secret.report.tracking_id not in html
    assert Agency.objects.filter(code="tutup", is_active=False).exists()
