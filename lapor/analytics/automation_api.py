"""The automation's accounts as open data: ``/api/v1/data/otomasi/`` (JSON, or one table as CSV
with ``?format=csv&tabel=...``), the same tables as the page (``automation_tables``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from lapor.analytics import automation_tables
from lapor.analytics.api import OpenData, OpenDataSerializer, _table
from lapor.analytics.automation import next_month
from lapor.analytics.report_models import AutomationMonth
from lapor.analytics.report_views import parse_month
from lapor.analytics.selectors import today
from lapor.analytics.views import LICENCE
from lapor.api import caching
from lapor.core.errors import NotFound, ValidationFailed
from lapor.regions.models import Region

TABLES = ("ringkasan", "bulanan", "provinsi")


class AutomationData(OpenData):
    """Akuntabilitas otomasi / the automation's accounts, every small figure as "< 5"."""

    @extend_schema(
        parameters=[
            OpenApiParameter("bulan", OpenApiTypes.STR, description="YYYY-MM"),
            OpenApiParameter("provinsi", OpenApiTypes.STR, description="Kode provinsi"),
            OpenApiParameter("tabel", OpenApiTypes.STR, enum=list(TABLES)),
        ],
        responses=OpenDataSerializer,
        operation_id="data_automation",
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        code = params.get("provinsi", "")
        name = ""
        if code:
            found = Region.objects.filter(code=code, level=Region.Level.PROVINSI).first()
            if found is None:
                raise NotFound(_("Wilayah atau instansi ini tidak ada."))
            name = found.name
        if "bulan" in params and parse_month(params["bulan"]) is None:
            raise ValidationFailed(_("Tulis bulan sebagai TTTT-BB, misalnya 2026-11."))
        if "tabel" in params and params["tabel"] not in TABLES:
            raise ValidationFailed(
                _("Tabel ini tidak ada. Lihat daftar tabel di kamus data (/data/).")
            )
        month = (
            parse_month(params.get("bulan", ""))
            or AutomationMonth.objects.filter(province="")
            .order_by("-month")
            .values_list("month", flat=True)
            .first()
            or today().replace(day=1)  # nothing computed yet: this month, all zero
        )
        tables, _links = automation_tables.page(code, month)
        only = params.get("tabel", "")
        if request.accepted_renderer.format == "csv" and not only:
            only = "ringkasan"
        if only:
            tables = [t for t in tables if t.slug == only]
        data: dict[str, Any] = {
            "scope": {"kind": "otomasi", "code": code, "name": name},
            "since": month.isoformat(),
            "until": (next_month(month) - timedelta(days=1)).isoformat(),
            "licence": LICENCE,
            "tables": [_table(t) for t in tables],
        }
        tag = caching.etag_for("automation", code, only, data)
        unchanged = caching.not_modified(request, tag)
        if unchanged is not None:
            return unchanged
        return caching.public(Response(data), tag)
