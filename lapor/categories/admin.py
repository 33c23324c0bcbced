"""Categories and SLA policies in the admin.

SLA policies are never edited in place: reports keep the version that was in force when they
arrived, so "saving" a policy writes a new row with the next version for the same scope and
leaves the old one as it was.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapor.agencies.admin_access import NationalAdminAccess
from lapor.categories.models import Category, SlaPolicy


class CategoryLevelFilter(admin.SimpleListFilter):
    title = _("tingkat")
    parameter_name = "tingkat"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("utama", _("Kategori utama")), ("sub", _("Sub-kategori"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "utama":
            return queryset.filter(parent__isnull=True)
        if self.value() == "sub":
            return queryset.filter(parent__isnull=False)
        return queryset


class SubCategoryInline(NationalAdminAccess, admin.TabularInline):
    model = Category
    fk_name = "parent"
    extra = 1
    fields = ("code", "name", "name_en", "keywords", "is_active")
    verbose_name = _("sub-kategori")
    verbose_name_plural = _("sub-kategori")


@admin.register(Category)
class CategoryAdmin(NationalAdminAccess, admin.ModelAdmin):
    list_display = ("name", "code", "parent", "name_en", "children_count", "is_active")
    list_filter = (CategoryLevelFilter, "is_active")
    search_fields = ("name", "name_en", "code", "keywords")
    list_select_related = ("parent",)
    raw_id_fields = ("parent",)
    inlines = (SubCategoryInline,)
    list_per_page = 100

    def get_queryset(self, request: HttpRequest) -> QuerySet[Category]:
        return super().get_queryset(request).annotate(children_total=Count("children"))

    @admin.display(description=_("sub-kategori"), ordering="children_total")
    def children_count(self, obj: Category) -> int:
        return getattr(obj, "children_total", 0)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Reports point at categories; retire one by unticking "aktif" instead.
        return False


@admin.register(SlaPolicy)
class SlaPolicyAdmin(NationalAdminAccess, admin.ModelAdmin):
    list_display = (
        "__str__",
        "agency",
        "category",
        "version",
        "verify_days",
        "followup_days",
        "autoclose_days",
        "completion_days",
        "effective_from",
        "created_by",
    )
    list_filter = ("agency__kind",)
    search_fields = ("agency__name", "agency__code", "category__name", "note")
    list_select_related = ("agency", "category", "created_by")
    raw_id_fields = ("agency",)
    autocomplete_fields = ("category",)
    ordering = ("agency__path", "category__code", "-version")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        always = ("version", "created_at", "created_by")
        return ("agency", "category", *always) if obj else always

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: SlaPolicy, form: Any, change: bool) -> None:
        """Write a new version for the policy's scope; the row that was opened stays."""
        if change and not form.has_changed():
            messages.info(request, _("Tidak ada perubahan; versi kebijakan tetap."))
            return
        scope = {"agency_id": obj.agency_id, "category_id": obj.category_id}
        with transaction.atomic():
            latest = (
                SlaPolicy.objects.select_for_update()
                .filter(
                    agency__isnull=obj.agency_id is None,
                    category__isnull=obj.category_id is None,
                    **{k: v for k, v in scope.items() if v is not None},
                )
                .order_by("-version")
                .values_list("version", flat=True)
                .first()
            )
            if change:
                obj.pk = None
                obj._state.adding = True
                if "effective_from" not in form.changed_data:
                    obj.effective_from = timezone.now()
            obj.version = (latest or 0) + 1
            obj.created_by = request.user  # type: ignore[assignment]
            obj.save()
        if change:
            messages.info(
                request,
                _(
                    "Disimpan sebagai versi %(version)s; versi lama tetap tersimpan dan tetap "
                    "berlaku untuk laporan yang masuk sebelumnya."
                )
                % {"version": obj.version},
            )
