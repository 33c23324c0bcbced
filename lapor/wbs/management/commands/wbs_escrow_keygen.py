"""``lapor wbs escrow-keygen``: a new national escrow key pair (docs/wbs.md, "Escrow").

Run it on an offline machine. The public key goes into ``WBS_ESCROW_PUBLIC_KEY``; the private key
is printed once and must be kept offline (split among several officers), never on the platform's
servers: whoever holds it can open every case filed while the escrow was on."""

from __future__ import annotations

import base64
from typing import Any

from django.core.management.base import BaseCommand
from nacl.public import PrivateKey


class Command(BaseCommand):
    help = "Print a new WBS escrow key pair (public for the setting, private to keep offline)."

    def handle(self, *args: Any, **options: Any) -> None:
        private = PrivateKey.generate()
        self.stdout.write(
            f"WBS_ESCROW_PUBLIC_KEY={base64.b64encode(bytes(private.public_key)).decode()}\n"
        )
        self.stdout.write(f"private (keep offline): {base64.b64encode(bytes(private)).decode()}\n")
