"""Load Indonesia's regions into ``regions.Region``: provinces and kabupaten/kota from the
project's own table (``data/regions.tsv``), kecamatan from an official Kemendagri CSV.

Both loaders are idempotent (a second run writes nothing) and work in bulk: one read of the
table, then ``bulk_create`` / ``bulk_update`` of what differs.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from lapor.regions.models import Region

DATA_FILE = Path(__file__).parent / "data" / "regions.tsv"
# The project's own kecamatan table (built by ``lapor/regions/generate.py``), in the column
# layout of the official file, so ``import_kecamatan`` reads both.
KECAMATAN_FILE = Path(__file__).parent / "data" / "kecamatan.csv"
KECAMATAN_COLUMNS = ("kode", "nama", "kode_kabupaten_kota")
BATCH = 1000


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    kind: str
    timezone: str = ""

    @property
    def level(self) -> str:
        return level_of(self.code)

    @property
    def parent_code(self) -> str | None:
        return self.code.rsplit(".", 1)[0] if "." in self.code else None


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class RowProblem:
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"baris {self.line} (kode {self.code or '-'}): {self.message}"


@dataclass
class ImportRefused(Exception):
    """The file was refused as a whole; nothing was written."""

    problems: list[RowProblem] = field(default_factory=list)
    header_error: str = ""

    def __str__(self) -> str:
        if self.header_error:
            return self.header_error
        shown = "\n".join(f"  - {p}" for p in self.problems[:20])
        more = len(self.problems) - 20
        tail = f"\n  ... dan {more} baris lain" if more > 0 else ""
        return (
            f"Berkas ditolak: {len(self.problems)} baris bermasalah, tidak ada yang diimpor. "
            f"Perbaiki baris berikut lalu jalankan lagi:\n{shown}{tail}"
        )


def level_of(code: str) -> str:
    depth = code.count(".")
    return [Region.Level.PROVINSI, Region.Level.KABUPATEN_KOTA, Region.Level.KECAMATAN][depth]


def read_region_table(path: Path = DATA_FILE) -> list[RegionRow]:
    """The rows of our provinces + kabupaten/kota table (comment lines start with ``#``)."""
    with path.open(encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return [
            RegionRow(code=r["code"], name=r["name"], kind=r["kind"], timezone=r["timezone"])
            for r in csv.DictReader(lines, delimiter="\t")
        ]


def load_regions(path: Path = DATA_FILE) -> LoadResult:
    """Put the 38 provinces and 514 kabupaten/kota into the database (idempotent)."""
    return _sync(read_region_table(path))


def import_kecamatan(path: Path) -> LoadResult:
    """Import kecamatan from an official CSV (``kode,kode_nodot,nama,kode_kabupaten_kota,...``).

    Every row is checked before anything is written: a bad header, an unknown parent
    kabupaten/kota or a malformed code refuses the whole file (``ImportRefused``).
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(line for line in handle if not line.startswith("#"))
        missing = [c for c in KECAMATAN_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ImportRefused(
                header_error=(
                    f"Berkas ditolak: kolom {', '.join(missing)} tidak ada di baris judul. "
                    f"Baris judul harus memuat {','.join(KECAMATAN_COLUMNS)} "
                    f"(seperti berkas kecamatan Kemendagri)."
                )
            )
        rows, problems = _check_kecamatan(enumerate(reader, start=2))
    if problems:
        raise ImportRefused(problems=problems)
    return _sync(rows)


def _check_kecamatan(
    numbered: Iterable[tuple[int, dict[str, str]]],
) -> tuple[list[RegionRow], list[RowProblem]]:
    parents = dict(
        Region.objects.filter(level=Region.Level.KABUPATEN_KOTA).values_list("code", "timezone")
    )
    rows: list[RegionRow] = []
    problems: list[RowProblem] = []
    seen: set[str] = set()
    for line, raw in numbered:
        code = (raw.get("kode") or "").strip()
        name = " ".join((raw.get("nama") or "").split())
        parent = (raw.get("kode_kabupaten_kota") or "").strip()
        problem = _kecamatan_problem(code, name, parent, parents, seen)
        if problem:
            problems.append(RowProblem(line, code, problem))
            continue
        seen.add(code)
        rows.append(RegionRow(code, name, Region.Kind.KECAMATAN, parents[parent]))
    return rows, problems


def _kecamatan_problem(
    code: str, name: str, parent: str, parents: dict[str, str], seen: set[str]
) -> str:
    parts = code.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return "kode kecamatan harus berbentuk 33.21.01"
    if not name:
        return "nama kecamatan kosong"
    if parent not in parents:
        return (
            f"kabupaten/kota induk {parent or '(kosong)'} tidak dikenal; "
            "muat dulu data wilayah dengan `lapor reference load`"
        )
    if code.rsplit(".", 1)[0] != parent:
        return f"kode tidak diawali kode kabupaten/kota induknya {parent}"
    if code in seen:
        return "kode muncul lebih dari sekali"
    return ""


@transaction.atomic
def _sync(rows: list[RegionRow]) -> LoadResult:
    """Create missing regions and update changed ones, parents before children."""
    result = LoadResult()
    # The whole table is small (under 10,000 rows): one read beats thousands of parameters.
    existing = {r.code: r for r in Region.objects.all()}
    for depth in (0, 1, 2):
        layer = [r for r in rows if r.code.count(".") == depth]
        if not layer:
            continue
        new, changed = [], []
        for row in layer:
            timezone = row.timezone or _inherited_zone(row, existing)
            current = existing.get(row.code)
            if current is None:
                region = Region(
                    code=row.code,
                    name=row.name,
                    level=row.level,
                    kind=row.kind,
                    parent_id=row.parent_code,
                    timezone=timezone,
                )
                new.append(region)
                existing[row.code] = region
            elif (current.name, current.kind, current.parent_id, current.timezone) != (
                row.name,
                row.kind,
                row.parent_code,
                timezone,
            ):
                current.name, current.kind = row.name, row.kind
                current.parent_id, current.timezone = row.parent_code, timezone
                current.level = row.level
                changed.append(current)
            else:
                result.unchanged += 1
        Region.objects.bulk_create(new, batch_size=BATCH)
        Region.objects.bulk_update(
            changed, ["name", "kind", "level", "parent", "timezone"], batch_size=BATCH
        )
        result.created += len(new)
        result.updated += len(changed)
    return result


def _inherited_zone(row: RegionRow, existing: dict[str, Region]) -> str:
    parent = existing.get(row.parent_code or "")
    return parent.timezone if parent else Region._meta.get_field("timezone").get_default()
