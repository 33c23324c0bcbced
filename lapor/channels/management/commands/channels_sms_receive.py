"""``lapor channels sms-receive``: an SMS from a modem on the premises.

gammu-smsd's ``RunOnReceive`` runs it for each received message with the message's inbox ID
as argument and the message in the environment (``SMS_1_NUMBER``, ``SMS_n_TEXT`` for each part,
``DECODED_n_TEXT`` for a decoded concatenated message); ``--number`` and ``--text`` give one
directly. The parts are joined; the message is kept under its inbox ID, so running the command
twice for the same message does nothing the second time."""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.channels import inbound, sms
from lapor.channels.models import Channel


def from_environment(env: dict[str, str]) -> tuple[str, str]:
    """The number and joined text gammu-smsd puts in the environment."""
    number = env.get("SMS_1_NUMBER", "")
    decoded = int(env.get("DECODED_PARTS", "0") or 0)
    if decoded:
        text = "".join(env.get(f"DECODED_{i}_TEXT", "") for i in range(1, decoded + 1))
    else:
        count = int(env.get("SMS_MESSAGES", "0") or 0)
        text = "".join(env.get(f"SMS_{i}_TEXT", "") for i in range(1, count + 1))
    return number, text


class Command(BaseCommand):
    help = "Receive an SMS from gammu-smsd (RunOnReceive) or from --number and --text."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("inbox_ids", nargs="*", help="gammu-smsd's inbox IDs")
        parser.add_argument("--number", default="")
        parser.add_argument("--text", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.LAPOR_CHANNEL_SMS:
            raise CommandError("the SMS channel is off: set CHANNEL_SMS=true")
        number, text = options["number"], options["text"]
        if not number:
            number, text = from_environment(dict(os.environ))
        if not number:
            raise CommandError("no SMS: give --number and --text, or run from gammu-smsd")
        ids = options["inbox_ids"]
        key = (
            "gammu:" + ",".join(ids)
            if ids
            else "sha256:" + hashlib.sha256(f"{number}\n{text}".encode()).hexdigest()
        )
        payload = json.dumps({"id": key, "number": number, "text": text}, ensure_ascii=False)
        received = inbound.receive(
            channel=Channel.SMS, provider=sms.GAMMU, message_id=key, payload=payload
        )
        state = "duplikat" if received.duplicate else received.message.status
        self.stdout.write(f"SMS {received.message.pk}: {state}")
