"""The officer API over HTTP: an officer tool's whole job (token with password and TOTP, queue,
detail, dispose to a unit, follow-up, complete), stale versions, revoked memberships, the
reporter's privacy and bad input."""

from __future__ import annotations

from typing import Any

import pytest

from lapor.agencies.models import Membership
from lapor.backoffice.access import enrol_totp
from lapor.reports.lifecycle import Status
from lapor.reports.models import AccessRecord, Report, ReportEvent
from tests.api.conftest import ApiClient
from tests.backoffice.conftest import PASSWORD, current_code
from tests.factories import AgencyFactory, UnitFactory, officer
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db
Role = Membership.Role


@pytest.fixture
def desk() -> dict[str, Any]:
    kab = AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")
    unit = UnitFactory(parent=kab, code="pemkab-3321-dpu", name="Dinas PU Demak")
    report, _secret = report_in(
        Status.DISPOSED,
        agency=kab,
        title="Jembatan Kali Tuntang retak",
        is_confidential=False,
        is_anonymous=False,
    )
    return {"kab": kab, "unit": unit, "report": report}


def _login(api: ApiClient, user: Any) -> dict[str, Any]:
    device = enrol_totp(user)
    response = api.post(
        "/api/v1/officer/token",
        {"username": user.username, "password": PASSWORD, "totp": current_code(device)},
    )
    assert response.status_code == 200, response.json()
    return response.json()


def test_an_officer_tool_handles_a_report_from_inbox_to_completion(api, desk):
    # Given an agency admin and a unit officer, each logged in with password and TOTP
    admin = officer(desk["kab"], Role.AGENCY_ADMIN)
    unit_officer = officer(desk["unit"], Role.UNIT_OFFICER)
    admin_api, unit_api = ApiClient(), ApiClient()
    admin_api.as_token(_login(admin_api, admin)["access"])
    unit_api.as_token(_login(unit_api, unit_officer)["access"])
    tid = desk["report"].tracking_id

    # When the admin opens the inbox queue and the report
    queue = admin_api.get("/api/v1/officer/queues/masuk").json()
    assert [r["tracking_id"] for r in queue["results"]] == [tid]
    detail = admin_api.get(f"/api/v1/officer/reports/{tid}").json()
    assert detail["reporter_name"] == "Siti Aminah"
    assert "dispose_unit" in detail["actions"]

    # and disposes it to the unit
    response = admin_api.post(
        f"/api/v1/officer/reports/{tid}/actions/dispose_unit",
        {"unit": "pemkab-3321-dpu", "expected_version": detail["version"]},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == Status.IN_PROGRESS

    # then the unit officer sees it in its tasks and answers it
    tasks = unit_api.get("/api/v1/officer/queues/tugas").json()["results"]
    assert [r["tracking_id"] for r in tasks] == [tid]
    answered = unit_api.post(
        f"/api/v1/officer/reports/{tid}/actions/follow_up",
        {
            "message": "Jembatan sudah diperbaiki oleh Dinas PU minggu ini.",
            "expected_version": tasks[0]["version"],
        },
    )
    assert answered.status_code == 200, answered.json()
    assert answered.json()["status"] == Status.ANSWERED

    # and the admin completes it
    done = admin_api.post(
        f"/api/v1/officer/reports/{tid}/actions/complete",
        {"message": "", "expected_version": answered.json()["version"]},
    )
    assert done.status_code == 200, done.json()
    assert Report.objects.get(tracking_id=tid).status == Status.COMPLETED


def test_a_stale_expected_version_is_a_conflict_and_changes_nothing(api, desk, officer_token):
    _user, token = officer_token(desk["kab"])
    tid = desk["report"].tracking_id
    events = ReportEvent.objects.count()

    response = api.as_token(token).post(
        f"/api/v1/officer/reports/{tid}/actions/dispose_unit",
        {"unit": "pemkab-3321-dpu", "expected_version": desk["report"].event_count - 1},
    )

    assert response.status_code == 409
    assert response.json()["code"] == "report_changed"
    assert Report.objects.get(tracking_id=tid).status == Status.DISPOSED
    assert ReportEvent.objects.count() == events


def test_a_token_stops_working_when_the_membership_is_revoked(api, desk, officer_token):
    user, token = officer_token(desk["kab"])
    assert api.as_token(token).get("/api/v1/officer/queues/masuk").status_code == 200

    Membership.objects.filter(user=user).update(is_active=False)

    response = api.get("/api/v1/officer/queues/masuk")
    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"


def test_no_token_without_the_authenticator_code(api, desk):
    user = officer(desk["kab"])
    enrol_totp(user)

    response = api.post(
        "/api/v1/officer/token", {"username": user.username, "password": PASSWORD, "totp": "000000"}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "authentication_failed"
    assert not user.api_tokens.exists()


def test_a_citizen_gets_no_officer_token(api, citizen):
    enrol_totp(citizen)  # even with an authenticator

    response = api.post(
        "/api/v1/officer/token",
        {"username": citizen.username, "password": PASSWORD, "totp": "123456"},
    )

    assert response.status_code == 400
    assert not citizen.api_tokens.exists()


def test_the_officer_api_never_shows_an_anonim_identity(api, desk, officer_token):
    report, _secret = report_in(
        Status.DISPOSED,
        agency=desk["kab"],
        is_anonymous=True,
        contact_name="Rahmat Hidayat",
        contact_email="rahmat@contoh.id",
    )
    _user, token = officer_token(desk["kab"])
    api.as_token(token)

    detail = api.get(f"/api/v1/officer/reports/{report.tracking_id}")
    contact = api.get(f"/api/v1/officer/reports/{report.tracking_id}/contact")

    assert "Rahmat" not in detail.content.decode()
    assert "rahmat@contoh.id" not in detail.content.decode() + contact.content.decode()
    assert detail.json()["reporter_name"] == "Anonim"
    assert contact.json() == {"email": "", "phone": ""}
    assert not AccessRecord.objects.filter(report=report, kind=AccessRecord.Kind.CONTACT).exists()


def test_reading_the_contact_is_recorded(api, desk, officer_token):
    user, token = officer_token(desk["kab"])
    tid = desk["report"].tracking_id

    detail = api.as_token(token).get(f"/api/v1/officer/reports/{tid}").json()
    assert "siti@contoh.id" not in str(detail)
    contact = api.get(f"/api/v1/officer/reports/{tid}/contact")

    assert contact.json()["email"] == "siti@contoh.id"
    record = AccessRecord.objects.get(report=desk["report"], kind=AccessRecord.Kind.CONTACT)
    assert record.actor == user and record.agency == desk["kab"]


def test_opening_a_rahasia_report_is_recorded(api, desk, officer_token):
    report, _secret = report_in(Status.DISPOSED, agency=desk["kab"], is_confidential=True)
    user, token = officer_token(desk["kab"])

    response = api.as_token(token).get(f"/api/v1/officer/reports/{report.tracking_id}")

    assert response.status_code == 200
    assert AccessRecord.objects.filter(report=report, actor=user).exists()


def test_a_report_of_another_agency_is_not_found(api, desk, officer_token):
    other = AgencyFactory(code="pemkot-3374", name="Pemerintah Kota Semarang")
    _user, token = officer_token(other)
    tid = desk["report"].tracking_id

    read = api.as_token(token).get(f"/api/v1/officer/reports/{tid}")
    act = api.post(
        f"/api/v1/officer/reports/{tid}/actions/note", {"note": "Catatan dari instansi lain."}
    )

    assert read.status_code == act.status_code == 404
    assert not ReportEvent.objects.filter(report=desk["report"], action="note").exists()


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"unit": "pemkab-3321-dpu"}, "required", "expected_version"),
        ({"unit": 7, "expected_version": 1}, "invalid", "unit"),
        ({"unit": "pemkab-3321-dpu", "expected_version": 1, "tim": "x"}, "unknown_field", "tim"),
        ({"unit": "tidak-ada", "expected_version": 1}, "unit_required", "unit"),
    ],
)
def test_bad_action_input_is_answered_and_writes_nothing(
    api, desk, officer_token, body, code, field
):
    _user, token = officer_token(desk["kab"])
    events = ReportEvent.objects.count()

    response = api.as_token(token).post(
        f"/api/v1/officer/reports/{desk['report'].tracking_id}/actions/dispose_unit", body
    )

    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == (code, field)
    assert ReportEvent.objects.count() == events


