"""An officer's day in headless Chromium: sign in with two factors, triage, forward, answer."""

from __future__ import annotations

import os

import pytest

from lapor.agencies.models import Membership
from lapor.backoffice.access import enrol_totp
from lapor.reports.lifecycle import Status
from lapor.reports.models import Report
from tests.backoffice.conftest import PASSWORD, current_code
from tests.browser.conftest import _missing, _on_postgres, shot
from tests.factories import AgencyFactory, UnitFactory, national_admin, officer, submit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(_on_postgres(), reason="browser flows run once, on the SQLite half"),
    pytest.mark.skipif(bool(_missing()) and not os.environ.get("CI"), reason=str(_missing() or "")),
]

ANSWER = "Jembatan sudah kami perbaiki pada 12 Maret; silakan laporkan bila masih rusak."


def _sign_in(page, user, code: str | None = None) -> None:  # type: ignore[no-untyped-def]
    device = enrol_totp(user)
    page.goto("/kantor/")
    page.get_by_label("Nama pengguna").fill(user.username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_label("Kode autentikator (6 angka)").fill(code or current_code(device))
    page.get_by_role("button", name="Masuk").click()


def _sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Keluar").click()


def test_officer_needs_the_authenticator_code_to_enter(desk):
    user = officer(AgencyFactory(name="Pemerintah Kabupaten Demak"))
    # a wrong code is refused with what to do next
    _sign_in(desk, user, code="000000")
    assert "kode autentikator salah" in desk.locator("#login-error").inner_text()
    # the code from the authenticator opens the agency inbox
    _sign_in(desk, user)
    assert desk.url.endswith("/kantor/antrean/masuk/")
    assert "Pemerintah Kabupaten Demak" in desk.locator("#whoami").inner_text()
    shot(desk, "backoffice-inbox")


def test_triage_dispose_forward_and_answer_across_three_desks(desk):
    kab = AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")
    dpu = UnitFactory(parent=kab, code="pemkab-3321-dpu", name="Dinas PU Demak")
    sub = submit(title="Jembatan Kali Tuntang retak")
    tracking = sub.report.tracking_id

    # the national admin finds the report in triage and disposes it to the regency
    _sign_in(desk, national_admin())
    assert desk.locator("#count-triase").inner_text() == "1"
    desk.get_by_role("link", name=tracking).click()
    desk.get_by_label("Instansi tujuan").select_option(kab.code)
    desk.get_by_label("Catatan disposisi").fill("Jembatan kabupaten.")
    desk.get_by_role("button", name="Verifikasi dan disposisikan").click()
    assert desk.locator("#status").inner_text() == "Didisposisikan ke instansi"
    shot(desk, "backoffice-disposed")
    _sign_out(desk)

    # the agency admin forwards it to the public-works unit
    _sign_in(desk, officer(kab))
    assert desk.locator("#count-masuk").inner_text() == "1"
    desk.get_by_role("link", name=tracking).click()
    desk.get_by_label("Unit kerja").select_option(dpu.code)
    desk.get_by_role("button", name="Teruskan ke unit").click()
    assert desk.locator("#status").inner_text() == "Diproses unit kerja"
    _sign_out(desk)

    # the unit officer answers; a too-short answer is refused first, in Indonesian
    _sign_in(desk, officer(dpu, Membership.Role.UNIT_OFFICER))
    assert desk.url.endswith("/kantor/antrean/tugas/")
    desk.get_by_role("link", name=tracking).click()
    desk.get_by_label("Jawaban").fill("Sudah.")
    desk.get_by_role("button", name="Kirim tindak lanjut").click()
    assert "paling sedikit 20 karakter" in desk.locator("#act-follow_up").inner_text()
    desk.get_by_label("Jawaban").fill(ANSWER)
    desk.get_by_role("button", name="Kirim tindak lanjut").click()
    assert desk.locator("#status").inner_text() == "Ditindaklanjuti"
    assert ANSWER in desk.locator("#timeline").inner_text()
    shot(desk, "backoffice-answered")
    _sign_out(desk)

    # the reporter reads the answer on the portal
    desk.goto(f"/lacak/{tracking}/")
    desk.get_by_label("Kode rahasia").fill(sub.secret)
    desk.get_by_role("button", name="Buka detail").click()
    assert ANSWER in desk.content()
    assert Report.objects.get().status == Status.ANSWERED


def test_bulk_disposition_from_the_triage_queue(desk):
    kab = AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")
    reports = [submit(title=f"Laporan massal {n}").report for n in range(3)]
    _sign_in(desk, national_admin())
    for report in reports[:2]:
        desk.get_by_label(f"Pilih {report.tracking_id}").check()
    desk.get_by_label("Disposisikan laporan terpilih ke").select_option(kab.code)
    desk.get_by_role("button", name="Disposisikan yang dipilih").click()
    assert "2 laporan didisposisikan" in desk.content()
    assert desk.locator("#count-triase").inner_text() == "1"
    assert desk.locator("#count-masuk").inner_text() == "2"
    shot(desk, "backoffice-bulk")
