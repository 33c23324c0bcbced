from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.routing.history import HistoryRefused, import_history


class Command(BaseCommand):
    help = (
        "Impor riwayat laporan beserta instansi yang menanganinya (CSV: text,label,...) dan "
        "cetak pemetaan label ke pohon instansi."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", default="", help="nama sumber (bawaan: nama berkas)")
        parser.add_argument(
            "--aliases",
            type=Path,
            default=None,
            help="berkas alias operator (CSV: label,agency_code) untuk label yang belum cocok",
        )
        parser.add_argument(
            "--province",
            default=None,
            help="kode provinsi label tanpa provinsi (bawaan: provinsi terbanyak di region_code)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        aliases: Path | None = options["aliases"]
        for given in filter(None, (path, aliases)):
            if not given.exists():
                raise CommandError(f"Berkas {given} tidak ditemukan.")
        try:
            result = import_history(
                path, source=options["source"], aliases=aliases, province=options["province"]
            )
        except HistoryRefused as exc:
            raise CommandError(str(exc)) from None
        total = sum(m.rows for m in result.mapping)
        for m in result.mapping:
            self.stdout.write(f"{m.label} → {m.agency} ({m.rows} baris, {m.how})")
        share = result.matched / total if total else 0.0
        if result.rows == 0:
            self.stdout.write(
                f"Berkas ini sudah pernah diimpor; tidak ada laporan yang ditambahkan. "
                f"{result.remapped} baris dipetakan ulang."
            )
        else:
            self.stdout.write(f"Diimpor {result.rows} laporan.")
        self.stdout.write(
            f"{result.matched} dari {total} baris ({share:.1%}) cocok dengan pohon instansi; "
            f"{result.imported_agencies} label tanpa padanan menjadi instansi impor "
            "(tambahkan lewat --aliases berkas.csv: label,agency_code)."
        )
