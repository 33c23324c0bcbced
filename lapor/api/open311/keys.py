"""The partner behind an Open311 ``api_key`` (``<key_id>.<secret>``): the same check as the
partner API's client credentials (``api.partners.partner_authenticate``)."""

from __future__ import annotations

from lapor.api.models import Partner
from lapor.api.partners import partner_authenticate


def partner_for_key(api_key: str) -> Partner | None:
    key_id, dot, secret = api_key.strip().partition(".")
    if not (key_id and dot and secret):
        return None
    return partner_authenticate(key_id=key_id, secret=secret)
