"""The officer API's views: a token after password and authenticator code, the back office's
queues, one report, its reporter's contact (recorded), and every lifecycle action.

Everything is the back office's own code seen through JSON: the sign-in check
(``backoffice.signin.check_staff``, scope ``office``: the same throttle and lockout), the scope
(``selectors_backoffice``: a report outside the officer's subtree is a 404, never a hint), the
acting agency and the actions offered (``backoffice.views.detail``), and the action handlers
(``backoffice.views.actions.HANDLERS``, which call the one service per action; its
``authorize`` decides the role). Each request loads the officer's active memberships afresh."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from lapor.api.base import ApiView
from lapor.api.errors import ERROR_SCHEMA_REF
from lapor.api.officer import serializers as s
from lapor.api.pagination import KeysetPagination
from lapor.api.permissions import IsOfficer
from lapor.api.tokens import (
    ACCESS_TTL,
    ApiToken,
    Audience,
    token_issue,
    token_refresh,
)
from lapor.backoffice import access, signin
from lapor.backoffice.views.actions import HANDLERS
from lapor.backoffice.views.detail import acting_agency, actions_for
from lapor.core import ids
from lapor.core.errors import NotFound, ValidationFailed
from lapor.reports.models import AccessRecord, Report
from lapor.reports.privacy import Audience as Seen
from lapor.reports.privacy import reporter_contact
from lapor.reports.selectors import report_events
from lapor.reports.selectors_backoffice import QUEUE_BY_SLUG, QUEUES, officer_report, queue_reports
from lapor.reports.services import record_access, report_record_confidential_view


def _pair(access_token: str, refresh: str | None) -> dict[str, Any]:
    return {
        "access": access_token,
        "refresh": refresh or "",
        "token_type": "Bearer",
        "expires_in": int(ACCESS_TTL.total_seconds()),
    }


def _private(response: Response) -> Response:
    response["Cache-Control"] = "no-store"
    return response


class OfficerView(ApiView):
    """An officer's request: ``request.officer`` (the back office's ``Officer``) is set on the
    underlying request, so the back office's helpers read it as they do there."""

    permission_classes = [IsOfficer]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        officer = access.Officer(
            user=request.user, memberships=access.active_memberships(request.user)
        )
        request._request.officer = officer

    def memberships(self, request: Request) -> list[Any]:
        return list(request._request.officer.memberships)

    def report(self, request: Request, tracking_id: str) -> Report:
        report = officer_report(self.memberships(request), ids.normalize(tracking_id))
        if report is None:
            raise NotFound(_("Laporan tidak ditemukan di wilayah kerja Anda."))
        return report


class Token(ApiView):
    """Masuk petugas / officer log in: user name, password **and** the authenticator code."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        request=s.OfficerLoginSerializer,
        responses=s.OfficerTokenPairSerializer,
        operation_id="officer_token",
    )
    def post(self, request: Request) -> Response:
        data = s.OfficerLoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        outcome = signin.check_staff(
            request._request,
            scope="office",
            username=d["username"],
            password=d["password"],
            token=d["totp"],
            may_enter=lambda user: bool(access.active_memberships(user)),
        )
        if outcome.wait:
            raise exceptions.Throttled(wait=outcome.wait)
        if outcome.user is None:
            raise ValidationFailed(
                _(
                    "Nama pengguna, kata sandi atau kode autentikator salah. Periksa lalu coba "
                    "lagi; setelah 5 kali gagal dari perangkat yang sama, akun dikunci dari "
                    "perangkat ini selama 15 menit."
                ),
                code="authentication_failed",
            )
        pair = token_issue(user=outcome.user, audience=Audience.OFFICER)
        return _private(Response(_pair(*pair)))


class TokenRefresh(ApiView):
    """Token baru / a new pair for an officer's refresh token (rotation)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        request=s.OfficerRefreshSerializer,
        responses=s.OfficerTokenPairSerializer,
        operation_id="officer_token_refresh",
    )
    def post(self, request: Request) -> Response:
        data = s.OfficerRefreshSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pair = token_refresh(
            refresh=data.validated_data["refresh"],
            audience=Audience.OFFICER,
            allowed=lambda user: bool(access.active_memberships(user)),
        )
        return _private(Response(_pair(*pair)))


