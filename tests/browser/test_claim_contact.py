"""A citizen who filed by SMS signs in on the web, verifies the number and finds the report
under "Laporan saya", in a real browser on a 360 px screen."""

from __future__ import annotations

import re

import pytest

from lapor.accounts import verify
from lapor.notifications.models import Notification
from lapor.reports.models import Report
from tests.browser.conftest import fits_phone, shot
from tests.factories import UserFactory, submit

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Lampu jalan padam di Gang Mawar"


def test_citizen_verifies_their_number_and_claims_their_sms_report(page):
    # given a report filed by SMS from 0812-3456-7890, and the citizen's web account
    report = submit(
        channel="sms", title=TITLE, contact_email="", contact_phone="0812-3456-7890"
    ).report
    other = submit(channel="sms", contact_email="", contact_phone="0813-1111-2222").report
    UserFactory(username="budi", email="budi@contoh.id")
    page.goto("/akun/masuk/")
    page.locator("#id_identifier").fill("budi@contoh.id")
    page.locator("#id_password").fill("rahasia-uji-123")
    page.get_by_role("button", name="Masuk").last.click()
    page.goto("/akun/laporan-saya/")
    assert TITLE not in page.content()
    # when they follow the link, ask for a code for their number and type it
    page.locator("#verifikasi-kontak").click()
    page.get_by_label("Nomor telepon atau alamat surel").fill("0812 3456 7890")
    page.get_by_role("button", name="Kirim kode").click()
    assert "+6281234567890" in page.locator("#form-kode").inner_text()
    body = Notification.objects.filter(kind=verify.KIND).latest("pk").body
    code = re.findall(r"\b\d{6}\b", body)[0]
    page.get_by_label("Kode verifikasi (6 angka)").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Verifikasi kode").click()
    assert "Kode salah" in page.locator("#id_code_error").inner_text()
    assert fits_phone(page)
    shot(page, "claim-contact-wrong-code")
    page.get_by_label("Kode verifikasi (6 angka)").fill(code)
    page.get_by_role("button", name="Verifikasi kode").click()
    # then their SMS report is listed as theirs, and nobody else's is
    page.wait_for_url(lambda url: url.endswith("/akun/laporan-saya/"))
    assert TITLE in page.content() and "1 laporan kini tampil" in page.content()
    assert Report.objects.get(pk=report.pk).reporter.username == "budi"
    assert Report.objects.get(pk=other.pk).reporter_id is None
    assert fits_phone(page)
    shot(page, "claim-contact-done")
