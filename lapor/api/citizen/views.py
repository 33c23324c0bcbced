"""The citizen API's views: an account (register, activate, log in, refresh, log out, export,
erase), and a report (submit, read, reply, rate, reopen, support, privacy consent, erase).

The same rules as the portal, through the same code: registration answers the same whether the
address is taken (``user_register``); logging in runs the portal's ``LoginForm`` (the hasher
runs for an unknown address) under its throttle (``accounts.throttle``, scope ``login``); a
report is written only through ``lapor.reports.services``. The reporter is proven by the
account that filed the report or by the guest secret (``X-Report-Secret`` or ``secret`` in the
body, never in the address); what they see is ``privacy.Audience.REPORTER``. A report the caller
does not hold is the same 404 as a missing one."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from lapor.accounts import throttle
from lapor.accounts.forms import LoginForm, RegisterForm
from lapor.accounts.services import user_activate, user_register
from lapor.api.base import ApiView
from lapor.api.citizen import serializers as s
from lapor.api.pagination import KeysetPagination
from lapor.api.parsers import LimitedJSONParser
from lapor.api.permissions import IsCitizen
from lapor.api.tokens import (
    ACCESS_TTL,
    ApiToken,
    Audience,
    hash_token,
    token_issue,
    token_refresh,
    token_revoke,
)
from lapor.categories.models import Category
from lapor.core import ids
from lapor.core.error_codes import CoreErrorCode
from lapor.core.errors import NotFound, ValidationFailed
from lapor.portal.limits import over_limit, retry_after
from lapor.privacy import export
from lapor.privacy.notice import NOTICE_VERSION
from lapor.privacy.services import account_erase
from lapor.regions.models import Region
from lapor.reports import services
from lapor.reports.models import Report
from lapor.reports.selectors import public_report, report_events

SECRET_HEADER = OpenApiParameter(
    "X-Report-Secret",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Kode rahasia tamu / the guest secret (or `secret` in the body)",
)


def _limited(request: Request, group: str) -> None:
    """The portal's per-IP limits (``portal.limits``), answered in the error shape."""
    if over_limit(request._request, group):
        seconds = retry_after(request._request)
        raise exceptions.Throttled(wait=seconds)  # 429 with Retry-After


def _pair(access: str, refresh: str | None) -> dict[str, Any]:
    return {
        "access": access,
        "refresh": refresh or "",
        "token_type": "Bearer",
        "expires_in": int(ACCESS_TTL.total_seconds()),
    }


def _missing() -> NotFound:
    return NotFound(_("Laporan tidak ditemukan. Periksa lagi nomor pelacakan dan kode rahasia."))


def _user(request: Request) -> Any:
    token = request.auth
    if isinstance(token, ApiToken) and token.audience == Audience.CITIZEN:
        return request.user
    return None


def _secret(request: Request, data: dict[str, Any] | None = None) -> str:
    return str((data or {}).get("secret") or request.headers.get("X-Report-Secret", "")).strip()


def _held_report(request: Request, tracking_id: str, secret: str) -> Report:
    """The report if the caller is its reporter (account or guest secret); else 404. A guest's
    tries count against the portal's tracking limits (a secret is not guessed)."""
    if _user(request) is None:
        _limited(request, "track" if request.method == "GET" else "follow")
    report = (
        Report.objects.select_related("region", "category", "agency", "reporter")
        .filter(tracking_id=ids.normalize(tracking_id))
        .first()
    )
    if report is None or not services.is_reporter(report, user=_user(request), secret=secret):
        raise _missing()
    return report


def _private(response: Response) -> Response:
    response["Cache-Control"] = "no-store"
    return response


class CitizenView(ApiView):
    permission_classes = [IsCitizen]


class GuestOrCitizenView(ApiView):
    """A guest (with the report's secret) or a citizen token; any other token is refused."""

    permission_classes = [AllowAny]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if request.auth is not None and _user(request) is None:
            self.permission_denied(request)


# --- account ---------------------------------------------------------------------------------


