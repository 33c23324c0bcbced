"""The national agency tree as specs: national agencies from ``data/national.tsv``, and a
government with its standard units for every province and kabupaten/kota in the database
(plus a kecamatan office for every kecamatan loaded). ``load_agencies`` writes them in bulk.

Shape of the tree (see docs/reference-data.md for why regional governments are siblings):

    /kemenpanrb/                                   the platform operator (root)
    /kemenpanrb/kemenkes/                          ministries, agencies, BUMN, universities
    /kemenpanrb/kemlu/kbri-riyadh/                 missions abroad, under Kemlu
    /kemenpanrb/pemprov-33/pemprov-33-dinkes/      a province and its units
    /kemenpanrb/pemkab-3321/pemkab-3321-dinkes/    a regency and its units
    /kemenpanrb/pemkab-3321/pemkab-3321-kec-332101/  a kecamatan office
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lapor.agencies import catalog
from lapor.agencies.models import Agency
from lapor.agencies.sync import AgencySpec, SyncResult, sync_agencies
from lapor.regions.models import WIB, Region

NATIONAL_FILE = Path(__file__).parent / "data" / "national.tsv"
ROOT_CODE = "kemenpanrb"
Kind = Agency.Kind
RegionRow = Mapping[str, Any]


def load_agencies(*, national_file: Path = NATIONAL_FILE) -> SyncResult:
    """Create or update the whole tree for the regions in the database (idempotent). A
    province's vertical offices are left out when their national agency is not in the tree."""
    specs = [*national_specs(national_file), *regional_specs()]
    known = {s.code for s in specs}
    missing = {s.parent_code for s in specs if s.parent_code and s.parent_code not in known}
    known |= set(Agency.objects.filter(code__in=missing).values_list("code", flat=True))
    return sync_agencies([s for s in specs if s.parent_code is None or s.parent_code in known])


def national_specs(path: Path = NATIONAL_FILE) -> list[AgencySpec]:
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return [
            AgencySpec(
                code=row["code"],
                name=row["name"],
                short_name=row["short_name"],
                kind=row["kind"],
                unit_type=row["code"].split("-", 1)[1] if row["kind"] == Kind.UNIT else "",
                parent_code=None if row["code"] == ROOT_CODE else (row["parent"] or ROOT_CODE),
                timezone=row["timezone"] or WIB,
                aliases=_split(row["aliases"]),
                topics=_split(row["topics"]),
            )
            for row in rows
        ]


def regional_specs() -> list[AgencySpec]:
    # Desa/kelurahan get no office of their own (83,762 of them): not even read.
    rows = Region.objects.exclude(level=Region.Level.DESA)
    regions = list(rows.values("code", "name", "level", "kind", "parent_id", "timezone"))
    by_code = {r["code"]: r for r in regions}
    places = Counter(
        catalog.place_name(r["name"]) for r in regions if r["level"] == Region.Level.KABUPATEN_KOTA
    )
    specs: list[AgencySpec] = []
    for region in regions:
        if region["level"] == Region.Level.PROVINSI:
            specs.extend(_province(region))
        elif region["level"] == Region.Level.KABUPATEN_KOTA:
            unique = places[catalog.place_name(region["name"])] == 1
            specs.extend(_regency(region, unique=unique))
        elif region["parent_id"] in by_code:
            specs.append(_kecamatan_office(region, by_code[region["parent_id"]]))
    return specs


def government_code(region_code: str, kind: str) -> str:
    """``pemprov-33``, ``pemkab-3321`` or ``pemkot-3374`` for a region code."""
    prefix = {"provinsi": "pemprov", "kabupaten": "pemkab", "kota": "pemkot"}[kind]
    return f"{prefix}-{region_code.replace('.', '')}"


