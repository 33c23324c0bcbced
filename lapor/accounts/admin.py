"""Accounts in the admin: Django's user admin with the phone number and staff roles.

Changing accounts stays with Django's own permissions (a superuser, or staff given the user
permissions): an account admin can make superusers, so it is not opened to every national
admin the way reference data is. An account's page shows no report of it: an anonim
report's reporter is not the admin's to know (the delete page names none either).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lapor.accounts.models import User
from lapor.agencies.admin_access import HidesReportTitles
from lapor.agencies.models import Membership
from lapor.agencies.staff import staff_flag_follows


class UserMembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ("agency", "role", "is_active", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("agency",)
    verbose_name = _("peran staf")
    verbose_name_plural = _("peran staf")


@admin.register(User)
class LaporUserAdmin(HidesReportTitles, UserAdmin):
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("Kontak"), {"fields": ("phone",)}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("Kontak"), {"classes": ("wide",), "fields": ("email", "phone")}),
    )
    list_display = ("username", "email", "phone", "first_name", "last_name", "is_staff")
    search_fields = ("username", "first_name", "last_name", "email", "phone")
    inlines = (UserMembershipInline,)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """A national-admin role given or taken in the inline sets or clears is_staff (after
        the form's own is_staff box: admin nasional implies staff)."""
        with staff_flag_follows([form.instance.pk]):
            super().save_related(request, form, formsets, change)
