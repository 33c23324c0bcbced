"""The read-only report admin for national admins: configuration and delivery, not casework.

Nothing here changes a report: every change goes through ``reports.services``, which checks the
transition, writes the audit event and tells the reporter. Nor does the admin show what only
the back office may show, where every opening of a rahasia report is recorded: no reporter's
identity (name, contact, account), no title, body, message or attachment of any report. A
report is known here by its tracking ID, its status, its routing and its times; search is by
tracking ID only, so it cannot tell whether a given e-mail or phrase is in some report.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lapor.agencies.admin_access import is_national_admin
from lapor.core import ids
from lapor.reports.models import Attachment, Report, ReportEvent
from lapor.reports.services._base import REPORTER


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


class EventFields:
    """What the admin shows of an event: never its message, and the actor only when staff or
    the system acted (a reporter's own events would name the reporter of an anonim report)."""

    @admin.display(description=_("pelaku"))
    def staff_actor(self, event: ReportEvent) -> str:
        if event.actor_id is None or event.actor_role == REPORTER:
            return "—"
        return event.actor.get_username() if event.actor else "—"

    @admin.display(description=_("hash"))
    def short_hash(self, event: ReportEvent) -> str:
        return _short(event.hash)


class EventInline(EventFields, ReadOnlyInline):
    model = ReportEvent
    verbose_name_plural = _("riwayat (tidak dapat diubah)")
    fields = (
        "seq", "created_at", "action", "from_status", "to_status", "staff_actor", "actor_role",
        "agency", "is_internal", "short_hash",
    )  # fmt: skip
    readonly_fields = fields
    ordering = ("seq",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReportEvent]:
        return super().get_queryset(request).select_related("actor", "agency")


class TrackingIdSearch:
    """Search accepts a tracking ID as shown to citizens (``7KQM-3XPA-R9TC``, any case)."""

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        if ids.is_valid(search_term):
            search_term = ids.normalize(search_term)
        return super().get_search_results(request, queryset, search_term)  # type: ignore[misc]


class NoObjectTitle:
    """Change pages and list checkboxes labelled by ``label`` (the tracking ID), never by
    ``str(obj)``: a report's includes its title, a notification's its recipient."""

    def label(self, obj: Any) -> str:
        raise NotImplementedError

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        if obj is not None:
            context["subtitle"] = context["original"] = _Labelled(obj.pk, self.label(obj))
        return super().render_change_form(  # type: ignore[misc]
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> Any:
        raise Http404  # nothing is changed here, and the page would title the object

    def action_checkbox(self, obj: Any) -> SafeString:
        attrs = {
            "class": "action-select",
            "aria-label": format_html(gettext("Pilih untuk tindakan: {}"), self.label(obj)),
        }
        checkbox = forms.CheckboxInput(attrs, lambda value: False)
        return checkbox.render(helpers.ACTION_CHECKBOX_NAME, str(obj.pk))


class _Labelled:
    def __init__(self, pk: Any, label: str) -> None:
        self.pk, self.label = pk, label

    def __str__(self) -> str:
        return self.label


@admin.register(Report)
class ReportAdmin(NoObjectTitle, TrackingIdSearch, ReadOnlyAdmin):
    list_display = (
        "tracking_id", "status", "type", "is_confidential", "is_anonymous", "agency", "region",
        "category", "submitted_at", "due_at",
    )  # fmt: skip
    list_filter = (
        "status", "type", "channel", "is_confidential", "is_anonymous",
        "agency", "category", "submitted_at",
    )  # fmt: skip
    list_select_related = ("agency", "region", "category")
    # Exact tracking IDs only: searching titles, bodies or contacts would tell whether a phrase
    # or an address is in some (rahasia) report.
    search_fields = ("=tracking_id",)
    ordering = ("-pk",)  # submission order, by the primary key index
    show_full_result_count = False
    inlines = (EventInline,)
    fieldsets = (
        (None, {"fields": ("tracking_id", "type", "status", "category", "attachment_count")}),
        (_("Tempat"), {"fields": ("region", "incident_date")}),
        (_("Pelapor"), {"fields": ("is_anonymous", "is_confidential", "channel")}),
        (_("Penanganan"), {"fields": ("agency", "unit", "merged_into_shown")}),
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
    readonly_fields = ("attachment_count", "merged_into_shown")

    def label(self, obj: Report) -> str:
        return ids.display(obj.tracking_id)

    @admin.display(description=_("digabung ke"))
    def merged_into_shown(self, report: Report) -> str:
        target = report.merged_into
        return ids.display(target.tracking_id) if target is not None else "—"

    @admin.display(description=_("jumlah lampiran"))
    def attachment_count(self, report: Report) -> int:
        return Attachment.objects.filter(report=report).count()


@admin.register(ReportEvent)
class ReportEventAdmin(NoObjectTitle, EventFields, TrackingIdSearch, ReadOnlyAdmin):
    list_display = (
        "report_id_shown", "seq", "created_at", "action", "to_status", "actor_role", "agency",
        "day", "day_seq",
    )  # fmt: skip
    list_filter = ("action", "is_internal", "actor_role")
    list_select_related = ("report", "agency")
    search_fields = ("=report__tracking_id",)
    ordering = ("-pk",)
    show_full_result_count = False
    fields = readonly_fields = (
        "report_id_shown", "seq", "created_at", "action", "from_status", "to_status",
        "staff_actor", "actor_role", "agency", "is_internal", "day", "day_seq", "prev_hash",
        "hash",
    )  # fmt: skip

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReportEvent]:
        return super().get_queryset(request).select_related("report", "actor", "agency")

    def label(self, obj: ReportEvent) -> str:
        return f"{ids.display(obj.report.tracking_id)} #{obj.seq}"

    @admin.display(description=_("laporan"), ordering="report_id")
    def report_id_shown(self, event: ReportEvent) -> str:
        return ids.display(event.report.tracking_id)
