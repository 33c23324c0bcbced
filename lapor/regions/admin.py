"""Regions in the admin: read-mostly (codes and levels come from Kemendagri; a name or a time
zone may be corrected), searchable for the agency form's autocomplete."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lapor.agencies.admin_access import NationalAdminAccess
from lapor.regions.models import Region


@admin.register(Region)
class RegionAdmin(NationalAdminAccess, admin.ModelAdmin):
    list_display = ("code", "name", "level", "kind", "parent", "zone")
    list_filter = ("level", "kind", "timezone")
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    raw_id_fields = ("parent",)
    list_per_page = 100
    show_full_result_count = False

    @admin.display(description=_("zona"), ordering="timezone")
    def zone(self, obj: Region) -> str:
        return obj.zone_label

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("code", "level", "kind", "parent") if obj else ()

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        # New regions arrive through `lapor reference load` / `lapor regions import`.
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
