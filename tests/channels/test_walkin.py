"""The walk-in desk and call-centre form: the officer files for the citizen, who stays the
reporter and gets the receipt by SMS; privacy only with the citizen's consent."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lapor.agencies.models import Membership
from lapor.channels.models import ChannelReport
from lapor.core import ids
from lapor.notifications.models import Notification
from lapor.reports.models import Report
from lapor.reports.services import is_reporter
from tests.backoffice.conftest import sign_in
from tests.factories import AgencyFactory, RegencyFactory, officer

pytestmark = pytest.mark.django_db

BODY = "Pengurusan KTP di kecamatan dimintai uang tambahan tanpa kuitansi oleh petugas loket."


@pytest.fixture
def desk_client(client: Client, settings: Any) -> Client:
    settings.LAPOR_PUBLIC_URL = "https://lapor.example.id"
    RegencyFactory()
    return sign_in(client, officer(AgencyFactory(name="Mal Pelayanan Publik Demak")))


def form(**overrides: Any) -> dict[str, Any]:
    data = {
        "channel": "loket",
        "contact_name": "Budi Santoso",
        "contact_phone": "0812-3456-7890",
        "contact_email": "",
        "region": "33.21",
        "title": "Pungutan liar pengurusan KTP",
        "body": BODY,
        "is_anonymous": "on",
        "is_confidential": "on",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_form_shows_the_safe_privacy_defaults(desk_client: Client) -> None:
    page = desk_client.get("/kantor/loket/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="is_anonymous" id="id_is_anonymous" checked' in html
    assert 'name="is_confidential" id="id_is_confidential" checked' in html
    assert 'name="consent" id="id_consent"' in html and 'id_consent" checked' not in html


def test_walkin_report_receipt_and_sms(desk_client: Client) -> None:
    answer = desk_client.post("/kantor/loket/", form())
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"]  # the secret is on this page
    report = Report.objects.get()
    html = answer.content.decode()
    assert ids.display(report.tracking_id) in html
    secret = html.split('id="receipt-secret"><strong>')[1].split("<")[0]
    assert ids.secret_matches(secret, report.guest_secret_hash)
    assert report.is_anonymous and report.is_confidential
    assert report.reporter is None and report.contact_phone == "+6281234567890"
    link = ChannelReport.objects.get(report=report)
    assert link.channel == "loket" and link.recorded_by is not None
    # The report counts under its own channel (statistics by channel), shown on the receipt.
    assert report.channel == Report.Channel.LOKET
    assert "Loket layanan" in html
    submit_event = report.events.get(action="submit")
    assert (
        submit_event.actor_id == link.recorded_by.pk and submit_event.actor_role == "petugas_loket"
    )
    # The officer gains none of the reporter's rights; the citizen's number has them.
    assert not is_reporter(report, user=link.recorded_by)
    assert is_reporter(report, contact="+6281234567890")
    sms = list(Notification.objects.filter(channel="sms", recipient="+6281234567890"))
    assert len(sms) == 1
    assert secret in sms[0].body and ids.display(report.tracking_id) in sms[0].body
    assert len(sms[0].body) <= 160


def test_telepon_with_e_mail_only_sends_the_receipt_by_e_mail(desk_client: Client) -> None:
    desk_client.post(
        "/kantor/loket/", form(channel="telepon", contact_phone="", contact_email="ani@contoh.id")
    )
    report = Report.objects.get()
    assert ChannelReport.objects.get(report=report).channel == "telepon"
    assert report.channel == Report.Channel.TELEPON
    mail = Notification.objects.get(channel="email", recipient="ani@contoh.id")
    assert ids.display(report.tracking_id) in mail.body and "Kode rahasia" in mail.body


def test_no_report_without_the_citizens_consent(desk_client: Client) -> None:
    answer = desk_client.post("/kantor/loket/", form(consent=None))
    assert answer.status_code == 400
    assert "Bacakan pilihan privasi" in answer.content.decode()
    assert Report.objects.count() == 0


def test_no_report_without_a_contact(desk_client: Client) -> None:
    answer = desk_client.post("/kantor/loket/", form(contact_phone="", contact_email=""))
    assert answer.status_code == 400
    assert Report.objects.count() == 0


def test_lifting_privacy_needs_consent_and_is_recorded(desk_client: Client) -> None:
    desk_client.post("/kantor/loket/", form(is_anonymous=None, is_confidential=None))
    report = Report.objects.get()
    assert not report.is_anonymous and not report.is_confidential


def test_the_form_needs_a_signed_in_officer(client: Client) -> None:
    RegencyFactory()
    answer = client.post("/kantor/loket/", form())
    assert answer.status_code == 302 and "/kantor/masuk/" in answer["Location"]
    assert Report.objects.count() == 0


def test_the_receipt_sms_of_a_rahasia_walkin_report_names_nobody(desk_client: Client) -> None:
    desk_client.post("/kantor/loket/", form())
    body = Notification.objects.get(channel="sms").body
    assert "Budi" not in body and "KTP" not in body and "+62812" not in body


@pytest.mark.parametrize(
    "role",
    [
        Membership.Role.NATIONAL_ADMIN,
        Membership.Role.AGENCY_ADMIN,
        Membership.Role.UNIT_OFFICER,
        Membership.Role.INSPECTOR,
    ],
)
def test_every_officer_finds_the_desk_in_the_menu(client: Client, role: str) -> None:
    # given an officer of any role, who may use the desk (the view asks only for an officer)
    sign_in(client, officer(AgencyFactory(), role=role))
    # when they open the back office
    home = client.get("/kantor/", follow=True).content.decode()
    # then the menu links to the desk, marked as the current page on the desk itself
    assert 'id="nav-walkin" href="/kantor/loket/"' in home
    assert 'href="/kantor/loket/" aria-current="page"' not in home
    desk = client.get("/kantor/loket/")
    assert desk.status_code == 200
    assert 'href="/kantor/loket/" aria-current="page"' in desk.content.decode()


def test_no_desk_link_before_signing_in(client: Client) -> None:
    page = client.get("/kantor/", follow=True)
    assert page.status_code == 200
    assert "Nama pengguna" in page.content.decode()  # the sign-in form
    assert "/kantor/loket/" not in page.content.decode()
    assert client.get("/kantor/loket/").status_code == 302  # the desk asks to sign in
