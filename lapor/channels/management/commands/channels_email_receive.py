"""``lapor channels email-receive < message.eml``: one e-mail from the mail server's pipe
(e.g. Postfix ``lapor: "|/srv/lapor/.venv/bin/lapor channels email-receive"``)."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lapor.channels import email, inbound
from lapor.channels.models import Channel


class Command(BaseCommand):
    help = "Receive one raw MIME e-mail on standard input."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.LAPOR_CHANNEL_EMAIL:
            raise CommandError("the e-mail channel is off: set CHANNEL_EMAIL=true")
        raw = sys.stdin.buffer.read()
        if not raw.strip():
            raise CommandError("no message on standard input")
        received = receive_raw(raw, provider=email.MIME)
        state = "duplikat" if received.duplicate else received.message.status
        self.stdout.write(f"surel {received.message.pk}: {state}")


def receive_raw(raw: bytes, *, provider: str) -> inbound.Received:
    mail = email.parse(raw)
    return inbound.receive(
        channel=Channel.EMAIL,
        provider=provider,
        message_id=email.message_id(mail, raw),
        raw=raw,
    )
