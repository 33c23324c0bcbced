"""The partner API's views. Every view but ``Token`` needs a partner's bearer token
(``IsPartner``); ``request.user`` is then the partner's service account, the actor of every
change, scoped by its ``partner`` memberships (``reports.permissions``). A report outside the
partner's agencies answers 404, as a missing one does (nothing tells them apart).

Writes go through ``lapor.reports.services`` inside ``idempotency.run`` (``Idempotency-Key``);
reads through ``reports.privacy`` as an officer sees them."""

from __future__ import annotations

import base64
import binascii
import io
from datetime import timedelta
from typing import Any
from urllib.parse import unquote

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiRequest,
    OpenApiResponse,
    extend_schema,
)
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from lapor.agencies.models import Agency, Membership
from lapor.api import multipart
from lapor.api.base import ApiView
from lapor.api.models import Partner
from lapor.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, decode_cursor, encode_cursor
from lapor.api.parsers import LimitedJSONParser
from lapor.api.partner import idempotency
from lapor.api.partner import serializers as s
from lapor.api.partner.error_codes import PartnerErrorCode
from lapor.api.partner.records import PartnerReport
from lapor.api.partners import partner_authenticate
from lapor.api.permissions import IsPartner
from lapor.api.tokens import PARTNER_ACCESS_TTL, Audience, token_issue
from lapor.categories.models import Category
from lapor.core.errors import IdempotencyMismatch, NotFound, ValidationFailed
from lapor.regions.models import Region
from lapor.reports import privacy, services
from lapor.reports.models import Report, ReportEvent
from lapor.reports.permissions import roles_over

CHANGES_FROM = timedelta(days=7)  # where ``/changes`` starts without ``cursor`` or ``since``
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    idempotency.HEADER,
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description='Kunci idempotensi / idempotency key (sf-string, "…"; unquoted accepted)',
)


def _partner(request: Request) -> Partner:
    partner = request.auth.partner
    assert partner is not None  # IsPartner: a partner token always names its partner
    return partner


class PartnerView(ApiView):
    permission_classes = [IsPartner]


