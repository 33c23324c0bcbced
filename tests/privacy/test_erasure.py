"""A reporter erases their identity: their name, e-mail and phone are gone from every table,
from the outbox and from the search index; the report stays, reads "Anonim", and the audit
trail still verifies."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from lapor.accounts.models import User
from lapor.notifications.models import Notification
from lapor.reports import services
from lapor.reports.lifecycle import Action
from lapor.reports.models import Report, Supporter
from lapor.reports.search import search_reports
from tests.factories import UserFactory, national_admin, officer, submit
from tests.portal.conftest import ANSWER, answered
from tests.privacy.conftest import (
    EMAIL,
    IDENTITY,
    MARKERS,
    NAME,
    enter_secret,
    found_in_models,
    found_in_tables,
)

pytestmark = pytest.mark.django_db

CONFIRM = {"confirm": "on"}


def _audit_intact() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out)  # raises CommandError on a broken chain
    return out.getvalue()


def _guest_world(kab):  # type: ignore[no-untyped-def]
    """A guest's public, named report with an answer (messages to their address), and a second
    report of theirs merged into another citizen's (a supporter row holding their address)."""
    filed = submit(is_anonymous=False, is_confidential=False, **IDENTITY)
    answered(filed.report, kab)
    other = submit(is_anonymous=False, is_confidential=False).report
    duplicate = submit(**IDENTITY)
    admin = national_admin()
    services.report_dispose(report=other, to_agency=kab, actor=admin)
    services.report_dispose(report=duplicate.report, to_agency=kab, actor=admin)
    services.report_merge(report=duplicate.report, into=other, actor=officer(kab))
    services.report_follow_up(report=other, actor=officer(kab), message=ANSWER)  # told too
    return filed, duplicate, other


def test_guest_erases_identity_from_every_table_outbox_and_index(client: Client, kab):
    # given a guest whose name, address and phone are in reports, supporters and the outbox
    filed, duplicate, other = _guest_world(kab)
    assert Notification.objects.filter(recipient=EMAIL).count() >= 2
    assert Supporter.objects.filter(report=other, contact_email=EMAIL).exists()
    assert Notification.objects.filter(report=other, recipient=EMAIL).exists()
    assert found_in_models() and found_in_tables()  # the search finds them before
    # when they erase their identity from both reports, each proven by its secret
    for sub in (filed, duplicate):
        enter_secret(client, sub.report.tracking_id, sub.secret)
        warning = client.get(f"/lacak/{sub.report.tracking_id}/hapus-identitas/").content.decode()
        assert "tidak dapat dibatalkan" in warning
        response = client.post(f"/lacak/{sub.report.tracking_id}/hapus-identitas/", CONFIRM)
        assert response.status_code == 302
    # then no table holds any of it: not the reports, not the supporters, not the outbox
    assert found_in_models() == []
    assert found_in_tables() == []
    for marker in MARKERS:
        assert not search_reports(Report.objects.all(), marker).exists()
    # and the messages to them are kept as a count, without address or text
    redacted = Notification.objects.filter(report=filed.report, recipient="")
    assert redacted.exists() and set(redacted.values_list("body", flat=True)) == {""}
    # and the reports stay, content and all, and read "Anonim"
    report = Report.objects.get(pk=filed.report.pk)
    assert report.is_anonymous and report.identity_erased_at is not None
    assert "Jalan di depan pasar berlubang" in report.body
    public = client.get(f"/laporan/{report.tracking_id}/").content.decode()
    assert "Anonim" in public and NAME not in public
    # and the erase event says why, never what, and every chain still verifies
    event = report.events.get(action=Action.ERASE_IDENTITY)
    assert event.data == {"by": "reporter"} and event.message == ""
    assert "audit trail intact" in _audit_intact()
    # and the reporter still follows the report with the secret, and sees the erasure
    track = client.get(f"/lacak/{report.tracking_id}/").content.decode()
    assert "dihapus dari laporan ini" in track and "Hapus nama dan kontak saya" not in track


def test_erasure_needs_the_confirmation_and_the_secret(client: Client, kab):
    sub = submit(**IDENTITY)
    url = f"/lacak/{sub.report.tracking_id}/hapus-identitas/"
    # without the secret: back to the track page, nothing erased
    response = client.post(url, CONFIRM)
    assert response.status_code == 302 and response["Location"].startswith("/lacak/")
    # with the secret but without ticking the warning: asked again, nothing erased
    enter_secret(client, sub.report.tracking_id, sub.secret)
    html = client.post(url, {}).content.decode()
    assert "Centang kotak ini untuk melanjutkan." in html
    sub.report.refresh_from_db()
    assert sub.report.contact_email == EMAIL and sub.report.identity_erased_at is None


def test_account_erasure_closes_the_account_and_erases_every_report(client: Client, kab):
    # given an account holding the identity, with two reports and a support of another report
    user = UserFactory(
        username=EMAIL, email=EMAIL, phone="081299887766", first_name="Markonah",
        last_name="Zulfikarsyah",
    )  # fmt: skip
    mine = [
        submit(reporter=user, contact_email="", contact_name="", is_anonymous=False).report
        for _ in range(2)
    ]
    answered(mine[0], kab)
    public = submit(is_confidential=False).report
    services.report_support(report=public, user=user)
    assert found_in_models()
    client.force_login(user)
    # when they confirm the erasure on their "Data saya" page, reached from "Laporan saya"
    assert "/akun/data-saya/" in client.get("/akun/laporan-saya/").content.decode()
    assert "tidak dapat dibatalkan" in client.get("/akun/data-saya/hapus/").content.decode()
    response = client.post("/akun/data-saya/hapus/", CONFIRM, follow=True)
    # then they are signed out with a word on what happened
    assert "Akun Anda sudah dihapus" in response.content.decode()
    assert not response.context["user"].is_authenticated
    # and the account identifies nobody and cannot be used again
    user = User.objects.get(pk=user.pk)
    assert not user.is_active and not user.has_usable_password()
    assert (user.email, user.phone, user.first_name, user.last_name) == ("", "", "", "")
    assert not client.login(username=EMAIL, password="rahasia-uji-123")
    # and nothing of them is left anywhere, while the reports stay as anonim reports
    assert found_in_models() == [] and found_in_tables() == []
    for report in Report.objects.filter(pk__in=[r.pk for r in mine]):
        assert report.is_anonymous and report.identity_erased_at is not None
    assert "audit trail intact" in _audit_intact()


def test_an_officer_account_is_not_erased_from_the_portal(client: Client, kab):
    user = officer(kab)
    client.force_login(user)
    html = client.post("/akun/data-saya/hapus/", CONFIRM).content.decode()
    assert "Akun petugas tidak dapat dihapus dari sini" in html
    user.refresh_from_db()
    assert user.is_active and user.email
