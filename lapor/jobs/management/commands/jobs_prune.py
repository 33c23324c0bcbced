"""``lapor jobs prune``: delete finished job rows past their keep time (what the daily
periodic job does)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lapor.jobs.retention import KEEP_FAILED, KEEP_SUCCESSFUL, prune_results


class Command(BaseCommand):
    help = "Hapus baris pekerjaan yang sudah selesai dan melewati masa simpannya."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=5000)

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = prune_results(batch=options["batch"])
        self.stdout.write(
            f"Dihapus {deleted} baris pekerjaan (berhasil > {KEEP_SUCCESSFUL.days} hari, "
            f"gagal > {KEEP_FAILED.days} hari)."
        )
