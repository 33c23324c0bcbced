"""The read-only report admin for national admins.

Nothing here changes a report: every change goes through ``reports.services``, which checks the
transition, writes the audit event and tells the reporter. The admin only shows what is there.
Opening a rahasia (confidential) report is recorded in its history, as everywhere else.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from lapor.agencies.admin_access import is_national_admin
from lapor.core import ids
from lapor.core.errors import NotAllowed
from lapor.reports import services
from lapor.reports.models import Attachment, Report, ReportEvent


class CappedPaginator(Paginator):
    """Counts at most ``CAP`` rows: an exact COUNT(*) over a hundred million reports on every
    list page would scan the table."""

    CAP = 10_000

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.CAP].count()  # type: ignore[attr-defined]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable by superusers, by national admins and by staff given the view permission;
    never added, changed or deleted here."""

    paginator = CappedPaginator

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) or is_national_admin(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) or is_national_admin(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) or is_national_admin(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _short(value: str) -> str:
    return f"{value[:12]}…" if value else ""


class EventInline(ReadOnlyInline):
    model = ReportEvent
    verbose_name_plural = _("riwayat (tidak dapat diubah)")
    fields = (
        "seq", "created_at", "action", "from_status", "to_status", "actor", "actor_role",
        "agency", "message", "is_internal", "short_hash",
    )  # fmt: skip
    readonly_fields = fields
    ordering = ("seq",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReportEvent]:
        return super().get_queryset(request).select_related("actor", "agency")

    @admin.display(description=_("hash"))
    def short_hash(self, event: ReportEvent) -> str:
        return _short(event.hash)


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ("original_name", "content_type", "size", "sha256", "is_public", "created_at")
    readonly_fields = fields


class TrackingIdSearch:
    """Search accepts a tracking ID as shown to citizens (``7KQM-3XPA-R9TC``, any case)."""

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        if ids.is_valid(search_term):
            search_term = ids.normalize(search_term)
        return super().get_search_results(request, queryset, search_term)  # type: ignore[misc]


@admin.register(Report)
class ReportAdmin(TrackingIdSearch, ReadOnlyAdmin):
    list_display = (
        "tracking_id", "title", "status", "agency", "region", "category", "submitted_at",
        "due_at",
    )  # fmt: skip
    list_filter = (
        "status", "type", "channel", "is_confidential", "is_anonymous",
        "agency", "category", "submitted_at",
    )  # fmt: skip
    list_select_related = ("agency", "region", "category")
    # Only exact tracking IDs and title words: "title" is a LIKE scan, fine for the national
    # queue's filtered lists, slow on the whole table (full-text search is the scale path).
    search_fields = ("=tracking_id", "title")
    ordering = ("-pk",)  # submission order, by the primary key index
    show_full_result_count = False
    inlines = (EventInline, AttachmentInline)
    fieldsets = (
        (None, {"fields": ("tracking_id", "type", "status", "title", "body", "category")}),
        (_("Tempat"), {"fields": ("region", "latitude", "longitude", "incident_date")}),
        (
            _("Pelapor"),
            {
                "fields": (
                    "is_anonymous",
                    "is_confidential",
                    "reporter",
                    "contact_name",
                    "contact_email",
                    "contact_phone",
                    "channel",
                )
            },
        ),
        (_("Penanganan"), {"fields": ("agency", "unit", "merged_into", "archive_reason")}),
        (
            _("Waktu"),
            {
                "fields": (
                    "submitted_at",
                    "disposed_at",
                    "answered_at",
                    "closed_at",
                    "due_at",
                    "overdue_since",
                    "escalation_level",
                    "sla_policy",
                )
            },
        ),
        (_("Rantai audit"), {"fields": ("event_count", "last_event_hash")}),
    )

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        refused = _confidential_gate(request, self.get_object(request, object_id))
        return refused or super().change_view(request, object_id, form_url, extra_context)


def _confidential_gate(request: HttpRequest, report: Report | None) -> HttpResponse | None:
    """Record the opening of a rahasia report in its history, or refuse (to the report list)
    a viewer whose role may not open it."""
    if report is None or not report.is_confidential or request.method != "GET":
        return None
    try:
        services.report_record_confidential_view(report=report, actor=request.user)  # type: ignore[arg-type]
    except NotAllowed:
        messages.error(
            request,
            _(
                "Laporan rahasia hanya dapat dibuka oleh admin nasional, dan setiap pembukaan "
                "dicatat dalam riwayat laporan. Minta admin nasional menambahkan peran "
                "tersebut ke akun Anda."
            ),
        )
        return HttpResponseRedirect(reverse("admin:reports_report_changelist"))
    return None


@admin.register(ReportEvent)
class ReportEventAdmin(TrackingIdSearch, ReadOnlyAdmin):
    list_display = (
        "report", "seq", "created_at", "action", "to_status", "actor_role", "agency", "day",
        "day_seq",
    )  # fmt: skip
    list_filter = ("action", "is_internal", "actor_role")
    list_select_related = ("report", "agency")
    search_fields = ("=report__tracking_id",)
    ordering = ("-pk",)
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReportEvent]:
        return super().get_queryset(request).select_related("report", "actor", "agency")

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        event = self.get_object(request, object_id)
        refused = _confidential_gate(request, event.report if event is not None else None)
        return refused or super().change_view(request, object_id, form_url, extra_context)