class Register(ApiView):
    """Daftar / register: the same answer whether or not the address has an account; a link
    to activate it is sent to the address."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        request=s.RegisterSerializer,
        responses={202: s.DetailSerializer},
        operation_id="citizen_register",
    )
    def post(self, request: Request) -> Response:
        _limited(request, "account")
        data = s.RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        # The portal's form: the same rules for the address and the password (Django's
        # password validators, with the name and address as the account would hold them).
        form = RegisterForm(
            {
                "name": d["name"],
                "identifier": d["identifier"],
                "password1": d["password"],
                "password2": d["password"],
            }
        )
        if not form.is_valid():
            field, messages = next(iter(form.errors.items()))
            name = {"password1": "password", "password2": "password"}.get(field, field)
            raise ValidationFailed(str(messages[0]), code=CoreErrorCode.INVALID, field=name)
        password = d["password"]
        user_register(
            name=d["name"],
            identifier=d["identifier"],
            password=password,
            absolute_url=request.build_absolute_uri,
        )
        detail = _("Periksa surel atau SMS Anda: kami mengirim tautan untuk mengaktifkan akun.")
        return Response({"detail": detail}, status=202)


class Activate(ApiView):
    """Aktifkan akun / activate: the ``uid`` and ``token`` of the link sent on registration."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        request=s.ActivateSerializer,
        responses=s.DetailSerializer,
        operation_id="citizen_activate",
    )
    def post(self, request: Request) -> Response:
        _limited(request, "account")
        data = s.ActivateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user_activate(uidb64=data.validated_data["uid"], token=data.validated_data["token"])
        return Response({"detail": _("Akun Anda sudah aktif. Silakan masuk.")})


class Token(ApiView):
    """Masuk / log in: e-mail or phone and password → an access and a refresh token."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        request=s.LoginSerializer, responses=s.TokenPairSerializer, operation_id="citizen_token"
    )
    def post(self, request: Request) -> Response:
        data = s.LoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        form = LoginForm(data.validated_data, request=request._request)
        account = form.account()
        wait = throttle.wait_seconds(request._request, scope="login", account=account)
        if wait:  # the password is not even checked
            raise exceptions.Throttled(wait=wait)
        if not form.is_valid() or form.user is None:
            throttle.record_failure(request._request, scope="login", account=account)
            raise ValidationFailed(
                _("Surel/nomor telepon atau kata sandi salah. Periksa lagi, lalu coba masuk."),
                code="authentication_failed",
            )
        throttle.clear(request._request, scope="login", account=account)
        return _private(Response(_pair(*token_issue(user=form.user, audience=Audience.CITIZEN))))


class TokenRefresh(ApiView):
    """Token baru / a new pair for a refresh token (which is spent: rotation)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        request=s.RefreshSerializer,
        responses=s.TokenPairSerializer,
        operation_id="citizen_token_refresh",
    )
    def post(self, request: Request) -> Response:
        data = s.RefreshSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pair = token_refresh(refresh=data.validated_data["refresh"], audience=Audience.CITIZEN)
        return _private(Response(_pair(*pair)))


