from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from lapor.agencies.admin_access import NationalAdminAccess
from lapor.backoffice.models import AnswerTemplate


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(NationalAdminAccess, admin.ModelAdmin):
    list_display = ["title", "agency", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["agency"]


# django-otp's own admin shows each device's secret key, its otpauth URL and QR code to anyone
# allowed to view devices, and lets an admin create a device with a key they chose for any
# officer. Here a device is only seen (whose, when used, how many failures) and can be deleted
# to revoke it; enrolment and reset, which show the secret once to the national admin doing
# them, stay in the back office (/kantor/petugas/).
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class OfficerDeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
    # Everything but the key (and the drift, step and digits it is used with).
    fields = readonly_fields = (
        "user",
        "name",
        "confirmed",
        "created_at",
        "last_used_at",
        "throttling_failure_count",
        "throttling_failure_timestamp",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a device is enrolled in the back office, with a key no one chose

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # nothing to edit: view, or delete to revoke
