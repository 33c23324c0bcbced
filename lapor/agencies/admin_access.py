"""Who may configure reference data in the Django admin: superusers, staff with Django's model
permissions, and staff holding an active national-admin membership (admin nasional)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from lapor.agencies.models import Membership


def is_national_admin(user: Any) -> bool:
    """An active staff account holding an active national-admin membership."""
    if not (user.is_active and user.is_staff):
        return False
    cached = getattr(user, "_lapor_national_admin", None)
    if cached is None:
        cached = Membership.objects.filter(
            user=user, role=Membership.Role.NATIONAL_ADMIN, is_active=True
        ).exists()
        user._lapor_national_admin = cached  # asked several times per admin page
    return bool(cached)


class NationalAdminAccess:
    """Mixin for ModelAdmin and inlines: national admins view, add and change; deleting
    stays with Django's own permissions (reference rows are protected by foreign keys)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) or is_national_admin(request.user)  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) or is_national_admin(request.user)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return super().has_add_permission(request, *args) or is_national_admin(request.user)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) or is_national_admin(request.user)  # type: ignore[misc]
