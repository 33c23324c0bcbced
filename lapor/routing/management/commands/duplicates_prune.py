from __future__ import annotations

import argparse
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lapor.routing.bands import BATCH, prune_bands, restore_missing_bands


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("harus bilangan bulat positif")
    return number


class Command(BaseCommand):
    help = (
        "Hapus baris kunci pita (band) duplikat milik laporan yang tidak lagi terbuka, per "
        "kelompok; pasang kembali pita laporan terbuka yang kehilangannya. Aman dijalankan ulang."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", type=positive, default=BATCH, help="laporan per perintah DELETE"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        removed = prune_bands(batch=options["batch"])
        restored = restore_missing_bands()
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Dihapus {removed} baris pita; {restored} laporan terbuka dipasang kembali "
            f"({seconds:.1f} s)."
        )
