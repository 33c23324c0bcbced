"""The GeoReport v2 endpoints. Each answers in the format of its URL's suffix (``.xml`` or
``.json``; any other suffix is a 404 in XML, the format the spec requires) and every error in the
spec's ``errors`` list, in the request's language (``Accept-Language``, Indonesian by default)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import wraps
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from lapor.agencies.models import Membership
from lapor.api.models import Partner
from lapor.api.open311 import serializers
from lapor.api.open311.formats import FORMATS, errors, respond
from lapor.api.open311.keys import partner_for_key
from lapor.api.open311.limits import wait_seconds
from lapor.api.partner import idempotency
from lapor.categories.models import Category
from lapor.core import ids
from lapor.core.errors import IdempotencyMismatch, LaporError
from lapor.portal.limits import wait_message
from lapor.regions.models import Region
from lapor.reports import privacy
from lapor.reports.lifecycle import OPEN
from lapor.reports.models import Attachment, Report, ReportEvent
from lapor.reports.services import report_submit
from lapor.routing.gazetteer import locate

WINDOW = timedelta(days=90)  # the spec's default window of requested_datetime
MAX_REQUESTS = 1000  # the spec's default (and here the largest) number of requests listed
TITLE_LENGTH = 80  # a report's title, cut from the description (Open311 has no title)

View = Callable[..., HttpResponse]


class Refused(Exception):
    """An answer in the spec's error format: ``status`` and what to do about it."""

    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status
        self.description = description


