"""The walk-in desk in headless Chromium: an officer records a citizen's complaint at the
counter and prints the receipt."""

from __future__ import annotations

import os

import pytest

from lapor.core import ids
from lapor.notifications.models import Notification
from lapor.reports.models import Report
from tests.backoffice.conftest import PASSWORD, current_code, desk  # noqa: F401
from tests.browser.conftest import _missing, _on_postgres, chromium, shot  # noqa: F401
from tests.factories import AgencyFactory, RegencyFactory, officer

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(_on_postgres(), reason="browser flows run once, on the SQLite half"),
    pytest.mark.skipif(bool(_missing()) and not os.environ.get("CI"), reason=str(_missing() or "")),
]


def test_officer_records_a_walkin_complaint_and_prints_the_receipt(desk):  # noqa: F811
    from lapor.backoffice.access import enrol_totp

    RegencyFactory()
    user = officer(AgencyFactory(name="Mal Pelayanan Publik Demak"))
    device = enrol_totp(user)
    desk.goto("/kantor/")
    desk.get_by_label("Nama pengguna").fill(user.username)
    desk.get_by_label("Kata sandi").fill(PASSWORD)
    desk.get_by_label("Kode autentikator (6 angka)").fill(current_code(device))
    desk.get_by_role("button", name="Masuk").click()
    # The menu of every page leads to the desk's form.
    desk.locator("#nav-walkin").click()
    desk.wait_for_url("**/kantor/loket/")
    assert desk.locator("#nav-walkin").get_attribute("aria-current") == "page"
    desk.get_by_label("Telepon (pusat panggilan)").check()
    desk.get_by_label("Nama warga").fill("Budi Santoso")
    desk.get_by_label("Nomor ponsel warga (untuk SMS tanda terima)").fill("0812 3456 7890")
    desk.get_by_label("Lokasi kejadian (kabupaten/kota)").select_option("33.21")
    desk.get_by_label("Judul").fill("Pungutan liar pengurusan KTP")
    desk.get_by_label("Isi laporan").fill(
        "Pengurusan KTP di kecamatan dimintai uang tambahan tanpa kuitansi oleh petugas."
    )
    # The privacy defaults are on; without the citizen's consent nothing is saved.
    assert desk.get_by_label("Anonim", exact=False).is_checked()
    assert desk.get_by_label("Rahasia", exact=False).is_checked()
    desk.get_by_role("button", name="Simpan dan cetak tanda terima").click()
    assert "Bacakan pilihan privasi" in desk.content()
    assert Report.objects.count() == 0
    desk.get_by_label("Isi laporan").fill(
        "Pengurusan KTP di kecamatan dimintai uang tambahan tanpa kuitansi oleh petugas."
    )
    desk.get_by_label("Pilihan privasi di atas sudah saya bacakan", exact=False).check()
    shot(desk, "channels-walkin-form")
    desk.get_by_role("button", name="Simpan dan cetak tanda terima").click()
    receipt = desk.locator("#receipt")
    receipt.wait_for()
    report = Report.objects.get()
    assert ids.display(report.tracking_id) in receipt.inner_text()
    secret = desk.locator("#receipt-secret").inner_text().strip()
    assert ids.secret_matches(secret, report.guest_secret_hash)
    assert "Budi" not in receipt.inner_text()  # the receipt names no one
    assert "Telepon (pusat panggilan)" in receipt.inner_text()
    assert report.channel == Report.Channel.TELEPON
    shot(desk, "channels-walkin-receipt")
    assert Notification.objects.filter(channel="sms", recipient="+6281234567890").count() == 1
