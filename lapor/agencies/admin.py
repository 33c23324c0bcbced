"""The agency tree and staff memberships in the admin, for national admins.

The list is ordered by ``path`` and indented by depth, so it reads as a tree; each row links to
its own subtree. Moving an agency under another parent rewrites the paths of everything below.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from lapor.agencies.admin_access import NationalAdminAccess
from lapor.agencies.models import Agency, Membership
from lapor.agencies.staff import staff_flag_follows
from lapor.agencies.tree import repath_subtree, would_create_cycle
from lapor.regions.models import Region

SUBTREE_LOOKUP = "path__startswith"


class ProvinceFilter(admin.SimpleListFilter):
    title = _("provinsi")
    parameter_name = "provinsi"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(Region.objects.filter(level=Region.Level.PROVINSI).values_list("code", "name"))

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if not value:
            return queryset
        # Region codes nest (33 → 33.21 → 33.21.01): one prefix match covers the province.
        return queryset.filter(region__code__startswith=value)


class LevelFilter(admin.SimpleListFilter):
    title = _("kedudukan di pohon")
    parameter_name = "tingkat"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("induk", _("Instansi (bukan unit)")), ("unit", _("Unit kerja"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "induk":
            return queryset.exclude(kind=Agency.Kind.UNIT)
        if self.value() == "unit":
            return queryset.filter(kind=Agency.Kind.UNIT)
        return queryset


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = (
            "code",
            "name",
            "short_name",
            "kind",
            "unit_type",
            "aliases",
            "parent",
            "region",
            "timezone",
            "jurisdiction_regions",
            "topics",
            "is_active",
            "accepts_reports",
        )

    def clean_parent(self) -> Agency | None:
        parent: Agency | None = self.cleaned_data.get("parent")
        if would_create_cycle(node=self.instance, new_parent=parent):
            raise forms.ValidationError(
                _("Instansi induk tidak boleh instansi ini sendiri atau unit di bawahnya.")
            )
        return parent

    def clean_aliases(self) -> list[str]:
        aliases = self.cleaned_data.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise forms.ValidationError(
                _('Nama lain harus berupa daftar teks, misalnya ["Pemkab Demak", "Kab. Demak"].')
            )
        return aliases


class MembershipInline(NationalAdminAccess, admin.TabularInline):
    model = Membership
    fk_name = "agency"
    extra = 0
    fields = ("user", "role", "is_active", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("user",)
    verbose_name = _("staf")
    verbose_name_plural = _("staf dan peran")


MAX_DEPTH_SHOWN = 8  # indent levels in agencies/admin.css; deeper units indent as the 8th


@admin.register(Agency)
class AgencyAdmin(NationalAdminAccess, admin.ModelAdmin):
    form = AgencyForm
    list_display = ("tree_name", "code", "kind", "unit_type", "region", "zone", "is_active")
    list_filter = (LevelFilter, "kind", "unit_type", ProvinceFilter, "is_active")
    search_fields = ("name", "short_name", "code", "aliases")
    list_select_related = ("region",)
    raw_id_fields = ("parent", "region")
    autocomplete_fields = ("jurisdiction_regions", "topics")

    class Media:
        css = {"all": ("agencies/admin.css",)}  # the tree's indent: no inline style under CSP

    readonly_fields = ("path", "subtree_link")
    list_per_page = 100
    show_full_result_count = False
    inlines = (MembershipInline,)
    fieldsets = (
        (None, {"fields": ("code", "name", "short_name", "kind", "unit_type", "aliases")}),
        (_("Kedudukan"), {"fields": ("parent", "path", "subtree_link", "region", "timezone")}),
        (
            _("Kewenangan"),
            {"fields": ("jurisdiction_regions", "topics", "is_active", "accepts_reports")},
        ),
    )

    @admin.display(description=_("nama"), ordering="path")
    def tree_name(self, obj: Agency) -> str:
        depth = max(obj.path.count("/") - 2, 0)
        return format_html(
            '<span class="tree-depth-{}">{}{}</span>',
            min(depth, MAX_DEPTH_SHOWN),
            "└ " if depth else "",
            obj.name,
        )

    @admin.display(description=_("zona"), ordering="timezone")
    def zone(self, obj: Agency) -> str:
        return obj.timezone.rsplit("/", 1)[-1]

    @admin.display(description=_("di bawahnya"))
    def subtree_link(self, obj: Agency) -> str:
        if not obj.pk:
            return "-"
        url = reverse("admin:agencies_agency_changelist")
        query = urlencode({SUBTREE_LOOKUP: obj.path})
        return format_html('<a href="{}?{}">{}</a>', url, query, _("lihat instansi dan unitnya"))

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        return lookup == SUBTREE_LOOKUP or super().lookup_allowed(lookup, value, request)

    def save_model(self, request: HttpRequest, obj: Agency, form: Any, change: bool) -> None:
        old_path = Agency.objects.filter(pk=obj.pk).values_list("path", flat=True).first()
        super().save_model(request, obj, form, change)
        if old_path and old_path != obj.path:
            repath_subtree(old_path=old_path, new_path=obj.path)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The staff inline: whoever gains or loses admin nasional gains or loses is_staff."""
        users = set(
            Membership.objects.filter(agency=form.instance).values_list("user_id", flat=True)
        )
        for formset in formsets:
            if formset.model is Membership:
                users |= {f.instance.user_id for f in formset.forms}
        with staff_flag_follows(users):
            super().save_related(request, form, formsets, change)


@admin.register(Membership)
class MembershipAdmin(NationalAdminAccess, admin.ModelAdmin):
    list_display = ("user", "role", "agency", "is_active", "created_at")
    list_filter = ("role", "is_active", "agency__kind")
    search_fields = (
        "user__username",
        "user__email",
        "user__first_name",
        "user__last_name",
        "agency__name",
        "agency__code",
    )
    autocomplete_fields = ("user", "agency")
    list_select_related = ("user", "agency")
    readonly_fields = ("created_at",)

    # Granting or revoking admin nasional here sets or clears the account's is_staff.
    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        before = Membership.objects.filter(pk=obj.pk).values_list("user_id", flat=True).first()
        with staff_flag_follows([obj.user_id, before] if before else [obj.user_id]):
            super().save_model(request, obj, form, change)

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        with staff_flag_follows([obj.user_id]):
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        with staff_flag_follows(list(queryset.values_list("user_id", flat=True))):
            super().delete_queryset(request, queryset)
