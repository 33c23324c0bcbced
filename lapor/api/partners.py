"""Registering partner systems and their credentials (national admins, from the shell or an
admin screen): each change is one atomic function, as every report change is.

A partner is a system, not a person: its service account ``mitra-<code>`` has an unusable
password and holds only ``partner`` memberships, so it never signs in to the back office, is
never listed or messaged as staff, and acts on reports only through the API, under
``reports.permissions`` like any officer (its events record the account and the role "mitra").

Keys rotate without downtime: at most ``MAX_ACTIVE_KEYS`` work at once, and issuing one more
revokes the oldest, so a partner rotates by asking for a new key, switching to it, and the key
before it stops at the next rotation (or at once with ``partner_revoke_key``).

No configuration audit trail exists in the project (staff roles in ``agencies.staff`` keep none
either); what remains of these changes is in the rows themselves: the memberships and keys are
never deleted, only deactivated (``is_active``) or revoked (``revoked_at``)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.agencies.models import Agency, Membership
from lapor.agencies.staff import grant_membership, revoke_membership
from lapor.api.models import MAX_ACTIVE_KEYS, Partner, PartnerKey
from lapor.core.error_codes import CoreErrorCode
from lapor.core.errors import NotAllowed, ValidationFailed

if TYPE_CHECKING:
    from lapor.accounts.models import User

ROLE = Membership.Role.PARTNER
KEY_PREFIX = "mk_"
PARTNER_STOPPED = "sistem mitra dinonaktifkan oleh admin nasional"  # an endpoint's stored reason


def _national_admin(actor: User | None) -> None:
    if actor is None or not (
        actor.is_superuser
        or actor.memberships.filter(role=Membership.Role.NATIONAL_ADMIN, is_active=True).exists()
    ):
        raise NotAllowed(
            _("Hanya admin nasional yang dapat mengatur sistem mitra."),
            code=CoreErrorCode.FORBIDDEN,
        )


def _agencies(agencies: Iterable[Agency]) -> list[Agency]:
    chosen = list(dict.fromkeys(agencies))
    if not chosen or any(not a.is_active for a in chosen):
        raise ValidationFailed(
            _("Pilih paling sedikit satu instansi aktif yang diwakili sistem mitra ini."),
            code=CoreErrorCode.INVALID,
            field="agencies",
        )
    return chosen


def partner_create(*, code: str, name: str, agencies: Iterable[Agency], actor: User) -> Partner:
    """Register a partner system speaking for ``agencies`` (and their subtrees)."""
    _national_admin(actor)
    chosen = _agencies(agencies)
    code = code.strip().lower()
    username = f"mitra-{code}"
    if not code or Partner.objects.filter(code=code).exists():
        raise ValidationFailed(
            _("Kode sistem mitra kosong atau sudah dipakai. Pilih kode lain."),
            code=CoreErrorCode.INVALID,
            field="code",
        )
    users = get_user_model().objects
    with transaction.atomic():
        if users.filter(username__iexact=username).exists():
            raise ValidationFailed(
                _("Kode sistem mitra kosong atau sudah dipakai. Pilih kode lain."),
                code=CoreErrorCode.INVALID,
                field="code",
            )
        user = users.create_user(username=username, first_name=name.strip()[:150])
        user.set_unusable_password()
        user.save(update_fields=["password"])
        partner = Partner.objects.create(code=code, name=name.strip(), user=user)
        for agency in chosen:
            grant_membership(user=user, agency=agency, role=ROLE)
    return partner


def partner_set_agencies(*, partner: Partner, agencies: Iterable[Agency], actor: User) -> None:
    """The partner now speaks for exactly ``agencies``: new ones granted, others revoked."""
    _national_admin(actor)
    chosen = _agencies(agencies)
    with transaction.atomic():
        held = Membership.objects.select_for_update().filter(
            user=partner.user, role=ROLE, is_active=True
        )
        for membership in held:
            if membership.agency not in chosen:
                revoke_membership(membership=membership)
        for agency in chosen:
            grant_membership(user=partner.user, agency=agency, role=ROLE)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def partner_issue_key(*, partner: Partner, actor: User) -> tuple[str, str]:
    """A new client credential: ``(key_id, secret)``. The secret is shown this once; only its
    SHA-256 is kept. With ``MAX_ACTIVE_KEYS`` already active, the oldest is revoked."""
    _national_admin(actor)
    key_id = KEY_PREFIX + secrets.token_hex(12)
    secret = secrets.token_urlsafe(32)  # 256 random bits: no slow hash needed
    with transaction.atomic():
        Partner.objects.select_for_update().get(pk=partner.pk)  # one rotation at a time
        active = list(
            PartnerKey.objects.filter(partner=partner, revoked_at__isnull=True).order_by(
                "created_at", "pk"
            )
        )
        surplus = len(active) - (MAX_ACTIVE_KEYS - 1)
        if surplus > 0:
            PartnerKey.objects.filter(pk__in=[k.pk for k in active[:surplus]]).update(
                revoked_at=timezone.now()
            )
        PartnerKey.objects.create(partner=partner, key_id=key_id, secret_hash=_hash(secret))
    return key_id, secret


def partner_revoke_key(*, partner: Partner, key_id: str, actor: User) -> bool:
    """Stop a key at once (a leaked secret). False if it was not an active key of ``partner``."""
    _national_admin(actor)
    with transaction.atomic():
        revoked = PartnerKey.objects.filter(
            partner=partner, key_id=key_id, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
    return bool(revoked)


def partner_authenticate(*, key_id: str, secret: str) -> Partner | None:
    """The active partner whose active key is ``key_id`` with ``secret``, or None (unknown or
    revoked key, wrong secret, inactive partner or service account). The secret's SHA-256 is
    compared in constant time, and an unknown key costs the same comparison."""
    key = (
        PartnerKey.objects.select_related("partner__user")
        .filter(key_id=key_id, revoked_at__isnull=True)
        .first()
        if key_id
        else None
    )
    stored = key.secret_hash if key is not None else "0" * 64
    if not hmac.compare_digest(_hash(secret), stored) or key is None:
        return None
    partner = key.partner
    if not (partner.is_active and partner.user.is_active):
        return None
    PartnerKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return partner


def partner_deactivate(*, partner: Partner, actor: User) -> None:
    """Stop a partner at once: its keys are revoked and its tokens stop working (the bearer
    authentication checks ``is_active`` on every request), and its webhook endpoints are
    switched off with their waiting messages parked, so nothing more is sent to it, not even
    what was queued before; its reports and events stay."""
    _national_admin(actor)
    now = timezone.now()
    with transaction.atomic():
        Partner.objects.filter(pk=partner.pk).update(is_active=False)
        PartnerKey.objects.filter(partner=partner, revoked_at__isnull=True).update(revoked_at=now)
        from lapor.api.tokens import ApiToken
        from lapor.api.webhooks.delivery import park
        from lapor.api.webhooks.models import WebhookEndpoint

        ApiToken.objects.filter(partner=partner, revoked_at__isnull=True).update(revoked_at=now)
        endpoints = WebhookEndpoint.objects.filter(partner=partner, is_active=True)
        ids = list(endpoints.values_list("pk", flat=True))
        endpoints.update(is_active=False, disabled_at=now, disabled_reason=PARTNER_STOPPED)
        park(ids)
    partner.is_active = False
