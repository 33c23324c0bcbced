"""Provinces and kabupaten/kota: our own table, loaded in bulk, checked against Kemendagri."""

from __future__ import annotations

import csv

import pytest

from lapor.regions.loader import load_regions, read_region_table
from lapor.regions.models import WIB, WIT, WITA, Region
from tests.regions.conftest import shared_file

pytestmark = pytest.mark.django_db


def test_load_regions_installs_every_province_and_kabkota_with_its_zone() -> None:
    # Given an empty database / When the regions are loaded
    result = load_regions()

    # Then all 38 provinces and 514 kabupaten/kota are there, with their parents
    assert result.created == 552
    assert Region.objects.filter(level=Region.Level.PROVINSI).count() == 38
    assert Region.objects.filter(level=Region.Level.KABUPATEN_KOTA).count() == 514
    demak = Region.objects.get(code="33.21")
    assert (demak.name, demak.kind, demak.parent_id) == ("Kabupaten Demak", "kabupaten", "33")
    # And each shows the clock its people live by
    zones = dict(Region.objects.filter(level="provinsi").values_list("name", "timezone"))
    assert zones["Aceh"] == WIB
    assert zones["Kalimantan Barat"] == WIB
    assert zones["Bali"] == WITA
    assert zones["Kalimantan Timur"] == WITA
    assert zones["Sulawesi Selatan"] == WITA
    assert zones["Maluku Utara"] == WIT
    assert zones["Papua"] == WIT
    assert zones["Papua Barat Daya"] == WIT
    # And a kabupaten/kota keeps its province's zone
    mismatched = [
        r.code
        for r in Region.objects.filter(level="kabupaten_kota").select_related("parent")
        if r.timezone != r.parent.timezone
    ]
    assert mismatched == []
    assert Region.objects.get(code="94.01").zone_label == "WIT"


def test_loading_twice_changes_nothing_and_repairs_an_edited_name() -> None:
    # Given a loaded table where someone mangled a name
    load_regions()
    Region.objects.filter(code="33.21").update(name="Demak??")

    # When it is loaded again
    result = load_regions()

    # Then only that row is written back; nothing new is created
    assert (result.created, result.updated, result.unchanged) == (0, 1, 551)
    assert Region.objects.get(code="33.21").name == "Kabupaten Demak"
    assert load_regions().created == 0


def test_our_table_matches_the_kemendagri_reference() -> None:
    # Given the official list (Kepmendagri 300.2.2-2138/2025) and our own table
    reference_path = shared_file("regions_kemendagri_2025.csv")
    with reference_path.open(encoding="utf-8") as handle:
        reference = {
            row["kode"]: (" ".join(row["nama"].split()), row["level"], row["jenis"])
            for row in csv.DictReader(handle)
        }
    ours = {row.code: (row.name, row.level, row.kind) for row in read_region_table()}

    # Then every code, name, level and kind is the same, none missing, none extra
    assert sorted(set(reference) - set(ours)) == [], "codes missing from our table"
    assert sorted(set(ours) - set(reference)) == [], "codes not in the reference"
    differences = {
        code: (ours[code], reference[code]) for code in ours if ours[code] != reference[code]
    }
    assert differences == {}
