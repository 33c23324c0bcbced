"""``lapor channels replay ID`` / ``--failed``: process stored inbound messages again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.channels.inbound import replay
from lapor.channels.models import InboundMessage


class Command(BaseCommand):
    help = "Process again an inbound message stored as failed (by ID, or every failed one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ids", nargs="*", type=int, help="inbound message IDs")
        parser.add_argument("--failed", action="store_true", help="every failed message")

    def handle(self, *args: Any, **options: Any) -> None:
        ids: list[int] = options["ids"]
        if options["failed"]:
            ids = list(
                InboundMessage.objects.filter(status=InboundMessage.Status.FAILED)
                .order_by("received_at", "pk")
                .values_list("pk", flat=True)
            )
        elif not ids:
            raise CommandError("give message IDs or --failed")
        counts: dict[str, int] = {}
        for pk in ids:
            message = InboundMessage.objects.filter(pk=pk).first()
            if message is None:
                raise CommandError(f"no inbound message {pk}")
            done = replay(message)
            counts[done.status] = counts.get(done.status, 0) + 1
            if done.status == InboundMessage.Status.FAILED:
                self.stderr.write(f"{pk}: {done.error.strip()}")
        summary = ", ".join(f"{status}: {n}" for status, n in sorted(counts.items()))
        self.stdout.write(f"{len(ids)} pesan diproses ulang ({summary or 'tidak ada'})")
