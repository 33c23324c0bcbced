"""The public API's views: read-only, no login (``AllowAny``), cached a minute by any cache.

Reports are read through ``reports.selectors`` (which start from
``privacy.public_reports()``) and shown through ``privacy``; the tracking view through
``selectors.tracked_report`` and ``Audience.TRACKER``."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from lapor.agencies.models import Agency
from lapor.api import caching
from lapor.api.base import ApiView
from lapor.api.pagination import KeysetPagination
from lapor.api.public import serializers as s
from lapor.api.public.heads import report_head
from lapor.categories.models import Category
from lapor.core import ids
from lapor.core.errors import NotFound
from lapor.regions.models import Region
from lapor.reports import privacy
from lapor.reports.models import Report
from lapor.reports.selectors import (
    PublicFilter,
    public_list,
    public_report,
    report_events,
    similar_open_reports,
    tracked_report,
)


def _missing() -> NotFound:
    """A missing report, and a rahasia one: the same answer (nothing tells them apart)."""
    return NotFound(_("Laporan tidak ditemukan. Periksa lagi nomor pelacakannya."))


class PublicView(ApiView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []  # nothing here depends on who asks


def _cached(request: Request, data: Any, tag: str) -> Response:
    unchanged = caching.not_modified(request, tag)
    if unchanged is not None:
        return unchanged
    return caching.public(Response(data), tag)


def _page(view: ApiView, request: Request, qs: QuerySet[Any], serializer: Any) -> Response:
    paginator = KeysetPagination()  # the view's ``ordering`` says the keys
    rows = paginator.paginate_queryset(qs, request, view)
    tag = caching.etag_of_rows(rows, request.get_full_path())
    unchanged = caching.not_modified(request, tag)
    if unchanged is not None:
        return unchanged
    data = serializer(rows, many=True, context={"request": request}).data
    return caching.public(paginator.get_paginated_response(data), tag)


class CategoryList(PublicView):
    """Kategori laporan yang aktif / the active report categories (main and sub-categories)."""

    @extend_schema(responses=s.CategorySerializer(many=True), operation_id="categories_list")
    def get(self, request: Request) -> Response:
        rows = list(
            Category.objects.filter(is_active=True).select_related("parent").order_by("code")
        )
        data = s.CategorySerializer(rows, many=True).data
        return _cached(request, data, caching.etag_of_rows(rows, *(r.name for r in rows)))


class RegionList(PublicView):
    """Wilayah / regions: provinces, or the children of ``parent`` (kabupaten/kota, kecamatan)."""

    @extend_schema(
        parameters=[OpenApiParameter("parent", OpenApiTypes.STR, description="Kode wilayah")],
        responses=s.RegionSerializer(many=True),
        operation_id="regions_list",
    )
    def get(self, request: Request) -> Response:
        parent = request.query_params.get("parent", "")
        qs = Region.objects.order_by("code")
        if parent:
            # A NUL byte cannot be in any code (and PostgreSQL refuses it in a query): unknown.
            if "\x00" in parent or not Region.objects.filter(code=parent).exists():
                raise NotFound(_("Wilayah tidak ditemukan. Periksa lagi kodenya."), field="parent")
            qs = qs.filter(parent_id=parent)
        else:
            qs = qs.filter(level=Region.Level.PROVINSI)
        rows = list(qs)
        data = s.RegionSerializer(rows, many=True).data
        return _cached(request, data, caching.etag_for(*((r.code, r.name) for r in rows)))


class AgencyList(PublicView):
    """Instansi / agencies receiving reports, searchable by name (``q``)."""

    ordering = ("name", "id")
    pagination_class = KeysetPagination  # also tells the document the answer is paginated

    @extend_schema(
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="Cari nama / name")],
        responses=s.AgencySerializer(many=True),
        operation_id="agencies_list",
    )
    def get(self, request: Request) -> Response:
        qs = Agency.objects.filter(is_active=True).select_related("parent")
        q = request.query_params.get("q", "").replace("\x00", "").strip()[:100]
        if q:
            qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(code=q))
        return _page(self, request, qs, s.AgencySerializer)


class ReportList(PublicView):
    """Laporan publik / public reports, newest first, with the portal's filters."""

    ordering = ("-submitted_at", "-id")
    pagination_class = KeysetPagination

    @extend_schema(
        parameters=[s.ReportFilterSerializer],
        responses=s.ReportListSerializer(many=True),
        operation_id="reports_list",
    )
    def get(self, request: Request) -> Response:
        # A plain dict, not the QueryDict: DRF reads an empty value in a QueryDict as absent
        # (HTML form semantics); the API answers ``until=`` as the invalid date it is.
        filters = s.ReportFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        valid = {k: v for k, v in filters.validated_data.items() if v not in (None, "")}
        return _page(self, request, public_list(PublicFilter(**valid)), s.ReportListSerializer)


class ReportDetail(PublicView):
    """Satu laporan publik / one public report (a rahasia one: 404, as a missing one)."""

    @extend_schema(responses=s.ReportDetailSerializer, operation_id="reports_retrieve")
    def get(self, request: Request, tracking_id: str) -> HttpResponse:
        tid = ids.normalize(tracking_id)
        head = report_head(tid)
        if head is None or not privacy.is_public(head):
            raise _missing()
        tag = caching.etag_for(head.tracking_id, head.last_event_hash, head.support_count)

        def build() -> Any:
            report = public_report(tid)
            if report is None:  # made rahasia or merged since the head was read
                raise _missing()
            context = {"request": request, "events": report_events(report)}
            return s.ReportDetailSerializer(report, context=context).data

        return caching.rendered(request, tag, build)


class Track(PublicView):
    """Pelacakan / tracking: what anybody holding the tracking ID sees (steps, agency, due
    dates; the text only of a public report)."""

    @extend_schema(responses=s.TrackSerializer, operation_id="track_retrieve")
    def get(self, request: Request, tracking_id: str) -> HttpResponse:
        tid = ids.normalize(tracking_id)
        head = report_head(tid)
        if head is None:
            raise _missing()
        tag = caching.etag_for("track", head.tracking_id, head.last_event_hash)

        def build() -> Any:
            report = tracked_report(tid)
            if report is None:
                raise _missing()
            return s.TrackSerializer(report, context={"events": report_events(report)}).data

        return caching.rendered(request, tag, build)


class SimilarReports(PublicView):
    """Laporan serupa yang masih diproses / open public reports the text repeats, to support
    ("dukung") instead of filing the same problem again (the portal's similar-reports step).
    GET with query parameters or POST with a JSON body (a long text)."""

    @extend_schema(
        parameters=[s.SimilarQuerySerializer],
        responses=s.SimilarReportSerializer(many=True),
        operation_id="reports_similar_list",
    )
    def get(self, request: Request) -> Response:
        return self._similar(request, request.query_params.dict())

    @extend_schema(
        request=s.SimilarQuerySerializer,
        responses=s.SimilarReportSerializer(many=True),
        operation_id="reports_similar_create",
    )
    def post(self, request: Request) -> Response:
        return self._similar(request, request.data)

    def _similar(self, request: Request, data: Any) -> Response:
        query = s.SimilarQuerySerializer(data=data)
        query.is_valid(raise_exception=True)
        found: list[Report] = similar_open_reports(
            region_code=query.validated_data["region"],
            title=query.validated_data["title"],
            body=query.validated_data["text"],
        )
        return Response(s.SimilarReportSerializer(found, many=True).data)
