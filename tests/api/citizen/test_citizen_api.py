"""The citizen API over HTTP: a mobile app's whole job (register, activate, log in, submit
with a photo, track, reply, rate, reopen, export, erase), guests, idempotency, the reporter's
privacy and bad input."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from django.test.client import MULTIPART_CONTENT
from PIL import Image

from lapor.agencies.models import Membership
from lapor.notifications.models import Notification
from lapor.reports import services
from lapor.reports.lifecycle import Status
from lapor.reports.models import Report, ReportEvent, Supporter
from tests.factories import AgencyFactory, RegencyFactory, UnitFactory, UserFactory, officer
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db
PASSWORD = "sandi-yang-kuat-42"


def _photo() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "lubang.jpg"
    return buffer


def _report_fields(region: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "pengaduan",
        "title": "Lubang besar di Jalan Sultan Fatah",
        "text": "Lubang selebar satu meter di depan sekolah sudah dua minggu, berbahaya.",
        "region": region,
        "is_anonymous": "false",
        "is_confidential": "false",
        **extra,
    }


def test_a_mobile_app_does_a_reporters_whole_job(api):
    region = RegencyFactory()

    # Register, then open the activation link the app receives by e-mail
    response = api.post(
        "/api/v1/citizen/register",
        {"name": "Dewi Lestari", "identifier": "dewi@contoh.id", "password": PASSWORD},
    )
    assert response.status_code == 202
    link = Notification.objects.get(recipient="dewi@contoh.id").body
    uid, token = re.search(r"/aktifkan/([^/]+)/([^/]+)/", link).groups()  # type: ignore[union-attr]
    assert api.post("/api/v1/citizen/activate", {"uid": uid, "token": token}).status_code == 200

    # Log in
    pair = api.post(
        "/api/v1/citizen/token", {"identifier": "dewi@contoh.id", "password": PASSWORD}
    ).json()
    api.as_token(pair["access"])

    # Submit with a photo (multipart), with an idempotency key
    response = api.post(
        "/api/v1/citizen/reports",
        {**_report_fields(region.code), "attachments": _photo()},
        content_type=MULTIPART_CONTENT,
        HTTP_IDEMPOTENCY_KEY="kunci-1",
    )
    assert response.status_code == 201, response.json()
    tid = response.json()["tracking_id"]
    assert response.json()["secret"] == ""  # an account needs no guest secret

    # Track it among my reports and read it
    mine = api.get("/api/v1/citizen/reports").json()["results"]
    assert [r["tracking_id"] for r in mine] == [tid]
    detail = api.get(f"/api/v1/citizen/reports/{tid}").json()
    assert detail["attachments"][0]["content_type"] == "image/jpeg"
    assert detail["reporter_name"] == "Dewi Lestari"

    # The agency asks a question; the reporter replies
    kab = AgencyFactory()
    report = Report.objects.get(tracking_id=tid)
    Report.objects.filter(pk=report.pk).update(status=Status.DISPOSED, agency=kab)
    admin = officer(kab, Membership.Role.AGENCY_ADMIN)
    services.report_request_info(
        report=Report.objects.get(pk=report.pk),
        actor=admin,
        question="Mohon kirim titik lokasi yang lebih tepat.",
    )
    version = api.get(f"/api/v1/citizen/reports/{tid}").json()["version"]
    replied = api.post(
        f"/api/v1/citizen/reports/{tid}/reply",
        {"message": "Tepat di depan SD Negeri 2 Demak.", "expected_version": version},
    )
    assert replied.status_code == 200, replied.json()
    assert replied.json()["timeline"][-1]["from_reporter"] is True

    # The agency answers and completes; the reporter rates, then appeals
    report = Report.objects.get(pk=report.pk)
    services.report_follow_up(
        report=report, actor=admin, message="Lubang sudah ditambal oleh Dinas PU kemarin."
    )
    services.report_complete(report=Report.objects.get(pk=report.pk), actor=admin)
    version = api.get(f"/api/v1/citizen/reports/{tid}").json()["version"]
    rated = api.post(
        f"/api/v1/citizen/reports/{tid}/rate",
        {"rating": 2, "comment": "Tambalan sudah retak lagi.", "expected_version": version},
    )
    assert rated.status_code == 200, rated.json()
    assert rated.json()["rating"] == 2
    reopened = api.post(
        f"/api/v1/citizen/reports/{tid}/reopen",
        {
            "reason": "Tambalan sudah retak lagi setelah hujan semalam.",
            "expected_version": rated.json()["version"],
        },
    )
    assert reopened.status_code == 200, reopened.json()
    assert reopened.json()["status"] != Status.COMPLETED

    # Export my data, then erase my identity from the report
    exported = api.get(f"/api/v1/citizen/reports/{tid}/export")
    assert exported.status_code == 200 and tid in exported.content.decode()
    assert api.get("/api/v1/citizen/me/export").status_code == 200
    erased = api.delete(
        f"/api/v1/citizen/reports/{tid}",
        data=json.dumps({"expected_version": reopened.json()["version"]}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {pair['access']}",
    )
    assert erased.status_code == 200, erased.json()
    assert Report.objects.get(tracking_id=tid).identity_erased_at is not None


def test_registering_a_taken_address_answers_the_same(api):
    UserFactory(email="ada@contoh.id")
    body = {"name": "Orang Lain", "identifier": "ada@contoh.id", "password": PASSWORD}

    taken = api.post("/api/v1/citizen/register", body)
    free = api.post("/api/v1/citizen/register", {**body, "identifier": "baru@contoh.id"})

    assert taken.status_code == free.status_code == 202
    assert taken.json() == free.json()


def test_a_wrong_password_and_an_unknown_address_answer_the_same(api, citizen):
    wrong = api.post("/api/v1/citizen/token", {"identifier": citizen.email, "password": "salah-1"})
    unknown = api.post(
        "/api/v1/citizen/token", {"identifier": "siapa@contoh.id", "password": "salah-1"}
    )

    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json()
    assert not citizen.api_tokens.exists()


def test_login_is_throttled_like_the_portal(api, citizen, settings):
    settings.LAPOR_THROTTLE_ACCOUNT_IP = (2, 900)
    for _ in range(2):
        api.post("/api/v1/citizen/token", {"identifier": citizen.email, "password": "salah-1"})

    response = api.post(
        "/api/v1/citizen/token", {"identifier": citizen.email, "password": "rahasia-uji-123"}
    )

    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    assert not citizen.api_tokens.exists()


def test_refresh_rotates_and_revoke_logs_out(api, citizen):
    pair = api.post(
        "/api/v1/citizen/token", {"identifier": citizen.email, "password": "rahasia-uji-123"}
    ).json()

    fresh = api.post("/api/v1/citizen/token/refresh", {"refresh": pair["refresh"]})
    again = api.post("/api/v1/citizen/token/refresh", {"refresh": pair["refresh"]})
    assert fresh.status_code == 200 and again.status_code == 401

    pair = api.post(
        "/api/v1/citizen/token", {"identifier": citizen.email, "password": "rahasia-uji-123"}
    ).json()
    api.as_token(pair["access"])
    assert api.post("/api/v1/citizen/token/revoke", {}).status_code == 204
    assert api.get("/api/v1/citizen/reports").status_code == 401


def test_a_guest_submits_and_tracks_with_the_secret_once(api):
    region = RegencyFactory()
    fields = {
        **_report_fields(region.code),
        "is_anonymous": True,
        "is_confidential": True,
        "contact_email": "tamu@contoh.id",
    }

    first = api.post("/api/v1/citizen/reports", fields, HTTP_IDEMPOTENCY_KEY="kunci-tamu")
    resend = api.post("/api/v1/citizen/reports", fields, HTTP_IDEMPOTENCY_KEY="kunci-tamu")

    assert first.status_code == 201 and resend.status_code == 200
    assert resend.json()["tracking_id"] == first.json()["tracking_id"]
    assert Report.objects.count() == 1
    secret = first.json()["secret"]
    assert secret and resend.json()["secret"] == ""  # shown once
    tid = first.json()["tracking_id"]
    assert api.get(f"/api/v1/citizen/reports/{tid}").status_code == 404
    mine = api.get(f"/api/v1/citizen/reports/{tid}", HTTP_X_REPORT_SECRET=secret)
    assert mine.status_code == 200
    assert mine.json()["contact"]["email"] == "tamu@contoh.id"


def test_the_citizen_api_never_shows_another_reporters_report(api, citizen_token):
    kab = AgencyFactory()
    report, _secret = report_in(Status.DISPOSED, agency=kab, is_confidential=False)
    api.as_token(citizen_token)

    read = api.get(f"/api/v1/citizen/reports/{report.tracking_id}")
    export = api.get(f"/api/v1/citizen/reports/{report.tracking_id}/export")
    reply = api.post(
        f"/api/v1/citizen/reports/{report.tracking_id}/reply",
        {"message": "Bukan laporan saya.", "expected_version": report.event_count},
    )

    assert read.status_code == export.status_code == reply.status_code == 404
    assert "siti@contoh.id" not in read.content.decode() + export.content.decode()
    assert api.get("/api/v1/citizen/reports").json()["results"] == []
    assert not ReportEvent.objects.filter(report=report, action="reporter_reply").exists()


def test_a_guests_support_waits_for_the_confirmation_link(api):
    kab = AgencyFactory()
    unit = UnitFactory(parent=kab)
    report, _secret = report_in(Status.IN_PROGRESS, agency=kab, unit=unit, is_confidential=False)

    response = api.post(
        f"/api/v1/citizen/reports/{report.tracking_id}/support",
        {"contact_email": "pendukung@contoh.id"},
    )

    assert response.status_code == 200, response.json()
    assert response.json()["confirmation_sent"] is True
    assert response.json()["support_count"] == 0
    assert Supporter.objects.get(report=report).confirmed_at is None


def test_an_account_supports_at_once(api, citizen_token):
    kab = AgencyFactory()
    unit = UnitFactory(parent=kab)
    report, _secret = report_in(Status.IN_PROGRESS, agency=kab, unit=unit, is_confidential=False)

    response = api.as_token(citizen_token).post(
        f"/api/v1/citizen/reports/{report.tracking_id}/support", {}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["support_count"] == 1


def test_a_stale_version_is_a_conflict(api):
    kab = AgencyFactory()
    report, secret = report_in(Status.COMPLETED, agency=kab)

    response = api.post(
        f"/api/v1/citizen/reports/{report.tracking_id}/rate",
        {"rating": 5, "expected_version": report.event_count - 1, "secret": secret},
    )

    assert response.status_code == 409
    assert Report.objects.get(pk=report.pk).rating is None


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"rating": "lima", "expected_version": 1}, "invalid", "rating"),
        ({"rating": 9, "expected_version": 1}, "max_value", "rating"),
        ({"rating": 5, "expected_version": 1, "bintang": 5}, "unknown_field", "bintang"),
        ({"rating": 5}, "required", "expected_version"),
    ],
)
def test_bad_input_is_answered_with_a_code_and_writes_nothing(api, body, code, field):
    kab = AgencyFactory()
    report, secret = report_in(Status.COMPLETED, agency=kab)

    response = api.post(
        f"/api/v1/citizen/reports/{report.tracking_id}/rate", {**body, "secret": secret}
    )

    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == (code, field)
    assert Report.objects.get(pk=report.pk).rating is None


def test_malformed_json_and_oversized_bodies_are_refused(api, settings):
    region = RegencyFactory()
    malformed = api.post("/api/v1/citizen/reports", '{"title": ')
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    big = api.post("/api/v1/citizen/reports", _report_fields(region.code, text="x" * 5000))

    assert (malformed.status_code, malformed.json()["code"]) == (400, "malformed_json")
    assert (big.status_code, big.json()["code"]) == (413, "too_large")
    assert not Report.objects.exists()


def test_a_weak_password_is_refused_as_on_the_portal(api):
    response = api.post(
        "/api/v1/citizen/register",
        {"name": "Dewi Lestari", "identifier": "dewi@contoh.id", "password": "12345678"},
    )

    assert response.status_code == 400
    assert response.json()["field"] == "password"
    assert not Notification.objects.exists()


def test_guessing_a_guest_secret_is_rate_limited(api, settings):
    settings.LAPOR_RATE_TRACK = "3/m"
    kab = AgencyFactory()
    report, secret = report_in(Status.DISPOSED, agency=kab)
    path = f"/api/v1/citizen/reports/{report.tracking_id}"
    for guess in range(3):
        assert api.get(path, HTTP_X_REPORT_SECRET=f"salah-{guess}").status_code == 404

    response = api.get(path, HTTP_X_REPORT_SECRET=secret)

    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert "Siti" not in response.content.decode()
