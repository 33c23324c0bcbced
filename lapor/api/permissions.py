"""Who may call a view. Deny by default (``DenyAll`` is ``DEFAULT_PERMISSION_CLASSES``): every
view names its permission, ``AllowAny`` for the public API, one of the audience classes for the
others. ``request.auth`` is the ``ApiToken`` (``authentication.BearerTokenAuthentication``)."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request

from lapor.api.tokens import ApiToken, Audience

__all__ = ["AllowAny", "DenyAll", "IsCitizen", "IsOfficer", "IsPartner"]


class DenyAll(BasePermission):
    """The default: a view that forgot to name its permission answers 403 to everyone."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return False


class _HasAudience(BasePermission):
    audience: Audience

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        return isinstance(token, ApiToken) and token.audience == self.audience


class IsCitizen(_HasAudience):
    audience = Audience.CITIZEN


class IsOfficer(_HasAudience):
    audience = Audience.OFFICER


class IsPartner(_HasAudience):
    audience = Audience.PARTNER
