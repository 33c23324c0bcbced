"""The background task rows in the admin (django-tasks-db's own admin, read-only), with
Indonesian labels: its fields have English names (``core.admin_labels``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from lapor.core.admin_labels import labelled

TASK_LABELS = labelled(
    DBTaskResult,
    {
        "id": _("ID"),
        "status": _("status"),
        "enqueued_at": _("masuk antrean"),
        "started_at": _("mulai"),
        "finished_at": _("selesai"),
        "args_kwargs": _("argumen"),
        "priority": _("prioritas"),
        "task_path": _("tugas"),
        "worker_ids": _("pekerja"),
        "queue_name": _("antrean"),
        "backend_name": _("backend"),
        "run_after": _("dijalankan setelah"),
        "return_value": _("hasil"),
        "exception_class_path": _("jenis galat"),
        "traceback": _("jejak galat"),
    },
)

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        field = DBTaskResult._meta.get_field("status")
        return [(str(value), label) for value, label in field.choices or []]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(DBTaskResult)
class TaskAdmin(DBTaskResultAdmin):
    locals().update(TASK_LABELS)
    list_display = (
        "id_label", "task_path_label", "status_label", "enqueued_at_label", "started_at_label",
        "finished_at_label", "priority_label", "queue_name_label",
    )  # fmt: skip
    list_filter = (StatusFilter,)  # type: ignore[assignment]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f"{f.name}_label" for f in DBTaskResult._meta.fields]