def test_malformed_json_is_answered(api, desk, officer_token):
    _user, token = officer_token(desk["kab"])

    response = api.as_token(token).post(
        f"/api/v1/officer/reports/{desk['report'].tracking_id}/actions/note", "{note:"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"


def test_an_unknown_queue_is_not_found(api, desk, officer_token):
    _user, token = officer_token(desk["kab"])

    response = api.as_token(token).get("/api/v1/officer/queues/semua")

    assert response.status_code == 404
    assert "triase" in response.json()["message"]


def test_failed_codes_lock_the_officer_token_out_like_the_back_office(api, desk, settings):
    settings.LAPOR_THROTTLE_ACCOUNT_IP = (3, 900)
    user = officer(desk["kab"])
    device = enrol_totp(user)
    for _ in range(3):
        api.post(
            "/api/v1/officer/token",
            {"username": user.username, "password": PASSWORD, "totp": "000000"},
        )

    response = api.post(
        "/api/v1/officer/token",
        {"username": user.username, "password": PASSWORD, "totp": current_code(device)},
    )

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert not user.api_tokens.exists()


def test_a_refresh_token_dies_with_the_membership(api, desk):
    user = officer(desk["kab"])
    pair = _login(api, user)
    Membership.objects.filter(user=user).update(is_active=False)

    response = api.post("/api/v1/officer/token/refresh", {"refresh": pair["refresh"]})

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_after_forwarding_the_officer_sees_only_where_the_report_went(api, desk, officer_token):
    AgencyFactory(code="pemkot-3374", name="Pemerintah Kota Semarang")
    _user, token = officer_token(desk["kab"])
    tid = desk["report"].tracking_id

    response = api.as_token(token).post(
        f"/api/v1/officer/reports/{tid}/actions/forward",
        {
            "to_agency": "pemkot-3374",
            "reason": "Jembatan ini milik Pemerintah Kota Semarang.",
            "expected_version": desk["report"].event_count,
        },
    )

    assert response.status_code == 200, response.json()
    assert response.json() == {"tracking_id": tid, "status": Status.DISPOSED}
    assert api.get(f"/api/v1/officer/reports/{tid}").status_code == 404
