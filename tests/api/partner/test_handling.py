"""A partner acts on the reports disposed to its agencies, as their desk, through the same
services as an officer: its service account is the actor; a stale version is 409; another
agency's report is 404. It reads them as an officer sees them, the reporter's identity only
when not anonim, every read of a rahasia report in the access log."""

from __future__ import annotations

import pytest

from lapor.reports.lifecycle import Status
from lapor.reports.models import AccessRecord, Report
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db

ANSWER = "Lampu sudah kami ganti pada hari Senin, terima kasih atas laporannya."


def _actions(report: Report) -> str:
    return f"/api/v1/partner/reports/{report.tracking_id}/actions"


def _detail(report: Report) -> str:
    return f"/api/v1/partner/reports/{report.tracking_id}"


def test_the_partner_follows_up_its_agencys_report_as_its_service_account(
    partner_api, partner, disposed
):
    # when the partner answers a report disposed to its agency
    response = partner_api.post(
        _actions(disposed),
        {"action": "follow_up", "message": ANSWER, "expected_version": disposed.event_count},
    )
    # then the report is answered, by the partner's account in the role mitra
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == Status.ANSWERED
    event = disposed.events.order_by("-seq").first()
    assert (event.action, event.actor, event.actor_role) == ("follow_up", partner.user, "mitra")
    assert response.json()["version"] == disposed.events.count()


def test_a_stale_version_is_409_and_changes_nothing(partner_api, disposed):
    response = partner_api.post(
        _actions(disposed),
        {"action": "follow_up", "message": ANSWER, "expected_version": disposed.event_count - 1},
    )
    assert response.status_code == 409 and response.json()["code"] == "report_changed"
    disposed.refresh_from_db()
    assert disposed.status == Status.DISPOSED


def test_an_action_the_status_does_not_allow_is_409(partner_api, disposed):
    response = partner_api.post(
        _actions(disposed),
        {"action": "resume", "message": "Lanjut", "expected_version": disposed.event_count},
    )
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"


def test_another_agencys_report_is_not_found_and_untouched(partner_api, other_agency):
    report, _ = report_in(Status.DISPOSED, agency=other_agency)
    response = partner_api.post(
        _actions(report),
        {"action": "follow_up", "message": ANSWER, "expected_version": report.event_count},
    )
    assert response.status_code == 404
    assert partner_api.get(_detail(report)).status_code == 404
    report.refresh_from_db()
    assert report.status == Status.DISPOSED


def test_an_action_with_an_idempotency_key_is_done_once(partner_api, disposed):
    body = {"action": "note", "message": "Tim sudah dijadwalkan.", "expected_version": 0}
    body["expected_version"] = disposed.event_count
    answers = [
        partner_api.post(_actions(disposed), body, HTTP_IDEMPOTENCY_KEY='"n1"') for _ in range(3)
    ]
    assert {r.status_code for r in answers} == {200}
    assert disposed.events.filter(action="note").count() == 1
    assert answers[2]["Idempotent-Replayed"] == "true"


def test_reading_an_anonim_report_shows_its_content_but_not_who_filed_it(partner_api, kab):
    report, _ = report_in(Status.DISPOSED, agency=kab, is_anonymous=True, is_confidential=True)
    answer = partner_api.get(_detail(report)).json()
    assert answer["title"] == report.title and answer["body"] == report.body
    assert answer["reporter"] == {"name": "Anonim", "email": "", "phone": ""}
    assert "Siti" not in str(answer) and "siti@contoh.id" not in str(answer)


def test_reading_a_named_report_shows_its_reporters_contact(partner_api, kab):
    report, _ = report_in(Status.DISPOSED, agency=kab, is_anonymous=False, is_confidential=False)
    answer = partner_api.get(_detail(report)).json()
    assert answer["reporter"]["name"] == "Siti Aminah"
    assert answer["reporter"]["email"] == "siti@contoh.id"


def test_each_read_of_a_rahasia_report_is_in_the_access_log(partner_api, partner, kab):
    report, _ = report_in(Status.DISPOSED, agency=kab, is_confidential=True)
    partner_api.get(_detail(report))
    partner_api.get(_detail(report))
    reads = AccessRecord.objects.filter(report=report, kind="confidential")
    assert [r.actor for r in reads] == [partner.user, partner.user]
