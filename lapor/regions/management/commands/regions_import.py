"""``lapor regions import FILE``: import kecamatan from an official Kemendagri CSV."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.regions.loader import ImportRefused, import_kecamatan


class Command(BaseCommand):
    help = (
        "Impor kecamatan dari CSV resmi Kemendagri (kolom kode,kode_nodot,nama,"
        "kode_kabupaten_kota,...). Aman dijalankan berulang. Kantor kecamatan dibuat oleh "
        "`lapor reference load`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="berkas CSV kecamatan")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        started = time.monotonic()
        try:
            result = import_kecamatan(path)
        except ImportRefused as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Kecamatan: {result.created} baru, {result.updated} diperbarui, "
            f"{result.unchanged} tetap ({result.total} baris, "
            f"{time.monotonic() - started:.1f} s)."
        )
        if result.created:
            self.stdout.write(
                "Jalankan `lapor reference load` untuk membuat kantor kecamatan di bawah "
                "pemerintah kabupaten/kota."
            )
