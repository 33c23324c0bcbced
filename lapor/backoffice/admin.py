from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from lapor.agencies.admin_access import NationalAdminAccess
from lapor.backoffice.models import AnswerTemplate
from lapor.core.admin_labels import labelled


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


class ConfirmedFilter(admin.SimpleListFilter):
    title = _("dikonfirmasi")
    parameter_name = "confirmed"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("1", _("Ya")), ("0", _("Tidak"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() in ("0", "1"):
            return queryset.filter(confirmed=self.value() == "1")
        return queryset


# django-otp's fields have English names: shown under Indonesian ones (``core.admin_labels``).
DEVICE_LABELS = labelled(
    TOTPDevice,
    {
        "user": _("petugas"),
        "name": _("nama perangkat"),
        "confirmed": _("dikonfirmasi"),
        "created_at": _("didaftarkan"),
        "last_used_at": _("terakhir dipakai"),
        "throttling_failure_count": _("jumlah kegagalan"),
        "throttling_failure_timestamp": _("kegagalan terakhir"),
    },
)


@admin.register(TOTPDevice)
class OfficerDeviceAdmin(admin.ModelAdmin):
    locals().update(DEVICE_LABELS)
    list_display = [
        "user_label", "name_label", "confirmed_label", "created_at_label", "last_used_at_label",
    ]  # fmt: skip
    list_filter = [ConfirmedFilter]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
    # Everything but the key (and the drift, step and digits it is used with).
    fields = readonly_fields = tuple(DEVICE_LABELS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a device is enrolled in the back office, with a key no one chose

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # nothing to edit: view, or delete to revoke
