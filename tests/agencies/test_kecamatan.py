"""`lapor reference load --kecamatan FILE`: kecamatan and their offices."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from lapor.agencies.models import Agency
from lapor.regions.models import Region
from tests.regions.conftest import shared_file

pytestmark = pytest.mark.django_db


def test_kecamatan_offices_hang_under_their_regency() -> None:
    # Given the official kecamatan file
    path = shared_file("kecamatan_kemendagri_2025.csv")

    # When the reference data is loaded with it
    out = StringIO()
    call_command("reference_load", "--kecamatan", str(path), stdout=out)

    # Then every kecamatan has an office under its kabupaten/kota government
    assert "Kecamatan: 7285 baru" in out.getvalue()
    offices = Agency.objects.filter(unit_type="kecamatan")
    assert offices.count() == Region.objects.filter(level="kecamatan").count() == 7285
    office = Agency.objects.get(code="pemkab-1101-kec-110101")
    assert office.parent is not None and office.parent.code == "pemkab-1101"
    assert office.name == "Kecamatan Bakongan, Kabupaten Aceh Selatan"
    assert list(office.jurisdiction_regions.values_list("code", flat=True)) == ["11.01.01"]
    assert "Kec. Bakongan" in office.aliases

    # And loading again creates nothing
    again = StringIO()
    call_command("reference_load", "--kecamatan", str(path), stdout=again)
    assert "Kecamatan: 0 baru, 0 diperbarui, 7285 tetap" in again.getvalue()
    assert "Instansi: 0 baru, 0 diperbarui" in again.getvalue()
