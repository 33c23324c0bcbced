"""``lapor wbs escrow-reseal CASE USERNAME``: give a case to an inspector with the escrow key,
when no recipient can open it any more (every recipient lost both passphrase and recovery key,
or left). The escrow private key is read from standard input, used in memory, never stored.

The new recipient must be an inspector of the level handling the case, with a WBS key, working
nowhere inside the accused agency (the same rule as sharing). The audit trail records an
``escrow_reseal`` event."""

from __future__ import annotations

import base64
import binascii
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from lapor.accounts.models import User
from lapor.wbs import crypto, events
from lapor.wbs.models import Case, CaseKey, PersonKey
from lapor.wbs.services import notify_recipients, share_candidates


class Command(BaseCommand):
    help = "Seal a WBS case to an inspector with the escrow private key (read from stdin)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("case", help="the case number shown to inspectors (e.g. 8E97C6BE1BB1)")
        parser.add_argument("username", help="the inspector who is to receive it")

    def handle(self, *args: Any, **options: Any) -> None:
        case = Case.objects.filter(public_id=options["case"].upper()).first()
        if case is None:
            raise CommandError(f"no WBS case {options['case']}")
        if not case.escrow_sealed:
            raise CommandError("this case was filed without escrow (WBS_ESCROW_PUBLIC_KEY unset)")
        to = User.objects.filter(username=options["username"]).first()
        if to is None or to not in share_candidates(case):
            raise CommandError(
                f"{options['username']} is not an inspector of {case.handled_by} with a WBS key "
                "outside the accused agency, or already holds the case"
            )
        try:
            escrow = base64.b64decode(sys.stdin.readline().strip(), validate=True)
            private = crypto.unseal(escrow, bytes(case.escrow_sealed))
        except (binascii.Error, ValueError, crypto.Tampered):
            raise CommandError("the escrow private key does not open this case") from None
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=case.pk)
            public = bytes(PersonKey.objects.get(user=to).public_key)
            CaseKey.objects.create(case=locked, user=to, sealed=crypto.seal(public, private))
            events.record(
                locked,
                "escrow_reseal",
                actor_id=None,
                role="escrow",
                at=timezone.now(),
                data={"to": to.pk},
            )
            locked.save(update_fields=["event_count", "last_event_hash"])
            notify_recipients([to])
        self.stdout.write(f"case {case.public_id} sealed to {to.username}\n")
