"""A signed-in citizen proves a phone number or e-mail address with a code sent to it, then the
reports filed from it as a guest (SMS, e-mail, WhatsApp, a desk) become theirs."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from lapor.accounts import verify
from lapor.accounts.models import User
from lapor.notifications.models import Notification
from lapor.reports import privacy
from lapor.reports.lifecycle import Action
from lapor.reports.models import Report, ReportEvent
from lapor.reports.services import report_erase_identity, reports_claim_contact
from tests.factories import UserFactory, submit

pytestmark = pytest.mark.django_db
URL = "/akun/verifikasi-kontak/"
PHONE = "+6281234567890"


@pytest.fixture
def citizen(client: Client) -> User:
    user = UserFactory(username="budi", email="", phone="")
    client.force_login(user)
    return user


def _sms(channel: str = "sms", phone: str = "0812-3456-7890", **kw: Any) -> Report:
    return submit(channel=channel, contact_email="", contact_phone=phone, **kw).report


def _send(client: Client, contact: str) -> str:
    """Ask for a code for ``contact``; the code, read from the message it was sent in."""
    response = client.post(URL, {"contact": contact})
    assert response.status_code == 302, response.content
    body = Notification.objects.filter(kind=verify.KIND).latest("pk").body
    return re.findall(r"\b\d{6}\b", body)[0]


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_a_right_code_claims_exactly_the_guest_reports_of_that_contact(client, citizen):
    # given guest reports from the citizen's number (by SMS, by WhatsApp, at a desk, spelled
    # three ways), one from another number, one from the same number that already has an
    # account, and one whose identity was erased
    mine = [
        _sms(),
        _sms("whatsapp", "6281234567890"),
        _sms("loket", "+62 812 3456 7890"),
    ]
    others = _sms(phone="0813-9999-0000")
    owner = UserFactory(username="pemilik")
    owned = _sms(reporter=owner)
    erased = submit(channel="sms", contact_email="", contact_phone="0812-3456-7890")
    report_erase_identity(report=erased.report, secret=erased.secret)
    # when the citizen asks for a code and types it
    code = _send(client, "0812 3456 7890")
    sms = Notification.objects.get(kind=verify.KIND)
    assert sms.channel == "sms" and sms.recipient == PHONE
    response = client.post(URL, {"code": code})
    # then exactly their guest reports are now theirs
    assert response.status_code == 302 and response["Location"] == "/akun/laporan-saya/"
    claimed = set(Report.objects.filter(reporter=citizen).values_list("pk", flat=True))
    assert claimed == {r.pk for r in mine}
    assert Report.objects.get(pk=others.pk).reporter_id is None
    assert Report.objects.get(pk=owned.pk).reporter_id == owner.pk
    assert Report.objects.get(pk=erased.report.pk).reporter_id is None
    # each with one audit event whose actor is the account, holding no contact
    events = ReportEvent.objects.filter(action=Action.CLAIM_CONTACT)
    assert sorted(e.report_id for e in events) == sorted(r.pk for r in mine)
    for event in events:
        assert event.actor_id == citizen.pk and event.actor_role == "reporter"
        assert event.is_internal and event.data == {"contact": "phone"}
    # and they show under "my reports", on the portal and in the citizen API
    page = client.get("/akun/laporan-saya/").text
    for report in mine:
        assert report.title in page and report.tracking_id in page.replace("-", "")
    # the number is remembered on the account, in the accounts' own form, so the citizen API
    # signs in with it, and lists them too
    citizen.refresh_from_db()
    assert citizen.phone == "081234567890"
    api = Client()
    pair = api.post(
        "/api/v1/citizen/token",
        {"identifier": "0812 3456 7890", "password": "rahasia-uji-123"},
        content_type="application/json",
    ).json()
    listed = api.get("/api/v1/citizen/reports", HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    assert {r["tracking_id"] for r in listed.json()["results"]} == {r.tracking_id for r in mine}
    # and claiming again claims nothing twice
    assert reports_claim_contact(user=citizen, contact=PHONE) == []
    assert events.count() == 3


def test_an_email_address_is_verified_by_the_same_code(client, citizen):
    report = submit(channel="email", contact_email="Siti.Aminah@Contoh.ID").report
    someone_else = submit(channel="email", contact_email="lain@contoh.id").report
    code = _send(client, "siti.aminah@contoh.id")
    mail = Notification.objects.get(kind=verify.KIND)
    assert mail.channel == "email" and mail.recipient == "siti.aminah@contoh.id"
    client.post(URL, {"code": code})
    assert Report.objects.get(pk=report.pk).reporter_id == citizen.pk
    assert Report.objects.get(pk=someone_else.pk).reporter_id is None
    event = ReportEvent.objects.get(action=Action.CLAIM_CONTACT)
    assert event.data == {"contact": "email"} and event.actor_id == citizen.pk


def test_a_wrong_code_is_refused_and_nothing_is_claimed(client, citizen):
    report = _sms()
    code = _send(client, "081234567890")
    response = client.post(URL, {"code": _wrong(code)})
    assert response.status_code == 200
    assert "Kode salah" in response.text and "4 kali" in response.text
    assert Report.objects.get(pk=report.pk).reporter_id is None
    assert not ReportEvent.objects.filter(action=Action.CLAIM_CONTACT).exists()
    # the right code still works within its five tries
    client.post(URL, {"code": code})
    assert Report.objects.get(pk=report.pk).reporter_id == citizen.pk


def test_five_wrong_codes_end_the_attempt(client, citizen):
    report = _sms()
    code = _send(client, "081234567890")
    for _ in range(verify.MAX_ATTEMPTS):
        client.post(URL, {"code": _wrong(code)})
    # then even the right code is refused, and a new code must be asked for
    response = client.post(URL, {"code": code})
    assert "Kode ini tidak berlaku lagi" in response.text
    assert 'id="form-kode"' not in response.text
    assert Report.objects.get(pk=report.pk).reporter_id is None
    # the spent message no longer holds the code
    assert code not in Notification.objects.get(kind=verify.KIND).body
    # a new code opens a new attempt
    fresh = _send(client, "081234567890")
    client.post(URL, {"code": fresh})
    assert Report.objects.get(pk=report.pk).reporter_id == citizen.pk


def test_an_expired_code_is_refused(client, citizen, monkeypatch):
    report = _sms()
    code = _send(client, "081234567890")
    later = time.time() + verify.CODE_TTL.total_seconds() + 1
    monkeypatch.setattr(verify.time, "time", lambda: later)
    response = client.post(URL, {"code": code})
    assert response.status_code == 200 and "Kode ini tidak berlaku lagi" in response.text
    assert Report.objects.get(pk=report.pk).reporter_id is None


def test_a_code_is_for_the_account_that_asked(client, citizen):
    """A code sent for one account does not verify the contact for another session."""
    report = _sms()
    code = _send(client, "081234567890")
    intruder = Client()
    intruder.force_login(UserFactory(username="penyusup"))
    response = intruder.post(URL, {"code": code})
    assert "Kode ini tidak berlaku lagi" in response.text
    assert Report.objects.get(pk=report.pk).reporter_id is None


def test_the_code_never_appears_in_the_database_in_clear(client, citizen):
    _sms()
    code = _send(client, "081234567890")
    # while it waits: the session holds an HMAC of it, never the code
    sessions = [s.get_decoded() for s in Session.objects.all()]
    state = next(s[verify.SESSION_KEY] for s in sessions if verify.SESSION_KEY in s)
    assert code not in repr(sessions) and len(state["hash"]) == 64
    # (only the outbox message carrying it holds it, until it is spent)
    client.post(URL, {"code": code})
    dumped = repr([s.get_decoded() for s in Session.objects.all()])
    dumped += repr(list(Notification.objects.values()))
    dumped += repr(list(ReportEvent.objects.values()))
    dumped += repr(list(User.objects.values()))
    assert code not in dumped


def test_asking_for_a_code_tells_nothing_about_reports(client, citizen):
    """Before the code is typed the page is the same whether the contact filed reports or
    not, and never lists a report (rahasia or not) or a reporter's name."""
    _sms(contact_name="Siti Aminah", title="Pungutan liar di kantor kelurahan")
    client.post(URL, {"contact": "081234567890"})
    with_reports = client.get(URL).text
    client.post(URL, {"contact": "081300001111"})
    without = client.get(URL).text
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert csrf.sub("", with_reports).replace("+6281234567890", "X") == csrf.sub(
        "", without
    ).replace("+6281300001111", "X")
    assert "Siti Aminah" not in with_reports and "Pungutan liar" not in with_reports


