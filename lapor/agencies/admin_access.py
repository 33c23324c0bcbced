"""Who may configure reference data in the Django admin: superusers, staff with Django's model
permissions, and staff holding an active national-admin membership (admin nasional).

And what a delete page may list: no report, event or notification by name, since their names
carry a title, a recipient or the link between an account and an anonim report."""

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


# Rows of a report: their names (``str``) carry its title, an attachment's file name, a
# notification's recipient, or the report's key (which ties an account to an anonim report).
REPORT_ROWS = (
    ("reports", "report"), ("reports", "reportevent"), ("reports", "attachment"),
    ("reports", "supporter"), ("reports", "accessrecord"), ("notifications", "notification"),
)  # fmt: skip


def without_report_rows(items: Any) -> Any:
    """The nested list of a delete page (``get_deleted_objects``) with every row of a report
    reduced to its kind ("Laporan"), named by nothing."""
    from django.apps import apps
    from django.utils.text import capfirst

    kinds = []
    for app_label, model_name in REPORT_ROWS:
        try:
            kinds.append(capfirst(str(apps.get_model(app_label, model_name)._meta.verbose_name)))
        except LookupError:
            continue
    return _cut(items, kinds)


def _cut(items: Any, kinds: list[str]) -> Any:
    if isinstance(items, list):
        return [_cut(item, kinds) for item in items]
    if isinstance(items, str):
        return next((kind for kind in kinds if items.startswith(f"{kind}: ")), items)
    return items


class HidesReportTitles:
    """Mixin for a ModelAdmin whose rows reports point at (agency, region, category, account):
    its delete page names no report, event or notification in the way, only their kind."""

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)  # type: ignore[misc]
        return (
            without_report_rows(deleted),
            counts,
            perms_needed,
            without_report_rows(protected),
        )


class NationalAdminAccess(HidesReportTitles):
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
