"""A reporter downloads a machine-readable copy of their personal data: a guest per report
(proven by the secret), an account for all its reports at once."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from lapor.reports import services
from lapor.reports.models import AccessRecord
from tests.factories import UserFactory, officer, submit
from tests.portal.conftest import ANSWER, answered
from tests.privacy.conftest import EMAIL, IDENTITY, NAME, PHONE, enter_secret

pytestmark = pytest.mark.django_db


def _json(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    return json.loads(response.content)


def test_guest_downloads_their_report_data_from_the_track_page(client: Client, kab):
    # given a guest's named report, answered, whose contact an officer has looked at
    sub = submit(is_anonymous=False, **IDENTITY)
    answered(sub.report, kab)
    reader = officer(kab)
    reader.first_name, reader.last_name = "Budi", "Santoso"
    reader.save()
    services.record_access(
        report=sub.report, actor=reader, kind=AccessRecord.Kind.CONTACT, agency=kab
    )
    url = f"/lacak/{sub.report.tracking_id}/data-saya/"
    # when somebody without the secret asks: no data, back to the track page
    refused = client.post(url)
    assert refused.status_code == 302 and b"{" not in refused.content
    # when the reporter, having entered the secret, presses "Unduh data saya"
    enter_secret(client, sub.report.tracking_id, sub.secret)
    track = client.get(f"/lacak/{sub.report.tracking_id}/").content.decode()
    assert url in track and "Unduh data saya (JSON)" in track
    data = _json(client.post(url))
    # then the file holds their identity as stored, the report, and its history as they see it
    (report,) = data["reports"]
    contact = report["contact"]
    assert (contact["name"], contact["email"]) == (NAME, EMAIL)
    assert contact["phone"].endswith(PHONE[1:])  # as stored: normalised to +62
    assert report["tracking_id"] == sub.report.tracking_id and report["title"]
    assert [e["action"] for e in report["timeline"]][:1] == ["submit"]
    assert any(e["message"] == ANSWER for e in report["timeline"])
    # and the messages sent to them, and who read their contact details, at which agency
    assert {n["to"] for n in report["notifications"]} == {EMAIL}
    (seen,) = report["access_log"]
    assert (seen["kind"], seen["who"], seen["agency"]) == ("contact", "Budi Santoso", kab.name)
    assert data["privacy_notice_version"] == "2026-12"
    # and the download is itself recorded, so a copy taken by someone else would show
    assert sub.report.access_records.filter(kind=AccessRecord.Kind.EXPORT).count() == 1


def test_guest_download_is_refused_with_the_secret_of_another_report(client: Client):
    mine = submit(**IDENTITY)
    other = submit()
    enter_secret(client, mine.report.tracking_id, mine.secret)
    response = client.post(f"/lacak/{other.report.tracking_id}/data-saya/")
    assert response.status_code == 302
    assert not other.report.access_records.exists()


def test_account_downloads_one_file_for_all_reports_and_supports(client: Client, kab):
    user = UserFactory(phone="081211112222", first_name="Rina", last_name="Wulandari")
    first = submit(reporter=user, contact_email="", contact_name="").report
    second = submit(reporter=user, contact_email="", contact_name="").report
    answered(first, kab)
    supported = submit(is_confidential=False, title="Sampah menumpuk di pasar").report
    services.report_support(report=supported, user=user)
    client.force_login(user)
    # the page is linked from "Laporan saya"
    assert "/akun/data-saya/" in client.get("/akun/laporan-saya/").content.decode()
    assert client.get("/akun/data-saya/").status_code == 200
    data = _json(client.post("/akun/data-saya/unduh/"))
    assert data["account"]["email"] == user.email and data["account"]["phone"] == "081211112222"
    assert data["account"]["name"] == "Rina Wulandari"
    assert {r["tracking_id"] for r in data["reports"]} == {first.tracking_id, second.tracking_id}
    answered_report = next(r for r in data["reports"] if r["tracking_id"] == first.tracking_id)
    assert {n["to"] for n in answered_report["notifications"]} == {user.email}
    assert [s["tracking_id"] for s in data["supports"]] == [supported.tracking_id]
    assert data["supports"][0]["title"] == "Sampah menumpuk di pasar"


def test_download_needs_a_post_and_a_signed_in_account(client: Client):
    assert client.get("/akun/data-saya/unduh/").status_code == 405
    response = client.post("/akun/data-saya/unduh/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
