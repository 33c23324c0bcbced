"""Load Indonesia's regions into ``regions.Region``: provinces and kabupaten/kota from the
project's own table (``data/regions.tsv``), kecamatan from an official Kemendagri CSV.

Both loaders are idempotent (a second run writes nothing) and work in bulk: one read of the
table, then ``bulk_create`` / ``bulk_update`` of what differs.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from django.db import connection, transaction

from lapor.regions.models import Region

DATA_FILE = Path(__file__).parent / "data" / "regions.tsv"
# The project's own kecamatan table (built by ``lapor/regions/generate.py``), in the column
# layout of the official file, so ``import_kecamatan`` reads both.
KECAMATAN_FILE = Path(__file__).parent / "data" / "kecamatan.csv"
KECAMATAN_COLUMNS = ("kode", "nama", "kode_kabupaten_kota")
# The project's own desa/kelurahan table (same script, gzip-compressed: 0.6 MB for 83,762 rows).
DESA_FILE = Path(__file__).parent / "data" / "desa.csv.gz"
DESA_COLUMNS = ("kode", "nama", "kode_kecamatan")
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
    levels = [Region.Level.PROVINSI, Region.Level.KABUPATEN_KOTA, Region.Level.KECAMATAN]
    return [*levels, Region.Level.DESA][depth]


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


def import_desa(path: Path = DESA_FILE) -> LoadResult:
    """Import desa/kelurahan (``kode,nama,kode_kecamatan``; plain or ``.gz``) under the
    kecamatan already loaded. Checked like kecamatan: a bad header or row refuses the whole
    file; a second run writes nothing."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(line for line in handle if not line.startswith("#"))
        missing = [c for c in DESA_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ImportRefused(
                header_error=(
                    f"Berkas ditolak: kolom {', '.join(missing)} tidak ada di baris judul. "
                    f"Baris judul harus memuat {','.join(DESA_COLUMNS)}."
                )
            )
        rows, problems = _check_desa(enumerate(reader, start=2))
    if problems:
        raise ImportRefused(problems=problems)
    return _sync(rows, depths=(3,))


def _check_desa(
    numbered: Iterable[tuple[int, dict[str, str]]],
) -> tuple[list[RegionRow], list[RowProblem]]:
    parents = dict(
        Region.objects.filter(level=Region.Level.KECAMATAN).values_list("code", "timezone")
    )
    rows: list[RegionRow] = []
    problems: list[RowProblem] = []
    seen: set[str] = set()
    for line, raw in numbered:
        code = (raw.get("kode") or "").strip()
        name = " ".join((raw.get("nama") or "").split())
        parent = (raw.get("kode_kecamatan") or "").strip()
        problem = _row_problem(DESA_ROWS, code, name, parent, parents, seen)
        if problem:
            problems.append(RowProblem(line, code, problem))
            continue
        seen.add(code)
        kind = Region.Kind.KELURAHAN if code.rsplit(".", 1)[1][0] == "1" else Region.Kind.DESA
        rows.append(RegionRow(code, name, kind, parents[parent]))
    return rows, problems


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
        problem = _row_problem(KECAMATAN_ROWS, code, name, parent, parents, seen)
        if problem:
            problems.append(RowProblem(line, code, problem))
            continue
        seen.add(code)
        rows.append(RegionRow(code, name, Region.Kind.KECAMATAN, parents[parent]))
    return rows, problems


@dataclass(frozen=True)
class _Level:
    """How a row of a lower level (kecamatan, desa/kelurahan) is checked and named."""

    parts: int
    name: str
    example: str
    parent: str
    load_parent: str


KECAMATAN_ROWS = _Level(3, "kecamatan", "33.21.01", "kabupaten/kota",
                        "data wilayah dengan `lapor reference load`")  # fmt: skip
DESA_ROWS = _Level(4, "desa/kelurahan", "33.21.01.2001", "kecamatan",
                   "kecamatan dengan `lapor reference load --kecamatan`")  # fmt: skip


def _row_problem(
    level: _Level, code: str, name: str, parent: str, parents: dict[str, str], seen: set[str]
) -> str:
    parts = code.split(".")
    if len(parts) != level.parts or not all(p.isdigit() for p in parts):
        return f"kode {level.name} harus berbentuk {level.example}"
    if not name:
        return f"nama {level.name} kosong"
    if parent not in parents:
        return (
            f"{level.parent} induk {parent or '(kosong)'} tidak dikenal; "
            f"muat dulu {level.load_parent}"
        )
    if code.rsplit(".", 1)[0] != parent:
        return f"kode tidak diawali kode {level.parent} induknya {parent}"
    if code in seen:
        return "kode muncul lebih dari sekali"
    return ""


@transaction.atomic
def _sync(rows: list[RegionRow], depths: tuple[int, ...] = (0, 1, 2)) -> LoadResult:
    """Create missing regions and update changed ones, parents before children. ``depths``:
    the levels ``rows`` hold, and so the levels read first (the desa alone are 83,762 rows,
    the rest under 10,000). Rows are read as tuples and new ones written with one
    ``executemany`` per batch: model instances cost most of the time at the desa's size
    (docs/reference-data.md)."""
    result = LoadResult()
    levels = _levels(depths)
    if 3 in depths and 2 not in depths:
        levels.append(Region.Level.KECAMATAN)  # the desa's parents, for their zone
    existing: dict[str, Known] = {
        code: Known(*rest)
        for code, *rest in Region.objects.filter(level__in=levels).values_list(
            "code", "name", "kind", "parent_id", "timezone"
        )
    }
    for depth in depths:
        layer = [r for r in rows if r.code.count(".") == depth]
        if not layer:
            continue
        new: list[tuple[str, str, str, str, str | None, str]] = []
        changed: list[Region] = []
        for row in layer:
            timezone = row.timezone or _inherited_zone(row, existing)
            wanted = Known(row.name, row.kind, row.parent_code, timezone)
            current = existing.get(row.code)
            if current is None:
                new.append((row.code, row.name, row.level, row.kind, row.parent_code, timezone))
                existing[row.code] = wanted
            elif current != wanted:
                changed.append(
                    Region(
                        code=row.code,
                        name=row.name,
                        level=row.level,
                        kind=row.kind,
                        parent_id=row.parent_code,
                        timezone=timezone,
                    )
                )
            else:
                result.unchanged += 1
        _insert(new)
        Region.objects.bulk_update(
            changed, ["name", "kind", "level", "parent", "timezone"], batch_size=BATCH
        )
        result.created += len(new)
        result.updated += len(changed)
    return result


class Known(NamedTuple):
    name: str
    kind: str
    parent_id: str | None
    timezone: str


def _insert(rows: list[tuple[str, str, str, str, str | None, str]]) -> None:
    """Write new regions. On SQLite one prepared statement run per row (``executemany``),
    without model instances: 8 times faster than ``bulk_create`` for the desa. On PostgreSQL
    ``bulk_create``, whose ``UNNEST`` insert measured as fast or faster (docs/reference-data.md)."""
    if connection.vendor != "sqlite":
        fields = ("code", "name", "level", "kind", "parent_id", "timezone")
        regions = [Region(**dict(zip(fields, row, strict=True))) for row in rows]
        Region.objects.bulk_create(regions, batch_size=BATCH)
        return
    table = connection.ops.quote_name(Region._meta.db_table)
    names = ("code", "name", "level", "kind", "parent_id", "timezone")
    columns = ", ".join(connection.ops.quote_name(n) for n in names)
    # Table and column names from the model, every value a parameter.
    sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s)"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _levels(depths: tuple[int, ...]) -> list[str]:
    return [level_of(".".join(["0"] * (d + 1))) for d in depths]


def _inherited_zone(row: RegionRow, existing: dict[str, Known]) -> str:
    parent = existing.get(row.parent_code or "")
    return parent.timezone if parent else Region._meta.get_field("timezone").get_default()
