from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lapor.reports.lifecycle import OPEN
from lapor.reports.models import Report
from lapor.routing.duplicates import index_reports


class Command(BaseCommand):
    help = (
        "Indeks MinHash laporan yang belum terindeks (untuk deteksi duplikat), per kelompok; "
        "aman dijalankan ulang."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=2000, help="laporan per transaksi")
        parser.add_argument(
            "--again", action="store_true", help="hitung ulang juga laporan yang sudah terindeks"
        )
        parser.add_argument(
            "--open-only", action="store_true", help="hanya laporan yang masih diproses"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        reports = Report.objects.all()
        if options["open_only"]:
            reports = reports.filter(status__in=sorted(OPEN))
        started = time.perf_counter()
        indexed, skipped = index_reports(reports, batch=options["batch"], again=options["again"])
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Terindeks {indexed} laporan, {skipped} sudah terindeks sebelumnya ({seconds:.1f} s)."
        )
