"""``lapor regions import FILE``: kecamatan from the official CSV, all or nothing."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from lapor.regions.loader import load_regions
from lapor.regions.models import WIT, Region
from tests.regions.conftest import shared_file

pytestmark = pytest.mark.django_db
HEADER = "kode,kode_nodot,nama,kode_kabupaten_kota,nama_kabupaten_kota,kode_provinsi,nama_provinsi"


def run_import(path: Path) -> str:
    out = StringIO()
    call_command("regions_import", str(path), stdout=out)
    return out.getvalue()


def test_the_official_file_imports_every_kecamatan_once() -> None:
    # Given the provinces and kabupaten/kota, and the official kecamatan file
    load_regions()
    path = shared_file("kecamatan_kemendagri_2025.csv")

    # When it is imported
    first = run_import(path)

    # Then all 7,285 kecamatan hang under their kabupaten/kota, in its time zone
    assert "7285 baru" in first
    assert Region.objects.filter(level=Region.Level.KECAMATAN).count() == 7285
    bakongan = Region.objects.get(code="11.01.01")
    assert (bakongan.name, bakongan.parent_id, bakongan.kind) == ("Bakongan", "11.01", "kecamatan")
    papua_kec = Region.objects.filter(level="kecamatan", code__startswith="91.").first()
    assert papua_kec is not None and papua_kec.timezone == WIT

    # And a second run changes nothing
    second = run_import(path)
    assert "0 baru, 0 diperbarui, 7285 tetap" in second


def test_a_row_with_an_unknown_kabupaten_refuses_the_whole_file(tmp_path: Path) -> None:
    # Given a file whose second data row points at a kabupaten/kota that does not exist
    load_regions()
    path = tmp_path / "kecamatan.csv"
    path.write_text(
        f"{HEADER}\n"
        "33.21.01,332101,Mranggen,33.21,Kabupaten Demak,33,Jawa Tengah\n"
        "99.99.01,999901,Antah Berantah,99.99,Kabupaten Khayalan,99,Entah\n",
        encoding="utf-8",
    )

    # When it is imported, Then the command names the bad row and what to do
    with pytest.raises(CommandError) as refused:
        run_import(path)
    message = str(refused.value)
    assert "baris 3 (kode 99.99.01)" in message
    assert "99.99 tidak dikenal" in message
    # And nothing was written, not even the good row
    assert not Region.objects.filter(level=Region.Level.KECAMATAN).exists()


def test_a_file_without_the_expected_header_is_refused(tmp_path: Path) -> None:
    # Given a CSV with other columns
    load_regions()
    path = tmp_path / "salah.csv"
    path.write_text("id,district,regency\n1,Mranggen,33.21\n", encoding="utf-8")

    # When it is imported, Then the message says which columns are missing
    with pytest.raises(CommandError, match="kode, nama, kode_kabupaten_kota"):
        run_import(path)
    assert not Region.objects.filter(level=Region.Level.KECAMATAN).exists()


def test_a_malformed_code_and_a_duplicate_are_named(tmp_path: Path) -> None:
    load_regions()
    path = tmp_path / "kecamatan.csv"
    path.write_text(
        f"{HEADER}\n"
        "33.21.01,332101,Mranggen,33.21,Kabupaten Demak,33,Jawa Tengah\n"
        "33.21.01,332101,Mranggen,33.21,Kabupaten Demak,33,Jawa Tengah\n"
        "3321xx,3321xx,Sayung,33.21,Kabupaten Demak,33,Jawa Tengah\n",
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as refused:
        run_import(path)
    assert "baris 3 (kode 33.21.01): kode muncul lebih dari sekali" in str(refused.value)
    assert "baris 4 (kode 3321xx)" in str(refused.value)