class TokenRevoke(OfficerView):
    """Keluar / log out: this login's tokens stop working."""

    @extend_schema(request=None, responses={204: None}, operation_id="officer_revoke")
    def post(self, request: Request) -> Response:
        assert isinstance(request.auth, ApiToken)
        ApiToken.objects.filter(family=request.auth.family, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        return Response(status=204)


class Queue(OfficerView):
    """Antrean / a queue of the back office (``triase``, ``masuk``, ``tugas``, ``terlambat``,
    ``klarifikasi``, ``ditunda``), oldest first, with its filters."""

    ordering = ("submitted_at", "id")
    pagination_class = KeysetPagination

    @extend_schema(
        parameters=[s.QueueQuerySerializer],
        responses=s.QueueReportSerializer(many=True),
        operation_id="officer_queue_list",
    )
    def get(self, request: Request, slug: str) -> Response:
        chosen = QUEUE_BY_SLUG.get(slug)
        if chosen is None:
            raise NotFound(
                _("Antrean tidak dikenal. Pilih salah satu: %(queues)s.")
                % {"queues": ", ".join(q.slug for q in QUEUES)}
            )
        query = s.QueueQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        qs = queue_reports(self.memberships(request), chosen, query.to_filter())
        paginator = KeysetPagination()
        rows = paginator.paginate_queryset(qs, request, self)
        data = s.QueueReportSerializer(rows, many=True).data
        return _private(paginator.get_paginated_response(data))


class ReportDetail(OfficerView):
    """Satu laporan / one report the officer reaches; opening a rahasia one is recorded."""

    @extend_schema(responses=s.OfficerReportSerializer, operation_id="officer_report_retrieve")
    def get(self, request: Request, tracking_id: str) -> Response:
        report = self.report(request, tracking_id)
        if report.is_confidential:
            report_record_confidential_view(
                report=report, actor=request.user, agency=acting_agency(request._request, report)
            )
        return _private(Response(self.shape(request, report)))

    @staticmethod
    def shape(request: Request, report: Report) -> dict[str, Any]:
        context = {
            "events": report_events(report),
            "actions": actions_for(request._request, report),
        }
        return dict(s.OfficerReportSerializer(report, context=context).data)


class ReportContact(OfficerView):
    """Lihat kontak pelapor / the reporter's contact details, recorded as read (UU PDP: the
    reporter sees who read them); empty for an anonim report."""

    @extend_schema(responses=s.ContactSerializer, operation_id="officer_report_contact")
    def get(self, request: Request, tracking_id: str) -> Response:
        report = self.report(request, tracking_id)
        contact = reporter_contact(report, Seen.OFFICER)
        if any(contact.values()):
            record_access(
                report=report,
                actor=request.user,
                kind=AccessRecord.Kind.CONTACT,
                agency=acting_agency(request._request, report),
            )
        return _private(
            Response({"email": contact.get("email", ""), "phone": contact.get("phone", "")})
        )


def _action_view(action: str) -> type[OfficerView]:
    serializer = s.ACTION_SERIALIZERS[action]
    handler = HANDLERS[action]

    @extend_schema(
        request=serializer,
        responses={
            200: PolymorphicProxySerializer(
                component_name="OfficerActionResult",
                serializers=[s.OfficerReportSerializer, s.LeftSerializer],
                resource_type_field_name=None,
            ),
            409: OpenApiResponse(ERROR_SCHEMA_REF, description="Changed meanwhile: reload"),
        },
        operation_id=f"officer_report_{action}",
    )
    def post(self: OfficerView, request: Request, tracking_id: str) -> Response:
        report = self.report(request, tracking_id)
        data = serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = {
            k: v.isoformat() if hasattr(v, "isoformat") else v
            for k, v in data.validated_data.items()
        }
        version = values.pop("expected_version", None)
        handler(report, values, request.user, request._request, version)  # type: ignore[arg-type]
        report.refresh_from_db()
        if officer_report(self.memberships(request), report.tracking_id) is None:
            # the report left the officer's subtree (forwarded, sent back to triage)
            return _private(Response(s.LeftSerializer(report).data))
        return _private(Response(ReportDetail.shape(request, report)))

    label = str(action).replace("_", " ")
    doc = f"Tindakan / the lifecycle action ``{action}`` ({label})."
    return type(
        f"Action{action.title().replace('_', '')}", (OfficerView,), {"post": post, "__doc__": doc}
    )


ACTION_VIEWS: dict[str, type[OfficerView]] = {a: _action_view(a) for a in s.ACTION_SERIALIZERS}
