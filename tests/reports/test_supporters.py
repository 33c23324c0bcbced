"""Supporters ("dukung", or a merged duplicate's reporter) hear only what the public page shows,
only while the report is public, and a guest only after confirming their address."""

from __future__ import annotations

import re

import pytest
from django.db import IntegrityError
from django.utils import timezone

from lapor.core import ids
from lapor.core.errors import ValidationFailed
from lapor.notifications.models import Notification
from lapor.notifications.services import notify_report_event
from lapor.notifications.texts import TELLS_SUPPORTER, TELLS_SUPPORTER_SMS
from lapor.reports import privacy, services
from lapor.reports.events import build_event
from lapor.reports.lifecycle import Action
from lapor.reports.models import Report, Supporter
from tests.factories import AgencyFactory, UserFactory, national_admin, officer, submit
from tests.portal.conftest import page

pytestmark = pytest.mark.django_db

NAME = "Siti Aminah"
REPORTER = "siti@contoh.id"
FAN = "warga@contoh.id"
ANSWER = "Dinas PUPR telah menambal lubang jalan pada 12 Maret; mohon dicek kembali hasilnya."
QUESTION = "Ibu Siti Aminah, mohon kirim foto KTP dan alamat rumah Anda untuk verifikasi."


@pytest.fixture
def kab():  # type: ignore[no-untyped-def]
    return AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")


def _public_with_secret(kab):  # type: ignore[no-untyped-def]
    """A public report of a named reporter, disposed to the regency, and its guest secret."""
    sub = submit(
        contact_name=NAME, contact_email=REPORTER, is_anonymous=False, is_confidential=False
    )
    services.report_dispose(report=sub.report, to_agency=kab, actor=national_admin())
    sub.report.refresh_from_db()
    return sub.report, sub.secret


def _public(kab):  # type: ignore[no-untyped-def]
    return _public_with_secret(kab)[0]


def _to(address: str, report: Report) -> list[Notification]:
    return list(Notification.objects.filter(recipient=address, report=report).order_by("pk"))


def _support(client, report, **contact):  # type: ignore[no-untyped-def]
    return client.post(f"/laporan/{report.tracking_id}/", contact)


def _link(note: Notification) -> str:
    found = re.search(r"http://testserver(/laporan/\S+/dukung/\S+/)", note.body)
    assert found, note.body
    return found.group(1)


def test_a_guest_hears_nothing_until_they_confirm_their_address(client, kab):
    # Given a public report and a guest who supports it with an e-mail address
    report = _public(kab)
    response = _support(client, report, contact_email="Warga@Contoh.ID")
    assert "tautan konfirmasi" in page(client, response["Location"])
    # Then the address gets one message: a link to confirm, naming nobody
    [confirm] = _to(FAN, report)
    assert confirm.kind == "support_confirm" and report.tracking_id[:4] in confirm.body
    assert NAME not in confirm.body and REPORTER not in confirm.body
    token = _link(confirm).rstrip("/").rsplit("/", 1)[1]
    supporter = Supporter.objects.get(report=report)
    assert supporter.confirm_token_hash == ids.hash_secret(token)  # the token itself is not kept
    assert supporter.confirmed_at is None
    # And while unconfirmed, the agency's answer does not reach it, nor is it counted
    services.report_follow_up(report=report, actor=officer(kab), message=ANSWER)
    assert [n.kind for n in _to(FAN, report)] == ["support_confirm"]
    assert Report.objects.get(pk=report.pk).support_count == 0


def test_opening_the_link_shows_a_button_and_only_the_button_confirms(client, kab):
    report = _public(kab)
    _support(client, report, contact_email=FAN)
    link = _link(_to(FAN, report)[0])
    # When a mail scanner (or the guest) opens the link
    html = page(client, link)
    # Then nothing is confirmed yet: the page asks to press the button
    assert "Konfirmasi" in html and 'method="post"' in html
    assert Supporter.objects.get().confirmed_at is None
    # When the guest presses it
    response = client.post(link)
    assert response.status_code == 302
    # Then they are confirmed and counted, and the link works no more
    assert Supporter.objects.get().confirmed_at is not None
    assert Report.objects.get(pk=report.pk).support_count == 1
    again = client.post(link)
    assert again.status_code == 400 and "tidak berlaku" in again.content.decode()
    assert Report.objects.get(pk=report.pk).support_count == 1


