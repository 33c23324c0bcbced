"""``BearerTokenAuthentication``: ``Authorization: Bearer lpr_…`` → ``request.user`` (the token's
user; a partner's service account for a partner token) and ``request.auth`` (the ``ApiToken``).

Checked on every request, so taking something away takes effect at the next one: the token is
an access token, not expired, not revoked; the user is active; an officer token's user still
holds an active membership; a partner token's partner is still active. No header → anonymous
(the view's permission decides); a header that fails → 401 with ``WWW-Authenticate: Bearer``."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from lapor.agencies.models import Membership
from lapor.api.tokens import ApiToken, Audience, hash_token, touch


class BearerTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Header Authorization harus berbentuk: Bearer <token>.")
            )
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raw = ""
        token = (
            ApiToken.objects.select_related("user", "partner")
            .filter(token_hash=hash_token(raw), kind=ApiToken.Kind.ACCESS)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Token tidak dikenal. Masuk lagi."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(
                _("Token sudah dicabut. Masuk lagi."), code="token_revoked"
            )
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(
                _("Token sudah kedaluwarsa. Minta token baru dengan token penyegar."),
                code="token_expired",
            )
        if not token.user.is_active or not self._still_allowed(token):
            raise exceptions.AuthenticationFailed(
                _("Akun ini tidak lagi berhak memakai API. Hubungi admin instansi Anda."),
                code="token_revoked",
            )
        touch(token)
        return token.user, token

    def _still_allowed(self, token: ApiToken) -> bool:
        if token.audience == Audience.OFFICER:
            memberships = token.user.memberships.filter(is_active=True)
            return memberships.exclude(role=Membership.Role.PARTNER).exists()
        if token.audience == Audience.PARTNER:
            return token.partner is not None and token.partner.is_active
        return True

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class BearerScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI document names this authentication: ``bearerAuth``."""

    target_class = "lapor.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "bearerFormat": "lpr_…"}
