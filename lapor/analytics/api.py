"""Open data through the API (``/api/v1/data/``): the dashboards' tables as JSON or CSV.

The same ``Dashboard`` the pages show (``analytics.dashboard``), so every figure passed the same
small-cell suppression; read-only, no login, cached like the rest of the public API
(``api.caching``: ETag, ``Cache-Control: public``, ``Vary: Accept-Language``)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from lapor.analytics import selectors
from lapor.analytics.dashboard import Dashboard, Table
from lapor.analytics.views import LICENCE, board, scope_for
from lapor.api import caching
from lapor.api.base import ApiView
from lapor.core.errors import NotFound, ValidationFailed

TABLES = ("ringkasan", "bulanan", "kategori", "jenis", "kanal", "naik", "provinsi")


class CsvRenderer(BaseRenderer):
    """One table as CSV (``?format=csv&tabel=...``): key, label, one column per figure."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)
        if isinstance(data, dict) and "tables" in data and data["tables"]:
            table = data["tables"][0]
            writer.writerow(["kunci", "label", *table["columns"]])
            for row in table["rows"]:
                writer.writerow(["" if v is None else v for v in row.values()])
        return out.getvalue().encode()


class TableSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField(help_text="Nama tabel / table name")
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    note = serializers.CharField()
    rows = serializers.ListField(
        child=serializers.DictField(),
        help_text=(
            'Satu objek per baris: kunci, label, lalu satu nilai per kolom (angka, "< 5" bila '
            "disamarkan, atau null) / one object per row: key, label, a value per column"
        ),
    )


class ScopeSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()


class OpenDataSerializer(serializers.Serializer[Any]):
    scope = ScopeSerializer()
    since = serializers.DateField()
    until = serializers.DateField()
    licence = serializers.CharField()
    tables = TableSerializer(many=True)


def _table(t: Table) -> dict[str, Any]:
    return {
        "slug": t.slug,
        "title": t.title,
        "columns": t.columns,
        "note": t.note,
        "rows": t.records(),
    }


def payload(data: Dashboard, only: str = "") -> dict[str, Any]:
    tables = [data.headline, *data.tables]
    if only:
        tables = [t for t in tables if t.slug == only]
        if not tables:
            raise NotFound(_("Tabel ini tidak ada. Lihat daftar tabel di kamus data (/data/)."))
    scope = data.scope
    return {
        "scope": {"kind": scope.kind, "code": scope.code, "name": scope.name},
        "since": data.since.isoformat(),
        "until": data.until.isoformat(),
        "licence": LICENCE,
        "tables": [_table(t) for t in tables],
    }


class OpenData(ApiView):
    """Data terbuka / open data: a dashboard's tables, every small figure shown as "< 5"."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    renderer_classes = [JSONRenderer, CsvRenderer]
    kind = "nasional"

    def handle_exception(self, exc: Exception) -> Response:
        """Errors always in the API's JSON shape, even when CSV was asked for."""
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def _answer(self, request: Request, code: str = "") -> Response:
        try:
            scope = scope_for(self.kind, code)
        except Http404 as exc:  # answered in the API's own error shape
            raise NotFound(_("Wilayah atau instansi ini tidak ada.")) from exc
        params = request.query_params
        if "tabel" in params and params["tabel"] not in TABLES:
            raise ValidationFailed(
                _("Tabel ini tidak ada. Lihat daftar tabel di kamus data (/data/).")
            )
        if "format" in params and params["format"] not in ("json", "csv"):
            raise ValidationFailed(_("Format yang tersedia: json atau csv."))
        only = params.get("tabel", "")
        if request.accepted_renderer.format == "csv" and not only:
            only = "ringkasan"
        data = payload(board(scope), only)
        tag = caching.etag_for("open-data", self.kind, code, only, selectors.today(), data)
        unchanged = caching.not_modified(request, tag)
        if unchanged is not None:
            return unchanged
        return caching.public(Response(data), tag)


TABLE_PARAM = OpenApiParameter(
    "tabel", OpenApiTypes.STR, enum=list(TABLES), description="Satu tabel saja / one table only"
)


class NationalData(OpenData):
    @extend_schema(
        parameters=[TABLE_PARAM], responses=OpenDataSerializer, operation_id="data_national"
    )
    def get(self, request: Request) -> Response:
        return self._answer(request)


class ProvinceData(OpenData):
    kind = "provinsi"

    @extend_schema(
        parameters=[TABLE_PARAM], responses=OpenDataSerializer, operation_id="data_province"
    )
    def get(self, request: Request, code: str) -> Response:
        return self._answer(request, code)


class KabkotaData(OpenData):
    kind = "kabkota"

    @extend_schema(
        parameters=[TABLE_PARAM], responses=OpenDataSerializer, operation_id="data_kabkota"
    )
    def get(self, request: Request, code: str) -> Response:
        return self._answer(request, code)


class AgencyData(OpenData):
    kind = "instansi"

    @extend_schema(
        parameters=[TABLE_PARAM], responses=OpenDataSerializer, operation_id="data_agency"
    )
    def get(self, request: Request, code: str) -> Response:
        return self._answer(request, code)