def _oauth_error(code: str, message: str, status: int) -> Response:
    """RFC 6749 §5.2's ``error``/``error_description`` and our ``code``/``message``/``field``."""
    response = Response(
        {
            "error": code,
            "error_description": message,
            "code": code,
            "message": message,
            "field": None,
        },
        status=status,
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Basic realm="api"'
    response["Cache-Control"] = "no-store"
    return response


def _basic(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return ("", "")
    client_id, _colon, secret = decoded.partition(":")
    return unquote(client_id), unquote(secret)  # RFC 6749 §2.3.1: form-urlencoded first


class Token(ApiView):
    """Token akses mitra / a partner's access token (OAuth2 client credentials, RFC 6749 §4.4)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []  # HTTP Basic here carries client credentials
    parser_classes = [FormParser, LimitedJSONParser]

    @extend_schema(
        request={
            "application/x-www-form-urlencoded": s.TokenRequestSerializer,
            "application/json": s.TokenRequestSerializer,
        },
        responses={200: s.TokenSerializer},
        operation_id="partner_token",
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = request.data
        grant = data.get("grant_type") if hasattr(data, "get") else None
        if not grant:
            return _oauth_error(
                PartnerErrorCode.INVALID_REQUEST,
                _("Sertakan grant_type=client_credentials."),
                400,
            )
        if grant != "client_credentials":
            return _oauth_error(
                PartnerErrorCode.UNSUPPORTED_GRANT_TYPE,
                _("Hanya grant_type=client_credentials yang diterima."),
                400,
            )
        basic = _basic(request)
        client_id, secret = basic or (data.get("client_id"), data.get("client_secret"))
        partner = None
        if isinstance(client_id, str) and isinstance(secret, str):
            partner = partner_authenticate(key_id=client_id, secret=secret)
        if partner is None:
            return _oauth_error(
                PartnerErrorCode.INVALID_CLIENT,
                _(
                    "client_id atau client_secret salah, atau kunci sudah dicabut. Minta kunci "
                    "baru kepada admin nasional."
                ),
                401,
            )
        access, _refresh = token_issue(
            user=partner.user, audience=Audience.PARTNER, partner=partner
        )
        response = Response(
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": int(PARTNER_ACCESS_TTL.total_seconds()),
            }
        )
        response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        return response


def _uploads(items: list[dict[str, str]]) -> list[services.Upload]:
    uploads = []
    for i, item in enumerate(items):
        try:
            content = base64.b64decode(item["content_base64"], validate=True)
        except (binascii.Error, ValueError):
            raise ValidationFailed(
                _("Isi lampiran bukan base64 yang sah. Kirim berkas sebagai base64 standar."),
                code=PartnerErrorCode.INVALID_ATTACHMENT,
                field=f"attachments.{i}.content_base64",
            ) from None
        uploads.append(services.Upload(name=item["name"], content=io.BytesIO(content)))
    return uploads


def _by_code(model: Any, code: str | None, field: str, message: str) -> Any:
    if not code:
        return None
    found = model.objects.filter(code=code).first()
    if found is None:
        raise ValidationFailed(message, field=field)
    return found


class Reports(PartnerView):
    """Kirim laporan dari sistem mitra / push a report filed in the partner's system."""

    parser_classes = [LimitedJSONParser, MultiPartParser]

    @extend_schema(
        request={
            "application/json": s.InboundReportSerializer,
            "multipart/form-data": OpenApiRequest(
                s.InboundMultipartSerializer,
                encoding={"report": {"contentType": "application/json"}},
            ),
        },
        responses={
            201: s.CreatedSerializer,
            200: OpenApiResponse(s.CreatedSerializer, description="Sudah ada / already pushed"),
            409: OpenApiResponse(description="idempotency_in_flight"),
            422: OpenApiResponse(description="idempotency_key_reused / external_id_reused"),
        },
        parameters=[IDEMPOTENCY_PARAMETER],
        operation_id="partner_reports_create",
    )
    def post(self, request: Request) -> Response:
        partner = _partner(request)
        return idempotency.run(request, partner, lambda: self._create(request, partner))

    def _create(self, request: Request, partner: Partner) -> Response:
        files: list[services.Upload] = []
        if multipart.is_multipart(request):  # the JSON document in ``report``, files beside
            multipart.refuse_unknown(request, {"report", multipart.FILES})
            payload = multipart.json_part(request, "report")
            files = [
                services.Upload(name=f.name or "", content=f) for f in multipart.files(request)
            ]
        else:
            payload = request.data
        form = s.InboundReportSerializer(data=payload)
        form.is_valid(raise_exception=True)
        v = form.validated_data
        region = _by_code(
            Region, v["region"], "region", _("Wilayah tidak ditemukan. Periksa lagi kodenya.")
        )
        category = _by_code(
            Category,
            v.get("category"),
            "category",
            _("Kategori tidak ditemukan. Periksa lagi kodenya."),
        )
        contact = v.get("contact") or {}
        try:
            submitted = services.report_submit(
                type=v["type"],
                title=v["title"],
                body=v["body"],
                region=region,
                category=category,
                channel=Report.Channel.PARTNER,
                contact_name=contact.get("name", ""),
                contact_email=contact.get("email", ""),
                contact_phone=contact.get("phone", ""),
                is_anonymous=v["is_anonymous"],
                is_confidential=v["is_confidential"],
                latitude=v.get("latitude"),
                longitude=v.get("longitude"),
                incident_date=v.get("incident_date"),
                attachments=_uploads(v.get("attachments", [])) + files,
                idempotency_key=f"ext:{v['external_id']}",
                caller=f"partner:{partner.pk}",
                # The partner's service account files it and is named in the submit event; the
                # citizen stays a guest of the partner's, who relays what happens.
                actor=partner.user,
                actor_role=Membership.Role.PARTNER,
            )
        except IdempotencyMismatch:
            raise IdempotencyMismatch(
                _(
                    "external_id ini sudah dipakai untuk laporan dengan isi lain. Laporan yang "
                    "berbeda memerlukan external_id yang berbeda."
                ),
                code=PartnerErrorCode.EXTERNAL_ID_REUSED,
                field="external_id",
            ) from None
        report = submitted.report
        PartnerReport.objects.get_or_create(
            report=report,
            defaults={
                "partner": partner,
                "external_id": v["external_id"],
                "external_url": v.get("external_url", ""),
            },
        )
        path = reverse("api:partner_report", args=[report.tracking_id])
        data = {
            "tracking_id": report.tracking_id,
            "status": report.status,
            "url": request.build_absolute_uri(path),
        }
        return Response(data, status=200 if submitted.replayed else 201)


def _scope(partner: Partner) -> Q:
    """Reports whose agency or unit is in the subtree of an agency the partner speaks for."""
    paths = Agency.objects.filter(
        memberships__user=partner.user,
        memberships__role=Membership.Role.PARTNER,
        memberships__is_active=True,
    ).values_list("path", flat=True)
    scope = Q(pk__in=[])
    for path in paths:
        scope |= Q(agency__path__startswith=path) | Q(unit__path__startswith=path)
    return scope


def _report(request: Request, tracking_id: str) -> Report:
    report = (
        Report.objects.select_related("agency", "unit", "region", "category", "reporter")
        .filter(tracking_id=tracking_id.upper())
        .first()
    )
    if report is None or not roles_over(request.user, report):
        raise NotFound(_("Laporan tidak ditemukan di instansi yang diwakili sistem mitra ini."))
    return report


def _read(request: Request, report: Report) -> Response:
    if report.is_confidential:  # who read a rahasia report, in the access log
        services.record_access(report=report, actor=request.user, kind="confidential")
    events = list(report.events.select_related("agency").order_by("seq"))
    timeline = privacy.timeline(report, events, privacy.Audience.OFFICER)
    context = {"partner": _partner(request), "timeline": timeline}
    return Response(s.PartnerReportSerializer(report, context=context).data)


class ReportDetail(PartnerView):
    """Laporan di instansi mitra / a report in the partner's agencies, as its desk sees it."""

    @extend_schema(responses=s.PartnerReportSerializer, operation_id="partner_report")
    def get(self, request: Request, tracking_id: str) -> Response:
        return _read(request, _report(request, tracking_id))


class ReportActions(PartnerView):
    """Tindak lanjut dan perubahan status / act on a report in the partner's agencies."""

    @extend_schema(
        request=s.ActionSerializer,
        responses={
            200: s.PartnerReportSerializer,
            409: OpenApiResponse(description="report_changed / invalid_transition / in flight"),
            422: OpenApiResponse(description="idempotency_key_reused"),
        },
        parameters=[IDEMPOTENCY_PARAMETER],
        operation_id="partner_report_action",
    )
    def post(self, request: Request, tracking_id: str) -> Response:
        partner = _partner(request)
        return idempotency.run(request, partner, lambda: self._act(request, tracking_id))

    def _act(self, request: Request, tracking_id: str) -> Response:
        form = s.ActionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        v = form.validated_data
        report = _report(request, tracking_id)
        common = {
            "report": report,
            "actor": request.user,
            "expected_version": v["expected_version"],
        }
        message = v.get("message", "")
        action = v["action"]
        if action == "follow_up":
            services.report_follow_up(**common, message=message)
        elif action == "request_info":
            services.report_request_info(**common, question=message)
        elif action == "note":
            services.report_add_note(**common, note=message)
        elif action == "hold":
            if "until" not in v:
                raise ValidationFailed(_("Isi until: sampai kapan laporan ditunda."), field="until")
            services.report_hold(**common, until=v["until"], reason=message)
        elif action == "resume":
            services.report_resume(**common, reason=message)
        elif action == "complete":
            services.report_complete(**common, message=message)
        elif action == "dispose_unit":
            unit = _by_code(
                Agency, v.get("unit"), "unit", _("Unit tidak ditemukan. Periksa lagi kodenya.")
            )
            if unit is None:
                raise ValidationFailed(_("Isi unit: kode unit tujuan."), field="unit")
            services.report_dispose_unit(**common, unit=unit, note=message)
        else:  # not_authority
            suggested = _by_code(
                Agency,
                v.get("suggested_agency"),
                "suggested_agency",
                _("Instansi tidak ditemukan. Periksa lagi kodenya."),
            )
            services.report_not_authority(**common, reason=message, suggested_agency=suggested)
        report.refresh_from_db()
        return _read(request, report)


def _changes(partner: Partner) -> QuerySet[ReportEvent]:
    """The events of the partner's reports it may see: those an officer's timeline shows
    (``privacy.timeline`` leaves out internal ones), and of the internal ones only the
    partner's own (its notes): never another desk's notes, privacy changes or erasures."""
    in_scope = Report.objects.filter(_scope(partner)).values("pk")
    return (
        ReportEvent.objects.filter(report__in=in_scope)
        .filter(Q(is_internal=False) | Q(actor=partner.user))
        .select_related("report", "agency")
    )


def _limit(request: Request) -> int:
    raw = request.query_params.get("limit") or str(DEFAULT_LIMIT)
    limit = int(raw) if raw.isdigit() else 0
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(
            {"limit": [_("Isi limit antara 1 dan %(max)d.") % {"max": MAX_LIMIT}]},
            code="out_of_range",
        )
    return limit


class Changes(PartnerView):
    """Semua perubahan sejak kursor / every change of the partner's reports since a cursor.

    Events in the order they were committed (their ``id``: assigned under the day chain's lock,
    ``reports.events``), each once across pages; ``next_cursor`` is always given, also on an
    empty page: store it and ask again with it later."""

    @extend_schema(
        parameters=[
            OpenApiParameter("cursor", OpenApiTypes.STR, description="next_cursor"),
            OpenApiParameter(
                "since", OpenApiTypes.DATETIME, description="Tanpa kursor / without cursor"
            ),
            OpenApiParameter("limit", OpenApiTypes.INT, description=f"1-{MAX_LIMIT}"),
        ],
        responses=s.ChangesSerializer,
        operation_id="partner_changes",
    )
    def get(self, request: Request) -> Response:
        partner = _partner(request)
        limit = _limit(request)
        qs = _changes(partner).order_by("pk")
        cursor = request.query_params.get("cursor")
        since_raw = request.query_params.get("since")
        if cursor:
            _at, after = decode_cursor(cursor)
            if not isinstance(after, int):
                raise ValidationError(
                    {"cursor": [_("Kursor tidak dikenal. Mulai lagi dari halaman pertama.")]},
                    code="invalid_cursor",
                )
            qs = qs.filter(pk__gt=after)
        else:
            # Absent: the last days; present but empty or not a zoned time: refused.
            since = (
                parse_datetime(since_raw)
                if since_raw is not None
                else timezone.now() - CHANGES_FROM
            )
            if since is None or since.tzinfo is None:
                raise ValidationError(
                    {
                        "since": [
                            _(
                                "Isi since dengan waktu ISO 8601 berzona, misalnya "
                                "2026-01-31T08:00:00+07:00."
                            )
                        ]
                    },
                    code="invalid",
                )
            first = ReportEvent.objects.filter(created_at__gte=since).order_by("pk").first()
            after = (first.pk - 1) if first is not None else _last_event_id()
            qs = qs.filter(pk__gt=after)
        rows = list(qs[:limit])
        last = rows[-1].pk if rows else after
        data = {
            "results": s.ChangeSerializer(rows, many=True).data,
            "next_cursor": encode_cursor("e", last),
        }
        return Response(data)


def _last_event_id() -> int:
    last = ReportEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    return last or 0