class TokenRevoke(CitizenView):
    """Keluar / log out: this login's tokens (access and refresh) stop working; ``token`` (a
    refresh token of the same account) ends that login too."""

    @extend_schema(request=s.RevokeSerializer, responses={204: None}, operation_id="citizen_revoke")
    def post(self, request: Request) -> Response:
        data = s.RevokeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assert isinstance(request.auth, ApiToken)
        other = data.validated_data.get("token") or ""
        if ApiToken.objects.filter(token_hash=hash_token(other), user=request.user).exists():
            token_revoke(token=other)
        ApiToken.objects.filter(family=request.auth.family, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        return Response(status=204)


class Me(CitizenView):
    """Akun saya / my account: delete erases my identity from every report (UU PDP)."""

    @extend_schema(responses={204: None}, operation_id="citizen_me_destroy")
    def delete(self, request: Request) -> Response:
        account_erase(user=request.user)
        return Response(status=204)


class MyExport(CitizenView):
    """Data saya / everything the platform holds about my account, as JSON (UU PDP)."""

    @extend_schema(responses=OpenApiTypes.OBJECT, operation_id="citizen_export")
    def get(self, request: Request) -> HttpResponse:
        return _private(Response(export.for_account(request.user)))


# --- reports ---------------------------------------------------------------------------------


class Reports(GuestOrCitizenView):
    """Laporan saya / my reports (GET, with a token); kirim laporan / submit (POST, with a
    token or as a guest), multipart with ``attachments``, or JSON. ``Idempotency-Key``: a
    resend answers the first report, never a second one."""

    ordering = ("-submitted_at", "-id")
    pagination_class = KeysetPagination
    parser_classes = [LimitedJSONParser, MultiPartParser]

    @extend_schema(responses=s.MyReportSerializer(many=True), operation_id="citizen_reports_list")
    def get(self, request: Request) -> Response:
        user = _user(request)
        if user is None:
            self.permission_denied(request)
        qs: QuerySet[Report] = Report.objects.filter(reporter=user)
        paginator = KeysetPagination()
        rows = paginator.paginate_queryset(qs, request, self)
        data = s.MyReportSerializer(rows, many=True).data
        return _private(paginator.get_paginated_response(data))

    @extend_schema(
        request={"multipart/form-data": s.SubmitSerializer, "application/json": s.SubmitSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Kunci unik per laporan / one key per report: a resend is answered "
                "with the first report",
            )
        ],
        responses={201: s.SubmittedSerializer, 200: s.SubmittedSerializer},
        operation_id="citizen_reports_create",
    )
    def post(self, request: Request) -> Response:
        user = _user(request)
        _limited(request, "submit")  # per IP, and per account with a token
        payload = request.data
        if hasattr(payload, "getlist"):  # multipart: files in their own list
            data_in: dict[str, Any] = {k: payload.get(k) for k in payload if k != "attachments"}
            files = request.FILES.getlist("attachments")
            if files:
                data_in["attachments"] = files
        else:
            data_in = payload
        data = s.SubmitSerializer(data=data_in)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        region = Region.objects.filter(code=d["region"]).first()
        if region is None:
            raise ValidationFailed(
                _("Wilayah tidak ditemukan. Pilih dari /api/v1/regions/."),
                code=CoreErrorCode.INVALID,
                field="region",
            )
        category = None
        if d.get("category"):
            category = Category.objects.filter(code=d["category"], is_active=True).first()
            if category is None:
                raise ValidationFailed(
                    _("Kategori tidak ditemukan. Pilih dari /api/v1/categories/."),
                    code=CoreErrorCode.INVALID,
                    field="category",
                )
        key = request.headers.get("Idempotency-Key", "").strip()[:100]
        caller = f"user:{user.pk}" if user is not None else ""
        if key and user is None:  # a guest's key is theirs only with the same contact
            caller = "guest:" + ids.hash_secret(
                d.get("contact_email") or d.get("contact_phone") or ""
            )
        submitted = services.report_submit(
            type=d["type"],
            title=d["title"],
            body=d["text"],
            region=region,
            category=category,
            channel=Report.Channel.APP,
            reporter=user,
            contact_name=d.get("contact_name", ""),
            contact_email=d.get("contact_email", ""),
            contact_phone=d.get("contact_phone", ""),
            is_anonymous=d["is_anonymous"],
            is_confidential=d["is_confidential"],
            latitude=d.get("latitude"),
            longitude=d.get("longitude"),
            incident_date=d.get("incident_date"),
            attachments=[services.Upload(name=f.name, content=f) for f in d.get("attachments", [])],
            consent_version=NOTICE_VERSION,
            idempotency_key=key,
            caller=caller if key else "",
        )
        report = submitted.report
        body = {
            "tracking_id": report.tracking_id,
            "secret": submitted.secret,
            "status": report.status,
            "version": report.event_count,
        }
        return _private(Response(body, status=200 if submitted.replayed else 201))


class ReportDetail(GuestOrCitizenView):
    """Laporan saya / my report, as its reporter sees it (an account's own report, or a
    guest's with ``X-Report-Secret``)."""

    @extend_schema(
        parameters=[SECRET_HEADER],
        responses=s.ReporterReportSerializer,
        operation_id="citizen_report_retrieve",
    )
    def get(self, request: Request, tracking_id: str) -> Response:
        report = _held_report(request, tracking_id, _secret(request))
        context = {"events": report_events(report)}
        return _private(Response(s.ReporterReportSerializer(report, context=context).data))

    @extend_schema(
        parameters=[SECRET_HEADER],
        request=s.VersionedSerializer,
        responses=s.ReporterReportSerializer,
        operation_id="citizen_report_erase",
    )
    def delete(self, request: Request, tracking_id: str) -> Response:
        """Hapus identitas saya / erase my name and contact details from this report (UU PDP)."""
        return _act(request, tracking_id, s.VersionedSerializer, _erase)


