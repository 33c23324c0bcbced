"""``lapor reference load [--kecamatan FILE] [--desa FILE]``: install the reference data
(idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.agencies.reference import load_reference
from lapor.regions.loader import ImportRefused


class Command(BaseCommand):
    help = (
        "Muat data acuan: provinsi dan kabupaten/kota, kategori, kebijakan SLA nasional, dan "
        "pohon instansi (pemerintah daerah beserta unitnya). Aman dijalankan berulang."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--kecamatan",
            type=Path,
            metavar="FILE",
            help="CSV kecamatan Kemendagri: impor kecamatan dan buat kantor kecamatan",
        )
        parser.add_argument(
            "--desa",
            type=Path,
            metavar="FILE",
            help=(
                "CSV desa/kelurahan (kode,nama,kode_kecamatan; boleh .gz), misalnya "
                "lapor/regions/data/desa.csv.gz; kecamatannya harus sudah dimuat"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kecamatan: Path | None = options.get("kecamatan")
        desa: Path | None = options.get("desa")
        for given in (kecamatan, desa):
            if given is not None and not given.is_file():
                raise CommandError(f"Berkas {given} tidak ditemukan.")
        try:
            summary = load_reference(kecamatan_file=kecamatan, desa_file=desa)
        except ImportRefused as exc:
            raise CommandError(str(exc)) from None
        for line in summary.lines:
            self.stdout.write(line)
        self.stdout.write(f"Selesai dalam {summary.seconds:.1f} s.")
