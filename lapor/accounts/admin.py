"""Accounts in the admin: Django's user admin with the phone number and staff roles.

Changing accounts stays with Django's own permissions (a superuser, or staff given the user
permissions): an account admin can make superusers, so it is not opened to every national
admin the way reference data is.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from lapor.accounts.models import User
from lapor.agencies.models import Membership


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
class LaporUserAdmin(UserAdmin):
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
