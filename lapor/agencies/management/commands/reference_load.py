"""``lapor reference load [--kecamatan FILE]``: install the reference data (idempotent)."""

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

    def handle(self, *args: Any, **options: Any) -> None:
        kecamatan: Path | None = options.get("kecamatan")
        if kecamatan is not None and not kecamatan.is_file():
            raise CommandError(f"Berkas {kecamatan} tidak ditemukan.")
        try:
            summary = load_reference(kecamatan_file=kecamatan)
        except ImportRefused as exc:
            raise CommandError(str(exc)) from None
        for line in summary.lines:
            self.stdout.write(line)
        self.stdout.write(f"Selesai dalam {summary.seconds:.1f} s.")
