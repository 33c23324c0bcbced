"""The whole whistleblowing flow in headless Chromium: a civil servant reports abuse of
authority, the inspector reads it with their passphrase and asks a question, the whistleblower
answers with only the receipt, and the inspector concludes."""

from __future__ import annotations

import os
import re

import pytest

from lapor.wbs.models import Case, Stage
from tests.backoffice.conftest import PASSWORD, current_code
from tests.browser.conftest import _missing, _on_postgres, fits_phone, shot
from tests.wbs.conftest import HOW, PASSPHRASE, WHAT, WHEN, WHERE, WHO, _fast_kdf, tree  # noqa: F401

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(_on_postgres(), reason="browser flows run once, on the SQLite half"),
    pytest.mark.skipif(bool(_missing()) and not os.environ.get("CI"), reason=str(_missing() or "")),
]

QUESTION = "Apakah ada saksi lain yang melihat penyerahan uang itu?"
ANSWER = "Ada, seorang pemohon izin warung bakso pada 12 Oktober 2026."
EVIDENCE = b"%PDF-1.4\n" + os.urandom(90_000)


def _desk(chromium, live_server):  # type: ignore[no-untyped-def]
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, base_url=live_server.url, locale="id-ID"
    )
    tab = context.new_page()
    tab.set_default_timeout(15000)
    return tab


def test_report_read_question_answer_conclusion(page, chromium, live_server, tree):  # noqa: F811
    from lapor.backoffice.access import enrol_totp

    # a civil servant finds the WBS from the portal's footer and reports, without a name
    page.goto("/")
    page.get_by_role("link", name="Pengaduan pelanggaran (WBS)").click()
    assert page.locator("h1").inner_text() == "Pengaduan Pelanggaran (Whistleblowing)"
    page.get_by_role("link", name="Buat pengaduan pelanggaran").click()
    page.get_by_label("Instansi yang dilaporkan").select_option("pemkab-3321")
    page.get_by_label("Apa yang terjadi?").fill(WHAT)
    page.get_by_label("Siapa yang terlibat (nama, jabatan)?").fill(WHO)
    page.get_by_label("Di mana?").fill(WHERE)
    page.get_by_label("Kapan?").fill(WHEN)
    page.get_by_label("Bagaimana kejadiannya?").fill(HOW)
    page.get_by_label("Berkas bukti").set_input_files(
        [{"name": "kuitansi.pdf", "mimeType": "application/pdf", "buffer": EVIDENCE}]
    )
    assert fits_phone(page)
    shot(page, "wbs-submit-form")
    page.get_by_role("button", name="Kirim pengaduan").click()
    receipt = page.locator("#resi").inner_text().replace(" ", "")
    assert re.fullmatch(r"\d{16}", receipt)
    assert fits_phone(page)
    shot(page, "wbs-receipt")
    case = Case.objects.get()
    assert case.handled_by == tree.demak

    # the inspector signs in with two factors, unlocks with the passphrase and reads
    desk = _desk(chromium, live_server)
    device = enrol_totp(tree.demak_inspector)
    desk.goto("/wbs/kantor/")
    desk.get_by_label("Nama pengguna").fill(tree.demak_inspector.username)
    desk.get_by_label("Kata sandi").fill(PASSWORD)
    desk.get_by_label("Kode autentikator (6 angka)").fill(current_code(device))
    desk.get_by_role("button", name="Masuk").click()
    desk.get_by_label("Frasa sandi WBS").fill("frasa sandi yang keliru")
    desk.get_by_role("button", name="Buka kunci").click()
    assert "Frasa sandi WBS salah" in desk.locator("#unlock-error").inner_text()
    desk.get_by_label("Frasa sandi WBS").fill(PASSPHRASE)
    desk.get_by_role("button", name="Buka kunci").click()
    shot(desk, "wbs-inspector-inbox")
    desk.get_by_role("link", name=case.public_id).click()
    assert WHAT in desk.locator("#isi-laporan").inner_text()
    assert "kuitansi.pdf" in desk.content()
    with desk.expect_download() as download:
        desk.get_by_role("link", name="kuitansi.pdf").click()
    with open(download.value.path(), "rb") as f:
        assert f.read() == EVIDENCE
    shot(desk, "wbs-inspector-reads")
    desk.get_by_label("Pesan").fill(QUESTION)
    desk.get_by_role("button", name="Kirim pertanyaan").click()
    assert QUESTION in desk.locator("#pesan").inner_text()

    # the whistleblower, in a fresh browser, opens the case with only the receipt and answers
    page.context.clear_cookies()
    page.goto("/wbs/")
    page.get_by_label("Nomor resi (16 angka)").fill(receipt)
    page.get_by_role("button", name="Buka laporan saya").click()
    assert QUESTION in page.locator("#pesan").inner_text()
    assert WHAT not in page.content()
    page.get_by_label("Pesan").fill(ANSWER)
    page.get_by_role("button", name="Kirim pesan").click()
    assert ANSWER in page.locator("#pesan").inner_text()
    assert fits_phone(page)
    shot(page, "wbs-whistleblower-answers")

    # the inspector reads the answer and concludes: substantiated
    desk.reload()
    assert ANSWER in desk.locator("#pesan").inner_text()
    for stage in ("Verifikasi", "Investigasi"):
        desk.get_by_label("Tahap berikutnya").select_option(label=stage)
        desk.get_by_role("button", name="Simpan tahap").click()
    desk.get_by_label("Tahap berikutnya").select_option(label="Selesai")
    desk.get_by_label("Hasil (bila selesai)").select_option(label="Terbukti")
    desk.get_by_role("button", name="Simpan tahap").click()
    assert "Selesai" in desk.locator("#tahap").inner_text()
    shot(desk, "wbs-inspector-concludes")
    case.refresh_from_db()
    assert (case.stage, case.outcome) == (Stage.CONCLUDED, "terbukti")

    # the whistleblower sees the conclusion
    page.reload()
    assert "Selesai — Terbukti" in page.locator("#tahap").inner_text()
    shot(page, "wbs-whistleblower-sees-conclusion")
    desk.context.close()


def test_the_portal_offers_the_wbs_for_a_complaint_about_pungli(page, tree):  # noqa: F811
    from tests.factories import RegencyFactory

    RegencyFactory()
    page.goto("/lapor/")
    page.get_by_label("Judul laporan").fill("Pungli di loket perizinan")
    page.get_by_label("Isi laporan").fill(
        "Petugas meminta uang pelicin untuk mempercepat izin usaha."
    )
    page.get_by_label("Kabupaten/kota kejadian").select_option("33.21")
    page.locator("#id_contact_email").fill("warga@contoh.id")
    page.get_by_role("button", name="Kirim laporan").click()
    assert page.locator("#tawaran-wbs").is_visible()
    assert fits_phone(page)
    shot(page, "wbs-offered-on-the-portal")
    page.get_by_role("link", name="Buat pengaduan pelanggaran (WBS)").first.click()
    assert page.url.endswith("/wbs/lapor/")
