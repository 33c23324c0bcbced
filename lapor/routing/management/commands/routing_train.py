from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.routing.training import train


class Command(BaseCommand):
    help = "Latih model perutean dari riwayat dan koreksi petugas; ganti hanya jika lebih baik."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--holdout", type=float, default=0.25, help="porsi data terbaru")
        parser.add_argument(
            "--without-region", action="store_true", help="nilai tanpa wilayah yang dipilih"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = train(
                holdout=options["holdout"],
                use_region=not options["without_region"],
                progress=self._progress,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        old = result.old.line() if result.old else "-"
        self.stdout.write(
            f"Contoh: {result.examples}. Model baru: {result.new.line()} "
            f"(bobot aturan {result.rule_weight:g})"
        )
        self.stdout.write(f"Model sekarang pada data uji yang sama: {old}")
        if result.replaced:
            self.stdout.write(f"Model baru dipakai: versi {result.version}.")
        else:
            self.stdout.write("Model baru tidak lebih baik; model sekarang tetap dipakai.")

    def _progress(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