def test_a_claimed_report_stays_private_to_the_public(client, citizen):
    report = _sms(contact_name="Siti Aminah", is_anonymous=True, is_confidential=False)
    client.post(URL, {"code": _send(client, "081234567890")})
    report.refresh_from_db()
    events = list(report.events.order_by("seq"))
    assert Action.CLAIM_CONTACT in {e.action for e in events}
    public = privacy.timeline(report, events, privacy.Audience.PUBLIC)
    assert Action.CLAIM_CONTACT not in {entry.action for entry in public}
    anonymous = Client().get(f"/lacak/{report.tracking_id}/")
    assert "budi" not in anonymous.text and "Siti Aminah" not in anonymous.text


def test_an_invalid_contact_is_answered_with_what_to_write(client, citizen):
    response = client.post(URL, {"contact": "bukan nomor"})
    assert response.status_code == 200
    assert 'id="id_contact_error"' in response.text and "0812-3456-7890" in response.text
    assert not Notification.objects.filter(kind=verify.KIND).exists()


@pytest.mark.parametrize(("prefix", "lang"), [("", "id"), ("/en", "en")])
def test_the_page_works_in_both_languages(client, citizen, prefix, lang):
    response = client.get(f"{prefix}{URL}")
    assert response.status_code == 200 and f'<html lang="{lang}"' in response.text
    assert 'id="form-kontak"' in response.text and 'name="contact"' in response.text
    assert f'href="{prefix}/akun/laporan-saya/"' in response.text
    mine = client.get(f"{prefix}/akun/laporan-saya/").text
    assert f'href="{prefix}{URL}"' in mine


def test_signing_in_is_required(client):
    response = Client().get(URL)
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_asking_and_checking_codes_count_against_the_account_limit(client, citizen, settings):
    settings.LAPOR_RATE_ACCOUNT = "3/h"
    report = _sms()
    code = _send(client, "081234567890")
    client.post(URL, {"code": _wrong(code)})
    client.post(URL, {"code": _wrong(code)})
    # the fourth request in the hour is refused, even with the right code, and says how long
    refused = client.post(URL, {"code": code})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert Report.objects.get(pk=report.pk).reporter_id is None
