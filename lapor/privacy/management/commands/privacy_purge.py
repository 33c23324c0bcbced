"""``lapor privacy purge``: erase the contact details of reports finished longer ago than
``CONTACT_RETENTION_DAYS`` (what the worker's daily periodic job does)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lapor.privacy.retention import purge, retention_days
from lapor.reports.services.personal_data import purge_due


class Command(BaseCommand):
    help = (
        "Hapus data kontak pelapor (nama, surel, telepon) dari laporan yang sudah selesai "
        "lebih lama dari CONTACT_RETENTION_DAYS hari; isi laporan dan riwayatnya tetap."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", type=int, default=None, help="override CONTACT_RETENTION_DAYS for this run"
        )
        parser.add_argument("--chunk-size", type=int, default=200, help="reports per transaction")
        parser.add_argument(
            "--dry-run", action="store_true", help="count the reports due, erase nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = retention_days() if options["days"] is None else options["days"]
        if days < 1 or options["chunk_size"] < 1:
            raise CommandError("--days and --chunk-size must be 1 or more", returncode=2)
        if options["dry_run"]:
            due = purge_due(now=timezone.now(), retention_days=days).count()
            self.stdout.write(f"{due} laporan menunggu penghapusan data kontak (> {days} hari).")
            return
        purged = purge(days=days, chunk=options["chunk_size"])
        self.stdout.write(
            f"Data kontak dihapus dari {purged} laporan yang selesai lebih dari {days} hari lalu."
        )
