"""Exactly once when a provider's resend arrives while the first delivery is still being
processed (PostgreSQL: SQLite serialises writers, so it cannot show the race)."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from django.db import connection

from lapor.channels import inbound
from lapor.channels.models import InboundMessage
from lapor.reports.models import Report
from tests.factories import RegencyFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
STORY = "Jalan di Kab. Demak depan pasar berlubang besar sejak dua bulan, bahaya untuk motor."


def test_simultaneous_resends_make_one_report(settings: Any) -> None:
    settings.LAPOR_CHANNEL_SMS = True
    RegencyFactory()
    payload = json.dumps({"id": "same-1", "from": "081234567890", "text": STORY})
    start = threading.Barrier(4)
    results: list[bool] = []
    errors: list[BaseException] = []

    def deliver() -> None:
        try:
            start.wait()
            received = inbound.receive(
                channel="sms", provider="generic", message_id="same-1", payload=payload
            )
            results.append(received.duplicate)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert sorted(results) == [False, True, True, True]
    assert InboundMessage.objects.count() == 1
    assert Report.objects.count() == 1