def test_a_confirmed_supporter_hears_the_public_steps_only(client, kab):
    # Given a confirmed guest supporter of a public report
    report, secret = _public_with_secret(kab)
    _support(client, report, contact_email=FAN)
    client.post(_link(_to(FAN, report)[0]))
    report.refresh_from_db()
    agency_admin = officer(kab)
    # When the agency asks the reporter for their KTP, the reporter replies, the agency answers
    services.report_request_info(report=report, actor=agency_admin, question=QUESTION)
    services.report_reply(report=report, message="Foto KTP saya terlampir.", secret=secret)
    services.report_follow_up(report=report, actor=agency_admin, message=ANSWER)
    # Then the supporter gets the answer only: never the request nor the reporter's reply
    heard = _to(FAN, report)
    assert [n.kind for n in heard] == ["support_confirm", Action.FOLLOW_UP]
    assert all(QUESTION not in n.body and NAME not in n.body for n in heard)
    # while the reporter gets the request
    assert any(QUESTION in n.body for n in _to(REPORTER, report))


def test_a_supporter_gets_the_answer_but_nothing_once_the_report_is_rahasia(client, kab):
    report = _public(kab)
    _support(client, report, contact_email=FAN)
    client.post(_link(_to(FAN, report)[0]))
    report.refresh_from_db()
    agency_admin = officer(kab)
    # When the agency answers the public report
    services.report_follow_up(report=report, actor=agency_admin, message=ANSWER)
    # Then the supporter reads the answer (public on the report page too)
    [answer] = [n for n in _to(FAN, report) if n.kind == Action.FOLLOW_UP]
    assert ANSWER in answer.body and "yang Anda dukung" in answer.body
    assert NAME not in answer.body
    # When the report is made rahasia and then completed
    services.report_set_privacy(
        report=report, actor=agency_admin, is_anonymous=True, is_confidential=True
    )
    services.report_complete(report=report, actor=agency_admin)
    # Then the supporter hears nothing of it (the reporter does)
    kinds = [n.kind for n in _to(FAN, report)]
    assert Action.COMPLETE not in kinds and Action.SET_PRIVACY not in kinds
    assert any(n.kind == Action.COMPLETE for n in _to(REPORTER, report))


def test_supporting_again_sends_nothing_and_says_the_same(client, kab):
    report = _public(kab)
    first = page(client, _support(client, report, contact_email=FAN)["Location"])
    # When the same address (in other capitals) supports again, and a phone in another spelling
    second = page(client, _support(client, report, contact_email="WARGA@contoh.id")["Location"])
    _support(client, report, contact_phone="0812-3456-7890")
    _support(client, report, contact_phone="+62 812 3456 7890")
    # Then the answer is the same, one confirmation per contact went out, one row per contact
    notice = "Bila alamat ini belum terdaftar sebagai pendukung"
    assert notice in first and notice in second
    assert len(_to(FAN, report)) == 1
    assert len(_to("+6281234567890", report)) == 1
    assert sorted(Supporter.objects.values_list("contact_phone", flat=True)) == [
        "",
        "+6281234567890",
    ]


def test_a_bad_phone_number_is_refused_next_to_its_field(client, kab):
    report = _public(kab)
    html = _support(client, report, contact_phone="12345").content.decode()
    assert "Nomor telepon tidak valid" in html and 'id="id_contact_phone_error"' in html
    assert not Supporter.objects.exists() and not _to("12345", report)


def test_a_phone_only_guest_gets_the_link_in_one_sms(client, kab):
    report = _public(kab)
    _support(client, report, contact_phone="081234567890")
    [sms] = _to("+6281234567890", report)
    assert sms.channel == Notification.Channel.SMS
    assert len(sms.body) <= 160 and sms.body.isascii() and _link(sms)


