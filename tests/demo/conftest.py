"""A small reference world (regions, agencies with units, categories) for demo tests, so they
do not depend on the full ``lapor reference load``."""

from __future__ import annotations

import pytest

from lapor.agencies.models import Agency
from lapor.regions.models import Region
from tests.factories import AgencyFactory, CategoryFactory, ProvinceFactory, UnitFactory

REGENCIES = [
    ("33.21", "Kabupaten Demak", "pemkab"),
    ("33.74", "Kota Semarang", "pemkot"),
    ("33.22", "Kabupaten Semarang", "pemkab"),
]
UNIT_TYPES = ["pupr", "dinkes", "disdukcapil", "disdik", "dlh"]
CATEGORIES = {
    "Infrastruktur": ["Jalan", "Jembatan"],
    "Kesehatan": ["Puskesmas", "Rumah Sakit"],
    "Kependudukan": ["KTP Elektronik"],
    "Lingkungan Hidup": ["Sampah"],
}


@pytest.fixture
def demo_world(db) -> None:  # type: ignore[no-untyped-def]
    AgencyFactory(
        code="kemenpanrb",
        name="Kementerian PANRB",
        kind=Agency.Kind.NATIONAL,
        accepts_reports=False,
    )
    province = ProvinceFactory()
    pemprov = AgencyFactory(
        code="pemprov-33",
        name="Pemerintah Provinsi Jawa Tengah",
        kind=Agency.Kind.PROVINCE,
        region=province,
    )
    for code, name, kind in REGENCIES:
        region = Region.objects.create(
            code=code,
            name=name,
            level=Region.Level.KABUPATEN_KOTA,
            kind=Region.Kind.KOTA if kind == "pemkot" else Region.Kind.KABUPATEN,
            parent=province,
        )
        agency = AgencyFactory(
            code=f"{kind}-{code.replace('.', '')}",
            name=f"Pemerintah {name}",
            kind=Agency.Kind.CITY if kind == "pemkot" else Agency.Kind.REGENCY,
            region=region,
            parent=pemprov,
        )
        for unit_type in UNIT_TYPES:
            UnitFactory(
                code=f"{agency.code}-{unit_type}",
                name=f"{unit_type.upper()} {name}",
                unit_type=unit_type,
                parent=agency,
            )
    for parent_name, children in CATEGORIES.items():
        parent = CategoryFactory(code=parent_name.lower().replace(" ", "-"), name=parent_name)
        for child in children:
            CategoryFactory(code=child.lower().replace(" ", "-"), name=child, parent=parent)