class ReportExport(GuestOrCitizenView):
    """Data laporan saya / what the platform holds about me in this report, as JSON (UU PDP)."""

    @extend_schema(
        parameters=[SECRET_HEADER],
        responses=OpenApiTypes.OBJECT,
        operation_id="citizen_report_export",
    )
    def get(self, request: Request, tracking_id: str) -> Response:
        report = _held_report(request, tracking_id, _secret(request))
        return _private(Response(export.for_report(report, user=_user(request))))


def _act(
    request: Request, tracking_id: str, serializer: type[s.SecretSerializer], do: Any
) -> Response:
    data = serializer(data=request.data)
    data.is_valid(raise_exception=True)
    d = dict(data.validated_data)
    secret = _secret(request, d)
    report = _held_report(request, tracking_id, secret)
    d.pop("secret", None)
    do(report=report, user=_user(request), secret=secret, **d)
    report.refresh_from_db()
    context = {"events": report_events(report)}
    return _private(Response(s.ReporterReportSerializer(report, context=context).data))


def _erase(*, report: Report, user: Any, secret: str, expected_version: int) -> None:
    services.report_erase_identity(
        report=report, user=user, secret=secret, expected_version=expected_version
    )


def _action_view(
    name: str, serializer: type[s.SecretSerializer], do: Any, doc: str
) -> type[GuestOrCitizenView]:
    @extend_schema(
        parameters=[SECRET_HEADER],
        request=serializer,
        responses=s.ReporterReportSerializer,
        operation_id=f"citizen_report_{name}",
    )
    def post(self: Any, request: Request, tracking_id: str) -> Response:
        return _act(request, tracking_id, serializer, do)

    return type(f"Report{name.title()}", (GuestOrCitizenView,), {"post": post, "__doc__": doc})


ReportReply = _action_view(
    "reply",
    s.ReplySerializer,
    lambda report, user, secret, message, expected_version: services.report_reply(
        report=report, user=user, secret=secret, message=message, expected_version=expected_version
    ),
    "Tanggapi / reply to the agency (e.g. a clarification request).",
)
ReportRate = _action_view(
    "rate",
    s.RateSerializer,
    lambda report, user, secret, rating, expected_version, comment="": services.report_rate(
        report=report,
        user=user,
        secret=secret,
        rating=rating,
        comment=comment,
        expected_version=expected_version,
    ),
    "Nilai / rate the answer of a completed report (1-5).",
)
ReportReopen = _action_view(
    "reopen",
    s.ReopenSerializer,
    lambda report, user, secret, reason, expected_version: services.report_reopen(
        report=report, user=user, secret=secret, reason=reason, expected_version=expected_version
    ),
    "Banding / reopen a completed report, with the reason.",
)
ReportConsent = _action_view(
    "consent",
    s.ConsentSerializer,
    lambda report, user, secret, is_anonymous, is_confidential, expected_version: (
        services.report_privacy_consent(
            report=report,
            user=user,
            secret=secret,
            is_anonymous=is_anonymous,
            is_confidential=is_confidential,
            expected_version=expected_version,
        )
    ),
    "Persetujuan privasi / the reporter lifts (or keeps) anonim and rahasia.",
)


class ReportSupport(GuestOrCitizenView):
    """Dukung / support a public open report: counted at once with an account; a guest gives an
    e-mail or phone and is counted once they open the link sent there (double opt-in)."""

    @extend_schema(
        request=s.SupportSerializer,
        responses=s.SupportedSerializer,
        operation_id="citizen_report_support",
    )
    def post(self, request: Request, tracking_id: str) -> Response:
        user = _user(request)
        _limited(request, "support")
        data = s.SupportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = public_report(ids.normalize(tracking_id))
        if report is None:
            raise NotFound(_("Laporan tidak ditemukan. Periksa lagi nomor pelacakannya."))
        report = services.report_support(
            report=report,
            user=user,
            contact_email=data.validated_data.get("contact_email", ""),
            contact_phone=data.validated_data.get("contact_phone", ""),
            absolute_url=request.build_absolute_uri,
        )
        body = {
            "tracking_id": report.tracking_id,
            "support_count": report.support_count,
            "confirmation_sent": user is None,
        }
        return Response(body)
