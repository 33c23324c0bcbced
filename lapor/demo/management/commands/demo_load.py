"""``lapor demo load [--count N] [--seed S] [--force | --rest]``: realistic demo reports.

``--rest`` tops the demo up to ``--count`` in small batches (what ``lapor demo`` runs in the
background after its first batch).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lapor.demo.accounts import DEMO_PASSWORD, NATIONAL_ADMIN
from lapor.demo.loader import load_demo, load_demo_rest


class Command(BaseCommand):
    help = "Muat data demo: laporan realistis di setiap status / Load realistic demo reports."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=3000, help="jumlah laporan (3000)")
        parser.add_argument("--seed", type=int, default=2024, help="benih acak (2024)")
        parser.add_argument(
            "--force", action="store_true", help="muat lagi walau data demo sudah ada / load again"
        )
        parser.add_argument(
            "--rest",
            action="store_true",
            help="lengkapi sampai --count per kelompok kecil / top up to --count in batches",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rest"]:
            load_demo_rest(
                count=options["count"],
                seed=options["seed"],
                say=lambda line: self.stdout.write(f"lapor demo: laporan demo / reports {line}"),
            )
            return
        result = load_demo(count=options["count"], seed=options["seed"], force=options["force"])
        if result.skipped:
            self.stdout.write(
                "Data demo sudah ada; tidak ada yang dimuat (pakai --force untuk "
                "memuat lagi). / Demo data exists; nothing loaded."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Data demo dimuat / demo data loaded: {result.reports} laporan, "
                f"{result.events} peristiwa, {result.sweeps} sapuan SLA, "
                f"{result.seconds:.1f} detik."
            )
        )
        for status, n in sorted(result.statuses.items()):
            self.stdout.write(f"  {status:<18} {n:>6}")
        if result.failures:
            self.stdout.write(self.style.WARNING("Langkah yang dilewati / skipped steps:"))
            for what, n in result.failures.most_common(15):
                self.stdout.write(f"  {n:>5} x {what}")
        self.stdout.write(
            f"Masuk sebagai / log in as {NATIONAL_ADMIN}, admin.<kode-instansi>, "
            f"pic.<kode-unit>, warga.budi; kata sandi / password: {DEMO_PASSWORD}"
        )
