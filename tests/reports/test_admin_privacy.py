"""The admin is for configuration: no page of it shows who filed an anonim report or what a
rahasia report says, and no search tells whether a name, address or phrase is in one."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from lapor.accounts.models import User
from lapor.agencies.models import Membership
from lapor.core import ids
from lapor.notifications.models import Notification
from lapor.reports import services
from lapor.reports.models import Report
from lapor.reports.services.submit import Upload
from tests.accounts.signed_in import admin_session
from tests.factories import AgencyFactory, MembershipFactory, UserFactory, officer, submit

pytestmark = pytest.mark.django_db
MARKERS = {
    "title": "Pungli penanda-judul di kelurahan",
    "body": "Petugas meminta uang penanda-isi sebelum surat keterangan dibuat, setiap kali.",
    "contact_name": "Nama Penanda-Pelapor",
    "contact_email": "penanda.surel@contoh.id",
    "contact_phone": "0812 9999 7777",
    "account": "penanda.akun",
    "account_email": "penanda.akun@contoh.id",
    "question": "Mohon kirim penanda-pertanyaan tanggal kejadian yang tepat.",
    "attachment": "penanda-lampiran.jpg",
}
SEARCHABLE = ["penanda", "penanda.surel@contoh.id", "0812", "penanda.akun", "Pungli"]


def _jpeg() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "JPEG")
    out.seek(0)
    return out


@pytest.fixture
def secret_report() -> Report:
    """A rahasia, anonim report by an account holder, with an attachment, a clarification
    question from the agency, and the notifications those wrote."""
    reporter = UserFactory(username=MARKERS["account"], email=MARKERS["account_email"])
    report = submit(
        title=MARKERS["title"],
        body=MARKERS["body"],
        reporter=reporter,
        contact_name=MARKERS["contact_name"],
        contact_email=MARKERS["contact_email"],
        contact_phone=MARKERS["contact_phone"],
        is_anonymous=True,
        is_confidential=True,
        attachments=[Upload(MARKERS["attachment"], _jpeg())],
    ).report
    agency = AgencyFactory()
    root = AgencyFactory(code="kemenpanrb", kind="national")
    admin = MembershipFactory(agency=root, role=Membership.Role.NATIONAL_ADMIN).user
    services.report_dispose(report=report, to_agency=agency, actor=admin)
    report.refresh_from_db()
    services.report_request_info(report=report, actor=officer(agency), question=MARKERS["question"])
    report.refresh_from_db()
    assert Notification.objects.filter(report=report).exists()
    return report


def _national_superuser() -> User:
    user = UserFactory(username="super", is_staff=True, is_superuser=True)
    MembershipFactory(
        user=user, agency=AgencyFactory(code="pusat", kind="national"),
        role=Membership.Role.NATIONAL_ADMIN,
    )  # fmt: skip
    return user


def _leaks(html: str) -> list[str]:
    phone_digits = "".join(ch for ch in MARKERS["contact_phone"] if ch.isdigit())
    found = [key for key, value in MARKERS.items() if value.lower() in html.lower()]
    return found + (["contact_phone"] if phone_digits[1:] in html else [])


def test_no_admin_page_shows_the_reporter_or_the_content(secret_report: Report) -> None:
    # given a superuser who is also a national admin, signed in to the admin
    client = admin_session(Client(), _national_superuser())
    event = secret_report.events.order_by("seq").last()
    assert event is not None
    pages = [
        reverse("admin:reports_report_changelist"),
        reverse("admin:reports_report_change", args=[secret_report.pk]),
        reverse("admin:reports_reportevent_changelist"),
        reverse("admin:reports_reportevent_change", args=[event.pk]),
        reverse("admin:notifications_notification_changelist"),
    ]
    # when they open every page that lists or shows the report, its events and notifications
    for url in pages:
        response = client.get(url)
        # then the page opens and says nothing of who filed it or what it says
        assert response.status_code == 200, url
        assert _leaks(response.text) == [], url
    # and the report is still found by its tracking ID
    found = client.get(pages[0], {"q": secret_report.tracking_id})
    assert secret_report.tracking_id in found.text


def test_a_report_merged_into_a_rahasia_one_names_it_by_tracking_id(secret_report: Report) -> None:
    # given a report merged into the rahasia one
    other = submit(title="Laporan lain yang sama").report
    Report.objects.filter(pk=other.pk).update(merged_into=secret_report)
    client = admin_session(Client(), _national_superuser())
    # when its admin page is opened, then the rahasia report is named by tracking ID only
    response = client.get(reverse("admin:reports_report_change", args=[other.pk]))
    assert response.status_code == 200
    assert ids.display(secret_report.tracking_id) in response.text
    assert _leaks(response.text) == []


def test_no_notification_detail_page(secret_report: Report) -> None:
    client = admin_session(Client(), _national_superuser())
    notification = Notification.objects.filter(report=secret_report).first()
    assert notification is not None
    url = reverse("admin:notifications_notification_change", args=[notification.pk])
    assert client.get(url).status_code == 404


def test_opening_the_report_in_the_admin_records_no_view(secret_report: Report) -> None:
    # the admin shows nothing confidential, so there is no view to record in its history
    client = admin_session(Client(), _national_superuser())
    count = secret_report.events.count()
    client.get(reverse("admin:reports_report_change", args=[secret_report.pk]))
    assert secret_report.events.count() == count


@pytest.mark.parametrize("term", SEARCHABLE)
def test_search_cannot_find_the_report_by_hidden_fields(secret_report: Report, term: str) -> None:
    # given the admin's report, event and notification lists
    client = admin_session(Client(), _national_superuser())
    for name in ["reports_report", "reports_reportevent", "notifications_notification"]:
        # when one searches them for a contact, the account or words of the report
        response = client.get(reverse(f"admin:{name}_changelist"), {"q": term})
        # then nothing is found: the search does not tell the report exists
        assert response.status_code == 200
        assert secret_report.tracking_id not in response.text, (name, term)


def test_delete_pages_name_no_report_of_an_account_or_agency(secret_report: Report) -> None:
    # given a superuser opening the delete pages of the reporter's account and of the handling
    # agency (the reports in the way are listed there)
    client = admin_session(Client(), _national_superuser())
    assert secret_report.reporter is not None and secret_report.agency is not None
    pages = [
        reverse("admin:accounts_user_delete", args=[secret_report.reporter.pk]),
        reverse("admin:agencies_agency_delete", args=[secret_report.agency.pk]),
    ]
    for url in pages:
        response = client.get(url)
        # then the reports in the way are counted by kind, never named
        assert response.status_code == 200, url
        shown = set(_leaks(response.text)) - ({"account"} if "accounts" in url else set())
        assert shown == set(), url
        assert secret_report.tracking_id not in response.text, url
        assert f"{secret_report.pk}#" not in response.text, url
