from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.routing.history import HistoryRefused, import_history


class Command(BaseCommand):
    help = "Impor riwayat laporan beserta instansi yang menanganinya (CSV: text,label,...)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", default="", help="nama sumber (bawaan: nama berkas)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        try:
            result = import_history(path, source=options["source"])
        except HistoryRefused as exc:
            raise CommandError(str(exc)) from None
        if result.rows == 0:
            self.stdout.write("Berkas ini sudah pernah diimpor; tidak ada yang ditambahkan.")
            return
        self.stdout.write(
            f"Diimpor {result.rows} laporan: {result.matched} cocok dengan pohon instansi, "
            f"{result.imported_agencies} label baru dibuat sebagai instansi impor."
        )
