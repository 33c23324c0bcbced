"""Every API endpoint by every kind of caller → the status each must get.

The endpoints are read from the URLconf under ``/api/v1/`` (every path and every method its
view answers): one without an entry in ``MATRIX`` fails ``test_every_endpoint_has_an_entry``,
so a new endpoint cannot ship without saying who may call it. Each entry gives the request
(body) and the expected status per role; where the lifecycle decides between a refusal and a
success for a role that may act, the entry says so with a set. Whatever the answer, a caller
refused (401/403/404) writes nothing and never sees the report's title.

Roles: anonymous, a citizen, the reporter of the report (an account), an officer of the unit
handling it, an agency admin of another agency, the agency admin of its agency, a national
admin, an inspector of its agency, a partner system speaking for its agency."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from lapor.agencies.models import Membership
from lapor.api.officer.serializers import ACTION_SERIALIZERS
from lapor.api.partners import partner_create
from lapor.api.tokens import Audience, token_issue
from lapor.reports.lifecycle import Status, allowed_actions
from lapor.reports.models import Report, ReportEvent
from lapor.reports.permissions import ROLE_ACTIONS
from tests.api.conftest import ApiClient
from tests.factories import (
    AgencyFactory,
    CategoryFactory,
    UnitFactory,
    UserFactory,
    national_admin,
    officer,
)
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db
Role = Membership.Role

ROLES = [
    "anonymous",
    "citizen",
    "reporter",
    "unit_officer",
    "other_admin",
    "agency_admin",
    "national_admin",
    "inspector",
    "partner",
]
OFFICERS = ["unit_officer", "other_admin", "agency_admin", "national_admin", "inspector"]
OFFICER_ROLE = {
    "unit_officer": Role.UNIT_OFFICER,
    "other_admin": Role.AGENCY_ADMIN,
    "agency_admin": Role.AGENCY_ADMIN,
    "national_admin": Role.NATIONAL_ADMIN,
    "inspector": Role.INSPECTOR,
}
TITLE = "Jembatan Kali Tuntang retak"
Expect = dict[str, int | frozenset[int]]
Body = Callable[[dict[str, Any]], Any]


def same(status: int) -> Expect:
    """No authentication: everybody gets the same answer."""
    return dict.fromkeys(ROLES, status)


def citizen_only(status: int, reporter: int | None = None) -> Expect:
    return {
        **dict.fromkeys(ROLES, 403),
        "anonymous": 401,
        "citizen": status,
        "reporter": status if reporter is None else reporter,
    }


def reporter_only(status: int | frozenset[int]) -> Expect:
    """A guest without the secret and another citizen: 404; other audiences: 403."""
    return {
        **dict.fromkeys(ROLES, 403),
        "anonymous": 404,
        "citizen": 404,
        "reporter": status,
    }


def officer_read(status: int = 200, outside: int = 404) -> Expect:
    return {
        **dict.fromkeys(ROLES, 403),
        "anonymous": 401,
        **dict.fromkeys(OFFICERS, status),
        "other_admin": outside,
    }


def officer_action(action: str) -> Expect:
    """A report in progress at the unit: an action the lifecycle does not allow there is 409
    for every officer reaching it (checked first); otherwise 200 when the role allows the
    action, 403 when it does not."""
    expect: Expect = {**dict.fromkeys(ROLES, 403), "anonymous": 401, "other_admin": 404}
    for role in ("unit_officer", "agency_admin", "national_admin", "inspector"):
        if action not in allowed_actions(Status.IN_PROGRESS):
            expect[role] = 409
        else:
            expect[role] = 200 if action in ROLE_ACTIONS[OFFICER_ROLE[role]] else 403
    return expect


def partner_only(status: int | frozenset[int]) -> Expect:
    return {**dict.fromkeys(ROLES, 403), "anonymous": 401, "partner": status}


def _submit_body(w: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "pengaduan",
        "title": "Lampu jalan padam",
        "text": "Lampu jalan di depan pasar padam sejak seminggu, gelap sekali di malam hari.",
        "region": w["report"].region_id,
        "contact_email": "tamu@contoh.id",
    }


def _action_body(action: str) -> Body:
    def body(w: dict[str, Any]) -> dict[str, Any]:
        values = {
            "expected_version": w["report"].event_count,
            "reason": "Alasan yang cukup panjang untuk tindakan ini.",
            "note": "Catatan uji coba untuk matriks.",
            "message": "Jawaban yang cukup panjang untuk tindak lanjut laporan ini.",
            "question": "Mohon kirim foto lokasi yang lebih jelas.",
            "to_agency": "pemkot-3374",
            "unit": "pemkab-3321-dpu",
            "until": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "is_anonymous": True,
            "is_confidential": True,
            "into": w["other"].tracking_id,
            "category": w["category"].code,
            "suggested": "",
        }
        return {k: v for k, v in values.items() if k in ACTION_SERIALIZERS[action]().fields}

    return body


R = "<str:tracking_id>"
# (path pattern under /api/v1/, method) → (request body or None, expected status per role)
MATRIX: dict[tuple[str, str], tuple[Body | None, Expect]] = {
    ("openapi.json", "get"): (None, same(200)),
    ("docs/", "get"): (None, same(200)),
    # public
    ("categories/", "get"): (None, same(200)),
    ("regions/", "get"): (None, same(200)),
    ("agencies/", "get"): (None, same(200)),
    ("reports/", "get"): (None, same(200)),
    ("reports/similar/", "get"): (None, same(400)),  # region and text missing
    (
        "reports/similar/",
        "post",
    ): (lambda w: {"region": w["report"].region_id, "text": "jembatan retak"}, same(200)),
    (f"reports/{R}/", "get"): (None, same(200)),
    (f"track/{R}/", "get"): (None, same(200)),
    # open data (lapor.analytics): public, the same for everyone
    ("data/nasional/", "get"): (None, same(200)),
    ("data/provinsi/<str:code>/", "get"): (None, same(200)),
    ("data/wilayah/<str:code>/", "get"): (None, same(200)),
    ("data/instansi/<str:code>/", "get"): (None, same(200)),
    ("data/otomasi/", "get"): (None, same(200)),
    # citizen: account
    ("citizen/register", "post"): (
        lambda w: {"name": "Warga Baru", "identifier": "baru@contoh.id", "password": "sandi-42-ok"},
        same(202),
    ),
    ("citizen/activate", "post"): (lambda w: {"uid": "MQ", "token": "x-y"}, same(404)),
    ("citizen/token", "post"): (
        lambda w: {"identifier": "siapa@contoh.id", "password": "salah-123"},
        same(400),
    ),
    ("citizen/token/refresh", "post"): (lambda w: {"refresh": "lpr_palsu"}, same(401)),
    ("citizen/token/revoke", "post"): (lambda w: {}, citizen_only(204)),
    ("citizen/me", "delete"): (None, citizen_only(204)),
    ("citizen/me/export", "get"): (None, citizen_only(200)),
    # citizen: reports
    ("citizen/reports", "get"): (None, {**citizen_only(200), "anonymous": 401}),
    ("citizen/reports", "post"): (
        _submit_body,
        {**dict.fromkeys(ROLES, 403), "anonymous": 201, "citizen": 201, "reporter": 201},
    ),
    (f"citizen/reports/{R}", "get"): (None, reporter_only(200)),
    (f"citizen/reports/{R}", "delete"): (
        lambda w: {"expected_version": w["report"].event_count},
        reporter_only(200),
    ),
    (f"citizen/reports/{R}/export", "get"): (None, reporter_only(200)),
    # reply, rate and reopen: not while in progress (the lifecycle's 409): the reporter is known
    (f"citizen/reports/{R}/reply", "post"): (
        lambda w: {"message": "Tanggapan pelapor.", "expected_version": w["report"].event_count},
        reporter_only(409),
    ),
    (f"citizen/reports/{R}/rate", "post"): (
        lambda w: {"rating": 4, "expected_version": w["report"].event_count},
        reporter_only(409),
    ),
    (f"citizen/reports/{R}/reopen", "post"): (
        lambda w: {
            "reason": "Belum selesai sama sekali.",
            "expected_version": w["report"].event_count,
        },
        reporter_only(409),
    ),
    (f"citizen/reports/{R}/consent", "post"): (
        lambda w: {
            "is_anonymous": True,
            "is_confidential": False,
            "expected_version": w["report"].event_count,
        },
        reporter_only(200),
    ),
    (f"citizen/reports/{R}/support", "post"): (
        lambda w: {},
        {
            **dict.fromkeys(ROLES, 403),
            "anonymous": 400,  # a guest must give an address
            "citizen": 200,
            "reporter": 400,  # not one's own report
        },
    ),
    # officer
    ("officer/token", "post"): (
        lambda w: {"username": "siapa", "password": "salah-123", "totp": "123456"},
        same(400),
    ),
    ("officer/token/refresh", "post"): (lambda w: {"refresh": "lpr_palsu"}, same(401)),
    ("officer/token/revoke", "post"): (None, {**officer_read(204), "other_admin": 204}),
    ("officer/queues/<slug:slug>", "get"): (None, {**officer_read(200), "other_admin": 200}),
    (f"officer/reports/{R}", "get"): (None, officer_read(200)),
    (f"officer/reports/{R}/contact", "get"): (None, officer_read(200)),
    **{
        (f"officer/reports/{R}/actions/{action}", "post"): (
            _action_body(action),
            officer_action(action),
        )
        for action in ACTION_SERIALIZERS
    },
    # partner (lapor/api/partner)
    ("partner/token", "post"): (lambda w: {"grant_type": "client_credentials"}, same(401)),
    ("partner/reports", "post"): (lambda w: {}, partner_only(400)),
    (f"partner/reports/{R}", "get"): (None, partner_only(200)),
    (f"partner/reports/{R}/actions", "post"): (lambda w: {}, partner_only(400)),
    ("partner/changes", "get"): (None, partner_only(200)),
}


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


def api_endpoints() -> set[tuple[str, str]]:
    found = set()
    for route, callback in _walk(get_resolver().url_patterns):
        if not route.startswith("api/v1/"):
            continue
        view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        methods = [
            m
            for m in ("get", "post", "put", "patch", "delete")
            if view is not None and hasattr(view, m)
        ]
        for method in methods:
            found.add((route.removeprefix("api/v1/"), method))
    return found


def test_every_endpoint_has_an_entry():
    endpoints = api_endpoints()
    assert endpoints, "no endpoint found under /api/v1/"
    missing = sorted(endpoints - set(MATRIX))
    stale = sorted(set(MATRIX) - endpoints)
    assert not missing, f"add these endpoints to MATRIX: {missing}"
    assert not stale, f"these MATRIX entries match no endpoint: {stale}"


@pytest.fixture
def world() -> dict[str, Any]:
    kab = AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")
    unit = UnitFactory(parent=kab, code="pemkab-3321-dpu", name="Dinas PU Demak")
    kota = AgencyFactory(code="pemkot-3374", name="Pemerintah Kota Semarang")
    reporter = UserFactory(first_name="Rina", last_name="Wati")
    report, _secret = report_in(
        Status.IN_PROGRESS,
        agency=kab,
        unit=unit,
        title=TITLE,
        reporter=reporter,
        is_confidential=False,
        is_anonymous=False,
    )
    other, _ = report_in(Status.IN_PROGRESS, agency=kab, unit=unit, is_confidential=False)
    nat = national_admin()
    partner = partner_create(code="simpel", name="SIMPEL Demak", agencies=[kab], actor=nat)
    return {
        "kab": kab,
        "unit": unit,
        "kota": kota,
        "report": report,
        "other": other,
        "reporter": reporter,
        "national_admin": nat,
        "partner": partner,
        "category": CategoryFactory(),
    }


def _token(role: str, w: dict[str, Any]) -> str:
    if role == "anonymous":
        return ""
    if role == "partner":
        return token_issue(user=w["partner"].user, audience=Audience.PARTNER, partner=w["partner"])[
            0
        ]
    if role in ("citizen", "reporter"):
        user = UserFactory() if role == "citizen" else w["reporter"]
        return token_issue(user=user, audience=Audience.CITIZEN)[0]
    if role == "national_admin":
        user = w["national_admin"]
    else:
        where = {"unit_officer": w["unit"], "other_admin": w["kota"]}.get(role, w["kab"])
        user = officer(where, OFFICER_ROLE[role])
    return token_issue(user=user, audience=Audience.OFFICER)[0]


def _path(pattern: str, w: dict[str, Any]) -> str:
    path = pattern.replace(R, w["report"].tracking_id).replace("<slug:slug>", "tugas")
    region = w["report"].region
    code = {
        "data/provinsi/": region.code.split(".")[0],
        "data/wilayah/": region.code,
        "data/instansi/": w["kab"].code,
    }
    for prefix, value in code.items():
        if path.startswith(prefix):
            path = path.replace("<str:code>", value)
    return "/api/v1/" + path


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("pattern", "method"), sorted(MATRIX))
def test_matrix(pattern, method, role, world):
    body_of, expect = MATRIX[(pattern, method)]
    api = ApiClient().as_token(_token(role, world))
    events = ReportEvent.objects.filter(report=world["report"]).count()
    kwargs: dict[str, Any] = {}
    if body_of is not None:
        kwargs = {"data": json.dumps(body_of(world)), "content_type": "application/json"}
    if pattern == "docs/":  # the one HTML page
        kwargs["HTTP_ACCEPT"] = "text/html"
    if api.token:
        kwargs["HTTP_AUTHORIZATION"] = f"Bearer {api.token}"

    response = getattr(super(ApiClient, api), method)(_path(pattern, world), **kwargs)

    wanted = expect[role]
    allowed = wanted if isinstance(wanted, frozenset) else frozenset({wanted})
    assert response.status_code in allowed, (response.status_code, response.content[:300])
    if response.status_code in (401, 403, 404) or response.status_code >= 400:
        assert ReportEvent.objects.filter(report=world["report"]).count() == events
        if response.status_code != 200:
            assert TITLE not in response.content.decode()
    if response.status_code >= 400:
        assert set(response.json()) >= {"code", "message", "field"}
    if pattern.startswith("officer/queues") and role == "other_admin":
        assert TITLE not in response.content.decode()
    assert Report.objects.get(pk=world["report"].pk).tracking_id == world["report"].tracking_id