def _endpoint(*methods: str, group: str = "read") -> Callable[[View], View]:
    """The suffix checked, the method checked, the IP's rate counted, ``jurisdiction_id``
    checked, and ``Refused`` turned into the spec's error answer."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            if fmt not in FORMATS:
                return errors("xml", 404, _("Format tidak dikenal: gunakan .xml atau .json."))
            if request.method not in methods:
                response = errors(fmt, 405, _("Metode HTTP ini tidak didukung di alamat ini."))
                response["Allow"] = ", ".join(methods)
                return response
            try:
                if group == "read":
                    _limit(request, "read")
                _check_jurisdiction(request)
                return view(request, fmt, **kwargs)
            except Refused as refused:
                response = errors(fmt, refused.status, refused.description)
                if refused.status == 429:
                    response["Retry-After"] = str(getattr(request, "_open311_wait", 60))
                return response

        return csrf_exempt(wrapper) if "POST" in methods else wrapper

    return decorate


def _limit(request: HttpRequest, group: str, key_id: str = "") -> None:
    wait = wait_seconds(request, group, key_id)
    if wait is not None:
        setattr(request, "_open311_wait", wait)  # noqa: B010 - HttpRequest declares none
        raise Refused(429, _("Terlalu banyak permintaan. %(wait)s") % {"wait": wait_message(wait)})


def jurisdiction(request: HttpRequest) -> str:
    """The one jurisdiction this server answers for: its own host name."""
    return request.get_host()


def _check_jurisdiction(request: HttpRequest) -> None:
    given = (request.POST if request.method == "POST" else request.GET).get("jurisdiction_id")
    if given and given != jurisdiction(request):
        raise Refused(
            404,
            _("jurisdiction_id tidak ditemukan: server ini hanya melayani %(id)s.")
            % {"id": jurisdiction(request)},
        )


def _base_url(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


@_endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    url = _base_url(request) + reverse("open311:root")
    return respond(
        fmt,
        "discovery",
        {
            "changeset": serializers.CHANGESET,
            "contact": _("Hubungi pengelola LAPOR! melalui %(url)s.")
            % {"url": _base_url(request) + "/"},
            "key_service": _(
                "Membaca terbuka untuk umum. Untuk mengirim laporan, sistem mitra meminta "
                "api_key kepada admin nasional LAPOR!."
            ),
            "endpoints": [
                {
                    "specification": serializers.SPECIFICATION,
                    "url": url.rstrip("/"),
                    "changeset": serializers.CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


def _services() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).select_related("parent")


@_endpoint("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    listed = _services().exclude(parent__is_active=False).order_by("parent__name", "name")
    return respond(fmt, "services", [serializers.service(c) for c in listed])


@_endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    category = _services().filter(code=service_code).first()
    if category is None:
        raise Refused(404, _("service_code tidak ditemukan: lihat daftar di services.xml."))
    return respond(fmt, "service_definition", serializers.service_definition(category))


@_endpoint("GET", "POST", group="")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    _limit(request, "read")
    return _list(request, fmt)


def _public(queryset: QuerySet[Report] | None = None) -> QuerySet[Report]:
    """Public reports with what their Open311 view reads, in a fixed number of queries."""
    return (
        privacy.public_reports(queryset)
        .select_related("category", "region__parent__parent", "agency", "unit")
        .prefetch_related(
            Prefetch("events", queryset=ReportEvent.objects.select_related("agency")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("pk")),
        )
    )


def _answer(request: HttpRequest, fmt: str, reports: list[Report]) -> HttpResponse:
    base = _base_url(request)
    return respond(fmt, "service_requests", [serializers.service_request(r, base) for r in reports])


@_endpoint("GET")
def request_detail(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    report = _public().filter(tracking_id=ids.normalize(service_request_id)).first()
    if report is None:  # unknown, rahasia or merged away: the same answer
        raise Refused(404, _("service_request_id tidak ditemukan."))
    return _answer(request, fmt, [report])


@_endpoint("GET")
def token(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    """Requests get their ID at once, so a token is the ID itself; like a request, only a
    public one is found."""
    report = privacy.public_reports().filter(tracking_id=ids.normalize(token)).first()
    if report is None:
        raise Refused(404, _("token tidak ditemukan."))
    return respond(
        fmt,
        "service_requests",
        [{"service_request_id": report.tracking_id, "token": token}],
    )


def _moment(params: Any, name: str) -> datetime | None:
    raw = str(params.get(name, "")).strip()
    if not raw:
        return None
    # An unencoded "+07:00" in a query string arrives as " 07:00".
    value = raw.replace(" ", "+") if "T" in raw else raw
    try:
        moment = parse_datetime(value)
        if moment is None and (day := parse_date(value)) is not None:
            moment = datetime.combine(day, time())
    except ValueError:
        moment = None
    if moment is None:
        raise Refused(
            400,
            _(
                "%(name)s bukan tanggal-waktu W3C yang valid. Tulis misalnya "
                "2026-12-01T00:00:00+07:00."
            )
            % {"name": name},
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _list(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.GET
    listed_ids = [ids.normalize(i) for i in params.get("service_request_id", "").split(",")]
    asked = [i for i in listed_ids if i]
    if asked:  # the spec: with service_request_id, every other filter is ignored
        found = _public().filter(tracking_id__in=asked[:MAX_REQUESTS]).order_by("-submitted_at")
        return _answer(request, fmt, list(found))
    start, end = _moment(params, "start_date"), _moment(params, "end_date")
    if start is not None and end is not None and end < start:
        raise Refused(400, _("end_date harus sesudah start_date."))
    if end is None:  # up to now; only a missing start_date falls back to the 90 days
        end = timezone.now()
    if start is None:
        start = end - WINDOW
    reports = _public().filter(submitted_at__gte=start, submitted_at__lte=end)
    if codes := [c.strip() for c in params.get("service_code", "").split(",") if c.strip()]:
        reports = reports.filter(category__code__in=codes)
    if wanted := {s.strip() for s in params.get("status", "").split(",") if s.strip()}:
        if not wanted <= {"open", "closed"}:
            raise Refused(400, _("status harus open atau closed (boleh keduanya, dipisah koma)."))
        if wanted == {"open"}:
            reports = reports.filter(status__in=OPEN)
        elif wanted == {"closed"}:
            reports = reports.exclude(status__in=OPEN)
    return _answer(request, fmt, list(reports.order_by("-submitted_at", "-pk")[:MAX_REQUESTS]))


def _partner(request: HttpRequest) -> Partner:
    api_key = request.POST.get("api_key", "")
    _limit(request, "write", api_key.partition(".")[0][:40])
    partner = partner_for_key(api_key) if api_key else None
    if partner is None:
        raise Refused(
            403,
            _(
                "api_key tidak ada atau tidak valid (dicabut, atau sistem mitranya tidak "
                "aktif). Minta api_key kepada admin nasional LAPOR!."
            ),
        )
    return partner


def _coordinate(raw: str) -> Decimal | None:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise Refused(400, _("lat dan long harus berupa angka desimal (WGS84).")) from None
    return value if value.is_finite() else None


def _region(params: Any) -> tuple[Region, Decimal | None, Decimal | None]:
    lat, lon = params.get("lat", "").strip(), params.get("long", "").strip()
    address = params.get("address_string", "").strip()
    if not (lat and lon) and not address:
        if params.get("address_id", "").strip():
            raise Refused(
                400,
                _("address_id tidak didukung: kirim lat dan long, atau address_string."),
            )
        raise Refused(400, _("Lokasi wajib diisi: lat dan long, atau address_string."))
    latitude = _coordinate(lat) if lat and lon else None
    longitude = _coordinate(lon) if lat and lon else None
    if lat and lon and (latitude is None or longitude is None):
        raise Refused(400, _("lat dan long harus berupa angka desimal (WGS84)."))
    place = locate(text=address, region_code=None, latitude=latitude, longitude=longitude).region
    region = Region.objects.filter(code=place.code).first() if place is not None else None
    if region is None:
        raise Refused(
            400,
            _(
                "Lokasi tidak dapat dipetakan ke wilayah Indonesia. Kirim lat dan long di "
                "Indonesia, atau address_string yang menyebut kabupaten/kota."
            ),
        )
    if latitude is not None and longitude is not None:
        latitude, longitude = round(latitude, 6), round(longitude, 6)
    return region, latitude, longitude


def _title(description: str) -> str:
    first = description.strip().splitlines()[0] if description.strip() else ""
    if len(first) <= TITLE_LENGTH:
        return first
    return first[:TITLE_LENGTH].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


def _resend_key(request: HttpRequest) -> str:
    """The key that makes a resend answer the report the first request made: the
    ``Idempotency-Key`` header when the partner sends one (as on the partner API), else the
    request's own content (every field but ``api_key``), so a retry after a lost answer never
    files the report twice while the key is kept (``IDEMPOTENCY_KEY_HOURS``)."""
    try:
        key = idempotency.parse_key(request.headers.get(idempotency.HEADER))
    except LaporError as exc:
        raise Refused(400, exc.message) from None
    if key:
        return f"key:{key}"
    fields = sorted((k, v) for k, values in request.POST.lists() if k != "api_key" for v in values)
    digest = hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()
    return f"content:{digest}"


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.POST
    partner = _partner(request)
    service_code = params.get("service_code", "").strip()
    if not service_code:
        raise Refused(400, _("service_code wajib diisi: lihat daftar di services.xml."))
    category = _services().filter(code=service_code).first()
    if category is None:
        raise Refused(400, _("service_code tidak ditemukan: lihat daftar di services.xml."))
    report_type = params.get(f"attribute[{serializers.TYPE_ATTRIBUTE}]", "").strip()
    if report_type and report_type not in Report.Type.values:
        raise Refused(
            400,
            _("attribute[%(code)s] harus salah satu dari: %(values)s.")
            % {"code": serializers.TYPE_ATTRIBUTE, "values": ", ".join(Report.Type.values)},
        )
    region, latitude, longitude = _region(params)
    description = params.get("description", "").strip()
    if not description:
        raise Refused(400, _("description wajib diisi: ceritakan apa, di mana dan kapan."))
    media_url = params.get("media_url", "").strip()
    if media_url and not media_url.lower().startswith(("https://", "http://")):
        raise Refused(400, _("media_url harus berupa alamat http atau https."))
    body = f"{description}\n\n{media_url}" if media_url else description
    name = " ".join(params.get(k, "").strip() for k in ("first_name", "last_name")).strip()
    key = _resend_key(request)
    try:
        submitted = report_submit(
            type=report_type or Report.Type.PENGADUAN,
            title=_title(description),
            body=body,
            region=region,
            category=category,
            channel=Report.Channel.PARTNER,
            # The citizen stays a guest with every reporter right; the partner's service
            # account files for them and is named in the submit event.
            actor=partner.user,
            actor_role=Membership.Role.PARTNER,
            contact_name=name[:120],
            contact_email=params.get("email", "").strip(),
            contact_phone=params.get("phone", "").strip(),
            latitude=latitude,
            longitude=longitude,
            idempotency_key=key,
            caller=f"open311:{partner.pk}",
        )
    except IdempotencyMismatch:
        raise Refused(
            422,
            _(
                "Idempotency-Key ini sudah dipakai untuk permintaan dengan isi lain. Kirim "
                "laporan baru dengan kunci baru."
            ),
        ) from None
    except LaporError as exc:
        raise Refused(400, exc.message) from None
    report = submitted.report
    track = _base_url(request) + reverse("portal:track_report", args=[report.tracking_id])
    if submitted.secret:
        notice = _(
            "Laporan diterima dengan nomor %(id)s dan kode rahasia %(secret)s (berikan kepada "
            "pelapor: hanya ditampilkan sekali). Pantau tindak lanjutnya di %(url)s"
        ) % {"id": report.tracking_id, "secret": submitted.secret, "url": track}
    else:
        notice = _("Laporan diterima dengan nomor %(id)s. Pantau tindak lanjutnya di %(url)s") % {
            "id": report.tracking_id,
            "url": track,
        }
    return respond(
        fmt,
        "service_requests",
        [{"service_request_id": report.tracking_id, "service_notice": notice, "account_id": None}],
    )
