from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from lapor.channels.signatures import hmac_hex
from tests.factories import RegencyFactory

SMS_SECRET = "rahasia-gateway-sms-0123456789"


@pytest.fixture
def sms_on(settings: Any) -> None:
    settings.LAPOR_CHANNEL_SMS = True
    settings.LAPOR_CHANNEL_SMS_SECRET = SMS_SECRET
    settings.LAPOR_PUBLIC_URL = "https://lapor.example.id"


@pytest.fixture
def demak(db: None) -> Any:
    return RegencyFactory()


def post_sms(
    client: Client, payload: Any, *, provider: str = "generic", secret: str = SMS_SECRET
) -> Any:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return client.post(
        f"/kanal/sms/{provider}/",
        data=body,
        content_type="application/json",
        headers={"X-Lapor-Signature": "sha256=" + hmac_hex(secret, body)},
    )


def sms(
    text: str, *, sender: str = "081234567890", mid: str = "m1", **extra: Any
) -> dict[str, Any]:
    return {"id": mid, "from": sender, "text": text, **extra}
