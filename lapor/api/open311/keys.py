"""The partner behind an Open311 ``api_key`` (``<key_id>.<secret>``), checked the way the
partner API checks client credentials: only the SHA-256 of the secret is stored, compared in
constant time; a revoked key, an inactive partner or an inactive service account is refused."""

from __future__ import annotations

import hashlib
import hmac

from django.utils import timezone

from lapor.api.models import Partner, PartnerKey


def partner_for_key(api_key: str) -> Partner | None:
    key_id, dot, secret = api_key.strip().partition(".")
    if not (key_id and dot and secret):
        return None
    key = (
        PartnerKey.objects.select_related("partner__user")
        .filter(key_id=key_id, revoked_at__isnull=True)
        .first()
    )
    offered = hashlib.sha256(secret.encode()).hexdigest()
    stored = key.secret_hash if key is not None else "0" * 64
    if not hmac.compare_digest(offered, stored) or key is None:
        return None
    partner = key.partner
    if not (partner.is_active and partner.user.is_active):
        return None
    PartnerKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return partner
