"""An officer's day in headless Chromium: sign in with two factors, triage, forward, answer,
and the reporter's reply and rating on the portal until the report is finished."""

from __future__ import annotations

import os

import pytest

from lapor.agencies.models import Membership
from lapor.backoffice.access import enrol_totp
from lapor.core import ids
from lapor.reports.lifecycle import Action, Status
from lapor.reports.models import Report
from tests.backoffice.conftest import PASSWORD, current_code
from tests.browser.conftest import ARTIFACTS, _missing, _on_postgres, shot
from tests.factories import AgencyFactory, UnitFactory, national_admin, officer, submit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(_on_postgres(), reason="browser flows run once, on the SQLite half"),
    pytest.mark.skipif(bool(_missing()) and not os.environ.get("CI"), reason=str(_missing() or "")),
]

ANSWER = "Jembatan sudah kami perbaiki pada 12 Maret; silakan laporkan bila masih rusak."
REPLY = "Retak di sisi timur jembatan belum ditambal, masih berbahaya untuk motor."
SECOND_ANSWER = "Retak sisi timur sudah kami tambal pada 20 Maret; terima kasih atas laporannya."


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


def test_a_report_goes_from_triage_to_finished_across_three_desks_and_the_portal(desk):
    kab = AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")
    dpu = UnitFactory(parent=kab, code="pemkab-3321-dpu", name="Dinas PU Demak")
    AgencyFactory(code="pemkot-3374", name="Pemerintah Kota Semarang")
    sub = submit(title="Jembatan Kali Tuntang retak")
    tracking = ids.display(sub.report.tracking_id)

    # the national admin finds the report in triage and disposes it to the regency
    _sign_in(desk, national_admin())
    assert desk.locator("#count-triase").inner_text() == "1"
    desk.get_by_role("link", name=tracking).click()
    # about a thousand agencies: the officer narrows the list by searching (no JavaScript)
    desk.get_by_label("Cari instansi").fill("demak")
    desk.get_by_role("button", name="Cari", exact=True).click()
    # the regency's government and its unit match (a search finds units too)
    assert "2 instansi cocok dengan “demak”" in desk.locator("#dispose-agency-found").inner_text()
    assert desk.url.endswith("?instansi=demak#act-dispose")
    desk.locator("#act-dispose").screenshot(path=str(ARTIFACTS / "backoffice-agency-search.png"))
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

    # the reporter reads the answer on the portal and replies: the crack on the east side is
    # still open. The reply stops the automatic close and gives the report back to the unit.
    desk.goto(f"/lacak/{tracking}/")
    desk.get_by_label("Kode rahasia").fill(sub.secret)
    desk.get_by_role("button", name="Buka detail").click()
    assert ANSWER in desk.content()
    assert desk.locator("#status").inner_text() == "Ditindaklanjuti"
    desk.get_by_label("Tanggapan atau informasi tambahan").fill(REPLY)
    desk.get_by_role("button", name="Kirim tanggapan").click()
    assert "Tanggapan Anda terkirim ke petugas." in desk.content()
    assert desk.locator("#status").inner_text() == "Diproses unit kerja"
    assert Report.objects.get().status == Status.IN_PROGRESS
    shot(desk, "backoffice-reporter-replied")

    # the unit officer reads the reply in the history and answers again
    _sign_in(desk, officer(dpu, Membership.Role.UNIT_OFFICER))
    assert desk.locator("#count-tugas").inner_text() == "1"
    desk.get_by_role("link", name=tracking).click()
    assert REPLY in desk.locator("#timeline").inner_text()
    desk.get_by_label("Jawaban").fill(SECOND_ANSWER)
    desk.get_by_role("button", name="Kirim tindak lanjut").click()
    assert desk.locator("#status").inner_text() == "Ditindaklanjuti"
    # a unit officer drafts answers; completing the report is the agency admin's
    assert desk.locator("#act-complete").count() == 0
    _sign_out(desk)

    # the agency admin completes it: the report is finished ("Selesai")
    _sign_in(desk, officer(kab))
    desk.goto(f"/kantor/laporan/{tracking}/")
    desk.get_by_label("Catatan penutup").fill("Perbaikan sisi timur selesai.")
    desk.get_by_role("button", name="Selesaikan").click()
    assert desk.locator("#status").inner_text() == "Selesai"
    assert desk.locator("#act-complete").count() == 0  # finished: nothing left to complete
    _sign_out(desk)

    # the reporter sees it finished on the portal and rates the outcome (signing the officer
    # out ended the session, so the reporter gives the secret again)
    desk.goto(f"/lacak/{tracking}/")
    assert desk.locator("#status").inner_text() == "Selesai"
    desk.get_by_label("Kode rahasia").fill(sub.secret)
    desk.get_by_role("button", name="Buka detail").click()
    assert SECOND_ANSWER in desk.content()
    assert desk.get_by_label("Tanggapan atau informasi tambahan").count() == 0  # no more replies
    desk.get_by_label("5", exact=True).check()
    desk.get_by_label("Komentar").fill("Cepat dan jelas, terima kasih.")
    desk.get_by_role("button", name="Kirim nilai").click()
    assert "Terima kasih atas penilaian Anda." in desk.content()
    assert desk.locator("#status").inner_text() == "Selesai"
    assert "5/5" in desk.content()
    assert desk.get_by_role("button", name="Kirim nilai").count() == 0  # rated once only
    shot(desk, "backoffice-closed")
    report = Report.objects.get()
    assert report.status == Status.COMPLETED and report.rating == 5
    assert report.closed_at is not None and report.autoclose_at is None
    steps = report.events.exclude(action=Action.VIEW_CONFIDENTIAL).order_by("seq")
    assert list(steps.values_list("action", flat=True))[-5:] == [
        Action.FOLLOW_UP,
        Action.REPORTER_REPLY,
        Action.FOLLOW_UP,
        Action.COMPLETE,
        Action.RATE,
    ]


def test_bulk_disposition_from_the_triage_queue(desk):
    kab = AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")
    reports = [submit(title=f"Laporan massal {n}").report for n in range(3)]
    _sign_in(desk, national_admin())
    for report in reports[:2]:
        desk.get_by_label(f"Pilih {ids.display(report.tracking_id)}").check()
    desk.get_by_label("Disposisikan laporan terpilih ke").select_option(kab.code)
    desk.get_by_role("button", name="Disposisikan yang dipilih").click()
    assert "2 laporan didisposisikan" in desk.content()
    assert desk.locator("#count-triase").inner_text() == "1"
    assert desk.locator("#count-masuk").inner_text() == "2"
    shot(desk, "backoffice-bulk")
