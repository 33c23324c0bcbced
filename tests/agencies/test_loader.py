"""`lapor reference load`: the whole national agency tree, in bulk, idempotent."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from lapor.agencies.catalog import UNITS
from lapor.agencies.models import Agency
from lapor.regions.models import WIB, WIT, WITA, Region

pytestmark = pytest.mark.django_db
Kind = Agency.Kind


def test_every_province_and_kabkota_has_its_government_and_units(country: None) -> None:
    # Then every province has a pemprov and every kabupaten/kota a pemkab/pemkot
    provinces = Region.objects.filter(level="provinsi")
    kabkota = Region.objects.filter(level="kabupaten_kota")
    governed = dict(
        Agency.objects.filter(kind__in=[Kind.PROVINCE, Kind.REGENCY, Kind.CITY]).values_list(
            "region_id", "kind"
        )
    )
    assert all(governed.get(p.code) == Kind.PROVINCE for p in provinces)
    assert all(
        governed.get(r.code) == {"kabupaten": Kind.REGENCY, "kota": Kind.CITY}[r.kind]
        for r in kabkota
    )
    assert len(governed) == 552
    # And each has its standard units (PDAM only for kab/kota; Jakarta's cities share PAM Jaya)
    units = Counter(
        Agency.objects.filter(
            kind=Kind.UNIT, parent__kind__in=[Kind.REGENCY, Kind.CITY]
        ).values_list("parent__code", flat=True)
    )
    full = sum("kabupaten_kota" in unit.levels for unit in UNITS)
    assert {code: n for code, n in units.items() if n != full} == {
        code: full - 1
        for code in [
            "pemkab-3101",
            "pemkot-3171",
            "pemkot-3172",
            "pemkot-3173",
            "pemkot-3174",
            "pemkot-3175",
        ]
    }
    assert len(units) == 514
    demak_units = set(
        Agency.objects.filter(parent__code="pemkab-3321").values_list("unit_type", flat=True)
    )
    assert {
        "dinkes",
        "pupr",
        "disdukcapil",
        "disdik",
        "dinsos",
        "dishub",
        "dlh",
        "satpolpp",
        "rsud",
        "inspektorat",
        "dpmptsp",
        "disnaker",
        "pdam",
    } <= demak_units
    assert Agency.objects.filter(parent__code="pemprov-33", unit_type="dinkes").exists()
    assert Agency.objects.get(code="pemprov-31-pam-jaya").unit_type == "pdam"
    # Kota Semarang is a city
    assert Agency.objects.get(code="pemkot-3374").name == "Pemerintah Kota Semarang"


def test_regional_agencies_keep_their_provinces_clock_and_cover_their_region(
    country: None,
) -> None:
    assert Agency.objects.get(code="pemprov-11").timezone == WIB  # Aceh
    assert Agency.objects.get(code="pemprov-51").timezone == WITA  # Bali
    assert Agency.objects.get(code="pemprov-91").timezone == WIT  # Papua
    assert Agency.objects.get(code="pemkab-9103-dinkes").timezone == WIT
    assert Agency.objects.get(code="pemkot-5171-disdukcapil").timezone == WITA  # Denpasar
    # And a regional unit covers its own kabupaten; a national agency the whole country
    dinkes = Agency.objects.get(code="pemkab-3321-dinkes")
    assert list(dinkes.jurisdiction_regions.values_list("code", flat=True)) == ["33.21"]
    assert dinkes.region_id == "33.21"
    assert not Agency.objects.get(code="kemenkes").jurisdiction_regions.exists()


def test_people_find_agencies_by_the_names_they_use(country: None) -> None:
    demak = Agency.objects.get(code="pemkab-3321")
    assert {"Pemkab Demak", "Kab. Demak", "Kabupaten Demak"} <= set(demak.aliases)
    assert demak.short_name == "Pemkab Demak"
    assert "Disdukcapil Demak" in Agency.objects.get(code="pemkab-3321-disdukcapil").aliases
    assert "Dinkes Jateng" in Agency.objects.get(code="pemprov-33-dinkes").aliases
    # A place name shared by a kabupaten and a kota gets no ambiguous bare alias
    bogor_kab = Agency.objects.get(code="pemkab-3201-dinkes")
    assert "Dinkes Bogor" not in bogor_kab.aliases
    assert "Dinkes Kab. Bogor" in bogor_kab.aliases
    assert "Dinkes Kota Bogor" in Agency.objects.get(code="pemkot-3271-dinkes").aliases


def test_units_are_linked_to_the_topics_they_handle(country: None) -> None:
    def topics(code: str) -> set[str]:
        return set(Agency.objects.get(code=code).topics.values_list("code", flat=True))

    assert "kependudukan" in topics("pemkab-3321-disdukcapil")
    assert "infrastruktur" in topics("pemkab-3321-pupr")
    assert "kesehatan-jkn" in topics("bpjs-kesehatan")
    assert "energi-listrik-padam" in topics("pln")
    assert "air-bersih" in topics("pemkab-3321-pdam")


def test_the_national_tree_hangs_from_the_platform_operator(country: None) -> None:
    root = Agency.objects.get(code="kemenpanrb")
    assert (root.kind, root.parent_id, root.path) == (Kind.NATIONAL, None, "/kemenpanrb/")
    assert Agency.objects.exclude(path__startswith="/kemenpanrb/").count() == 0
    kinds = Counter(Agency.objects.exclude(kind=Kind.UNIT).values_list("kind", flat=True))
    assert kinds[Kind.MINISTRY] >= 34
    assert kinds[Kind.INSTITUTION] >= 10 and kinds[Kind.STATE_COMPANY] >= 10
    assert kinds[Kind.UNIVERSITY] >= 5 and kinds[Kind.MISSION] >= 5
    assert {
        "kemenkes",
        "kemendikdasmen",
        "kemendagri",
        "kemenpu",
        "kemensos",
        "kemenhub",
        "atr-bpn",
        "kemenag",
        "polri",
        "bpom",
        "bkn",
        "bpjs-ketenagakerjaan",
        "pln",
        "pertamina",
        "kai",
        "telkom",
        "posind",
        "bri",
        "mandiri",
        "ui",
        "ugm",
        "itb",
        "undip",
        "unair",
    } <= set(Agency.objects.values_list("code", flat=True))
    djp = Agency.objects.get(code="kemenkeu-djp")
    assert (djp.kind, djp.parent.code, djp.path) == (  # type: ignore[union-attr]
        Kind.UNIT,
        "kemenkeu",
        "/kemenpanrb/kemenkeu/kemenkeu-djp/",
    )
    riyadh = Agency.objects.get(code="kbri-riyadh")
    assert (riyadh.parent.code, riyadh.timezone) == ("kemlu", "Asia/Riyadh")  # type: ignore[union-attr]
    # Every stored path is the chain of codes from the root
    for agency in Agency.objects.select_related("parent").order_by("?")[:300]:
        assert agency.path == agency.compute_path()


def test_a_second_load_creates_nothing_and_restores_renamed_agencies(country: None) -> None:
    # Given the loaded tree, where an admin added an alias and someone garbled a name
    before = Agency.objects.count()
    demak = Agency.objects.get(code="pemkab-3321")
    demak.aliases = [*demak.aliases, "Kota Wali"]
    demak.save()
    Agency.objects.filter(code="pemkab-3321-dinkes").update(name="Dinkes (lama)")

    # When the reference data is loaded again
    out = StringIO()
    call_command("reference_load", stdout=out)

    # Then nothing is created, the name is the reference one again, the alias is kept
    assert "Instansi: 0 baru, 1 diperbarui" in out.getvalue()
    assert "0 tautan wilayah dan 0 tautan topik baru" in out.getvalue()
    assert Agency.objects.count() == before
    assert Agency.objects.get(code="pemkab-3321-dinkes").name == ("Dinas Kesehatan Kabupaten Demak")
    assert "Kota Wali" in Agency.objects.get(code="pemkab-3321").aliases


def test_subtree_of_a_regency_is_its_government_and_units_only(country: None) -> None:
    demak = Agency.objects.get(code="pemkab-3321")
    subtree = set(Agency.objects.subtree_of(demak).values_list("code", flat=True))
    assert "pemkab-3321" in subtree and "pemkab-3321-disdukcapil" in subtree
    assert len(subtree) == 1 + sum("kabupaten_kota" in unit.levels for unit in UNITS)
    assert "pemkab-3322" not in subtree and "pemkab-3322-dinkes" not in subtree
    # A province's subtree holds its own units, not the autonomous regencies in it
    jateng = Agency.objects.get(code="pemprov-33")
    assert not Agency.objects.subtree_of(jateng).filter(kind=Kind.REGENCY).exists()
    # The operator's subtree is everything
    root = Agency.objects.get(code="kemenpanrb")
    assert Agency.objects.subtree_of(root).count() == Agency.objects.count()
    kemenkeu = Agency.objects.get(code="kemenkeu")
    codes = set(Agency.objects.subtree_of(kemenkeu).values_list("code", flat=True))
    # DJP's regional offices (a Kanwil per province) hang under it
    kanwil = {c for c in codes if c.startswith("kemenkeu-djp-kanwil-")}
    assert len(kanwil) == 38
    assert codes - kanwil == {"kemenkeu", "kemenkeu-djp", "kemenkeu-djbc"}
