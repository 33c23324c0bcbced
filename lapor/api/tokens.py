"""Bearer tokens of people and partners: the model and the services that issue, rotate and
revoke them.

A token is ``lpr_`` + 32 random bytes (base64url); only its SHA-256 is stored (a secret of that
entropy needs no slow hash), so a database leak gives no usable token. An access token lives
``ACCESS_TTL`` (15 minutes), a refresh token ``REFRESH_TTL`` (30 days) and is rotated on use:
``token_refresh`` revokes it and issues a new pair in the same ``family``. Presenting a refresh
token already rotated means it was copied: the whole family (every access and refresh token
descended from the same login) is revoked and the holder must log in again.

The login endpoints (citizen password/OTP, officer password + TOTP, partner client credentials)
call ``token_issue`` after checking the credentials; they are not here."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lapor.core.errors import LaporError

if TYPE_CHECKING:
    from lapor.accounts.models import User
    from lapor.api.models import Partner

PREFIX = "lpr_"
ACCESS_TTL = timedelta(minutes=15)
REFRESH_TTL = timedelta(days=30)
PARTNER_ACCESS_TTL = timedelta(hours=1)
LAST_USED_EVERY = timedelta(minutes=1)  # ``last_used_at`` is written at most this often


class Audience(models.TextChoices):
    CITIZEN = "citizen", gettext_lazy("warga")
    OFFICER = "officer", gettext_lazy("petugas")
    PARTNER = "partner", gettext_lazy("mitra")


class ApiToken(models.Model):
    class Kind(models.TextChoices):
        ACCESS = "access", gettext_lazy("akses")
        REFRESH = "refresh", gettext_lazy("penyegar")

    token_hash = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    audience = models.CharField(max_length=8, choices=Audience.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    partner = models.ForeignKey(
        "api.Partner", null=True, blank=True, on_delete=models.CASCADE, related_name="tokens"
    )
    family = models.UUIDField(default=uuid.uuid4, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    rotated_at = models.DateTimeField(null=True, blank=True)  # a refresh token already used
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("token API")
        verbose_name_plural = gettext_lazy("token API")

    def __str__(self) -> str:
        return f"{self.kind} {self.audience} #{self.pk}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class TokenInvalid(LaporError):
    code = "authentication_failed"
    status = 401


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _new(
    *,
    kind: str,
    user: User,
    audience: str,
    partner: Partner | None,
    family: uuid.UUID,
    ttl: timedelta,
) -> str:
    raw = PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        token_hash=hash_token(raw),
        kind=kind,
        audience=audience,
        user=user,
        partner=partner,
        family=family,
        expires_at=timezone.now() + ttl,
    )
    return raw


def token_issue(
    *, user: User, audience: str, partner: Partner | None = None
) -> tuple[str, str | None]:
    """A new login: an access token and a refresh token (none for a partner, which asks for a
    new access token with its client credentials), in a new family. Returns the raw tokens,
    shown once; only their hashes are kept."""
    family = uuid.uuid4()
    new = partial(_new, user=user, audience=audience, partner=partner, family=family)
    with transaction.atomic():
        if audience == Audience.PARTNER:
            return new(kind=ApiToken.Kind.ACCESS, ttl=PARTNER_ACCESS_TTL), None
        access = new(kind=ApiToken.Kind.ACCESS, ttl=ACCESS_TTL)
        refresh = new(kind=ApiToken.Kind.REFRESH, ttl=REFRESH_TTL)
    return access, refresh


def _revoke_family(family: uuid.UUID) -> None:
    ApiToken.objects.filter(family=family, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def token_refresh(
    *,
    refresh: str,
    audience: str | None = None,
    allowed: Callable[[User], bool] | None = None,
) -> tuple[str, str | None]:
    """Rotate: the refresh token is spent and a new pair issued in its family. A spent refresh
    token presented again revokes the family (``TokenInvalid`` either way). A token of another
    ``audience``, or whose user ``allowed`` refuses (an officer without a membership), is
    refused as unknown, before anything is touched."""
    invalid = TokenInvalid(
        _("Token penyegar tidak berlaku. Masuk lagi untuk mendapatkan token baru."),
        field="refresh",
    )
    with transaction.atomic():
        token = (
            ApiToken.objects.select_for_update()
            .select_related("user")
            .filter(token_hash=hash_token(refresh), kind=ApiToken.Kind.REFRESH)
            .first()
        )
        if (
            token is None
            or (audience is not None and token.audience != audience)
            or (allowed is not None and not allowed(token.user))
        ):
            raise invalid
        if token.rotated_at is not None:  # reuse of a spent token: somebody copied it
            _revoke_family(token.family)
        if not token.is_live or token.rotated_at is not None or not token.user.is_active:
            invalid_now: TokenInvalid | None = invalid
        else:
            invalid_now = None
            now = timezone.now()
            ApiToken.objects.filter(pk=token.pk).update(rotated_at=now, revoked_at=now)
            ApiToken.objects.filter(
                family=token.family, kind=ApiToken.Kind.ACCESS, revoked_at__isnull=True
            ).update(revoked_at=now)
            access = _new(
                kind=ApiToken.Kind.ACCESS,
                user=token.user,
                audience=token.audience,
                partner=token.partner,
                family=token.family,
                ttl=ACCESS_TTL,
            )
            new_refresh = _new(
                kind=ApiToken.Kind.REFRESH,
                user=token.user,
                audience=token.audience,
                partner=token.partner,
                family=token.family,
                ttl=REFRESH_TTL,
            )
    if invalid_now is not None:  # raised after the commit: the family's revocation stays
        raise invalid_now
    return access, new_refresh


def token_revoke(*, token: str) -> None:
    """Log out: the token's whole family (access and refresh) stops working. An unknown token is
    ignored (logging out twice is not an error)."""
    row = ApiToken.objects.filter(token_hash=hash_token(token)).first()
    if row is not None:
        _revoke_family(row.family)


def touch(token: ApiToken) -> None:
    """Record use, at most once per ``LAST_USED_EVERY`` (one write a minute, not per request)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
