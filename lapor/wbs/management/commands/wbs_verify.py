"""``lapor wbs verify``: check the WBS audit trail — every case's chain and the platform-wide
chain linking all WBS events. Exit status 1 (and the cases named) when anything was changed or
removed; run it on a schedule beside ``lapor audit verify``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lapor.wbs import events
from lapor.wbs.models import Case


class Command(BaseCommand):
    help = "Verify the WBS event hash chains (each case's and the platform-wide one)."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = [c.public_id for c in Case.objects.order_by("pk") if not events.verify_chain(c)]
        whole = events.verify_all()
        if broken or not whole:
            names = ", ".join(broken) or "none"
            raise CommandError(
                f"WBS audit trail broken: cases {names}; platform-wide chain "
                f"{'intact' if whole else 'BROKEN'}"
            )
        self.stdout.write(f"WBS audit trail intact: {Case.objects.count()} cases\n")