def test_the_same_address_at_the_same_moment_is_stored_once(kab, monkeypatch):
    # Given two requests that both found the address not yet supporting (a race)
    report = _public(kab)
    services.report_support(report=report, contact_email=FAN)
    monkeypatch.setattr("lapor.reports.services.reporter.already_supports", lambda *a, **k: False)
    # When the second one stores it too: no error, no second message
    services.report_support(report=report, contact_email=FAN)
    assert Supporter.objects.count() == 1 and len(_to(FAN, report)) == 1
    # An account racing itself is told it already supports
    user = UserFactory()
    services.report_support(report=report, user=user)
    with pytest.raises(ValidationFailed) as refused:
        services.report_support(report=report, user=user)
    assert refused.value.code == "already_supported"
    assert Report.objects.get(pk=report.pk).support_count == 1
    with pytest.raises(IntegrityError):
        Supporter.objects.create(report=report, user=user)


def test_an_account_is_confirmed_at_once(client, kab):
    report = _public(kab)
    user = UserFactory(email="akun@contoh.id")
    client.force_login(user)
    response = _support(client, report)
    assert "Terima kasih atas dukungan Anda" in page(client, response["Location"])
    assert Supporter.objects.get().confirmed_at is not None
    report.refresh_from_db()
    assert report.support_count == 1
    services.report_follow_up(report=report, actor=officer(kab), message=ANSWER)
    assert [n.kind for n in _to("akun@contoh.id", report)] == [Action.FOLLOW_UP]


@pytest.mark.parametrize("public", [True, False])
def test_a_merged_reporter_hears_only_public_steps_of_the_target(kab, public):
    # Given a target report (public or rahasia) and a duplicate of another reporter
    target, secret = _public_with_secret(kab)
    Report.objects.filter(pk=target.pk).update(is_confidential=not public)
    target.refresh_from_db()
    duplicate = submit(contact_email="Kedua@Contoh.id").report
    # When the duplicate is merged into the target
    services.report_merge(report=duplicate, into=target, actor=national_admin())
    # Then its reporter is a supporter whose address counts as confirmed
    supporter = Supporter.objects.get(report=target)
    assert supporter.confirmed_at is not None and supporter.contact_email == "kedua@contoh.id"
    # When the target's reporter is asked for their KTP, replies, and gets an answer
    agency_admin = officer(kab)
    target.refresh_from_db()
    services.report_request_info(report=target, actor=agency_admin, question=QUESTION)
    services.report_reply(report=target, message="Foto KTP saya terlampir.", secret=secret)
    services.report_follow_up(report=target, actor=agency_admin, message=ANSWER)
    # Then the merged reporter hears the answer of a public target only, and never the request
    heard = _to("kedua@contoh.id", target)
    assert [n.kind for n in heard] == ([Action.FOLLOW_UP] if public else [])
    assert all(QUESTION not in n.body and NAME not in n.body for n in heard)


def test_a_contact_merged_twice_supports_once(kab):
    target, _ = _public_with_secret(kab)
    for _n in range(2):
        duplicate = submit(contact_email="kedua@contoh.id").report
        services.report_merge(report=duplicate, into=target, actor=national_admin())
    assert Supporter.objects.filter(report=target).count() == 1
    assert Report.objects.get(pk=target.pk).support_count == 1


@pytest.mark.parametrize("action", sorted(privacy.SUPPORTER_ACTIONS))
def test_every_supporter_text_fits_and_quotes_only_public_answers(kab, action):
    # Given a confirmed supporter by phone of a public report
    report = _public(kab)
    Supporter.objects.create(
        report=report, contact_phone="+6281111111111", confirmed_at=timezone.now()
    )
    event = build_event(
        report,
        action=action,
        from_status="",
        to_status="",
        actor_id=None,
        actor_role="agency_admin",
        message="Pesan untuk Ibu Siti Aminah " * 20,
        at=report.submitted_at,
    )
    # When the event is told
    [sms] = [n for n in notify_report_event(report, event) if n.recipient == "+6281111111111"]
    # Then the SMS fits one message and quotes the officer's text only where the public reads it
    assert len(sms.body) <= 160 and sms.body.isascii()
    assert ("Siti Aminah" in sms.body) == (
        action in privacy.PUBLIC_MESSAGE_ACTIONS and "{message}" in TELLS_SUPPORTER_SMS[action]
    )
    assert set(privacy.SUPPORTER_ACTIONS) == set(TELLS_SUPPORTER) == set(TELLS_SUPPORTER_SMS)