def _province(region: RegionRow) -> list[AgencySpec]:
    code, name = region["code"], region["name"]
    short: str = catalog.PROVINCE_SHORT.get(code) or name
    gov = government_code(code, "provinsi")
    gov_aliases = [f"Pemprov {name}", f"Pemprov {short}", f"Provinsi {name}", f"Pemda {short}"]
    specs = [
        AgencySpec(
            code=gov,
            name=f"Pemerintah Provinsi {name}",
            short_name=f"Pemprov {short}",
            kind=Kind.PROVINCE,
            parent_code=ROOT_CODE,
            region_code=code,
            timezone=region["timezone"],
            aliases=_unique(gov_aliases),
            jurisdiction=(code,),
            topics=catalog.GOVERNMENT_TOPICS,
        )
    ]
    for unit in catalog.UNITS:
        if "provinsi" not in unit.levels:
            continue
        aliases = [
            f"{unit.short} Provinsi {name}",
            f"{unit.short} {short}",
            f"{unit.short} Prov. {short}",
        ]
        for other in unit.province_aliases:
            aliases += [f"{other} Provinsi {name}", f"{other} {short}"]
        unit_name = f"{unit.name} Provinsi {name}"
        specs.append(
            _unit(gov, region, unit.unit_type, unit_name, unit.short, short, aliases, unit.topics)
        )
    for office in catalog.VERTICAL_OFFICES:
        fill = {"name": name, "short": short}
        specs.append(
            AgencySpec(
                code=f"{office.parent}-{office.key}-{code.replace('.', '')}",
                name=office.name.format(**fill),
                short_name=office.short.format(**fill),
                kind=Kind.UNIT,
                unit_type=office.key,
                parent_code=office.parent,
                region_code=code,
                timezone=region["timezone"],
                aliases=_unique([a.format(**fill) for a in office.aliases]),
                jurisdiction=(code,),
                topics=office.topics,
            )
        )
    for extra in catalog.PROVINCIAL_EXTRAS.get(code, []):
        specs.append(
            _unit(
                gov,
                region,
                extra.unit_type,
                extra.name,
                extra.aliases[0],
                "",
                list(extra.aliases),
                extra.topics,
                extra.key,
            )
        )
    return specs


def _regency(region: RegionRow, *, unique: bool) -> list[AgencySpec]:
    code, name, kind = region["code"], region["name"], region["kind"]
    place = catalog.place_name(name)
    is_city = kind == Region.Kind.KOTA
    gov = government_code(code, kind)
    qualified = f"Kota {place}" if is_city else f"Kab. {place}"
    gov_short = f"Pemkot {place}" if is_city else f"Pemkab {place}"
    gov_aliases = [gov_short, name, qualified, f"Pemda {qualified}"]
    if unique:
        gov_aliases.append(f"Pemda {place}")
    specs = [
        AgencySpec(
            code=gov,
            name=f"Pemerintah {name}",
            short_name=gov_short,
            kind=Kind.CITY if is_city else Kind.REGENCY,
            parent_code=ROOT_CODE,
            region_code=code,
            timezone=region["timezone"],
            aliases=_unique(gov_aliases),
            jurisdiction=(code,),
            topics=catalog.GOVERNMENT_TOPICS,
        )
    ]
    for unit in catalog.UNITS:
        if "kabupaten_kota" not in unit.levels:
            continue
        if unit.unit_type == "pdam" and code.split(".")[0] in catalog.NO_OWN_WATER_COMPANY:
            continue
        aliases = [f"{unit.short} {qualified}", f"{unit.name} {qualified}"]
        if unique:
            aliases += [f"{unit.short} {place}", f"{unit.name} {place}"]
        short_place = place if unique else qualified
        unit_name = f"{unit.name} {name}"
        specs.append(
            _unit(
                gov,
                region,
                unit.unit_type,
                unit_name,
                unit.short,
                short_place,
                aliases,
                unit.topics,
            )
        )
    return specs


def _unit(
    gov: str,
    region: RegionRow,
    unit_type: str,
    name: str,
    short: str,
    place: str,
    aliases: list[str],
    topics: tuple[str, ...],
    key: str = "",
) -> AgencySpec:
    return AgencySpec(
        code=f"{gov}-{key or unit_type}",
        name=name,
        short_name=f"{short} {place}".strip(),
        kind=Kind.UNIT,
        unit_type=unit_type,
        parent_code=gov,
        region_code=region["code"],
        timezone=region["timezone"],
        aliases=_unique(aliases),
        jurisdiction=(region["code"],),
        topics=topics,
    )


def _kecamatan_office(region: RegionRow, regency: RegionRow) -> AgencySpec:
    gov = government_code(regency["code"], regency["kind"])
    name = region["name"]
    return AgencySpec(
        code=f"{gov}-kec-{region['code'].replace('.', '')}",
        name=f"Kecamatan {name}, {regency['name']}",
        short_name=f"Kec. {name}",
        kind=Kind.UNIT,
        unit_type=catalog.KECAMATAN_UNIT_TYPE,
        parent_code=gov,
        region_code=region["code"],
        timezone=region["timezone"],
        aliases=(f"Kecamatan {name}", f"Kec. {name}", f"Camat {name}"),
        jurisdiction=(region["code"],),
        topics=catalog.KECAMATAN_TOPICS,
    )


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))
