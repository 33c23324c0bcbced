"""A first-time citizen and officer, on a 360 px phone and a 1366 px desktop: the kecamatan
picker (and what it says when a level is missing), the latest answer above the reply form with
the status linked to its explanation, the agency directory, the help pages, and the bulk
disposition that keeps the ticked rows and the queue's filters. Screenshots in test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from lapor.backoffice.access import enrol_totp
from lapor.regions.models import Region
from lapor.reports.models import Report
from tests.backoffice.conftest import PASSWORD, current_code
from tests.browser.conftest import PHONE, fits_phone, shot
from tests.factories import AgencyFactory, RegencyFactory, UnitFactory, national_admin, submit
from tests.portal.conftest import ANSWER, answered

pytestmark = pytest.mark.django_db(transaction=True)
DESKTOP = {"width": 1366, "height": 900}
SIZES = {"360": PHONE, "1366": DESKTOP}


@pytest.fixture(params=list(SIZES))
def screen(request: Any, chromium: Any, live_server: Any) -> Iterator[tuple[str, Any]]:
    cache.clear()
    context = chromium.new_context(
        viewport=SIZES[request.param], base_url=live_server.url, locale="id-ID"
    )
    tab = context.new_page()
    tab.set_default_timeout(15000)
    yield request.param, tab
    context.close()


def test_kecamatan_picker_and_the_missing_level(screen):
    size, page = screen
    demak = RegencyFactory(code="33.21", name="Kabupaten Demak")
    RegencyFactory(code="33.22", name="Kabupaten Semarang", parent=demak.parent)
    for i, name in enumerate(["Mranggen", "Sayung"], start=1):
        Region.objects.create(
            code=f"33.21.{i:02d}", name=name, level="kecamatan", kind="kecamatan", parent=demak
        )
    page.goto("/lapor/")
    page.get_by_label("Judul laporan").fill("Jalan berlubang di depan pasar")
    page.get_by_label("Kabupaten/kota kejadian").select_option("33.21")
    page.get_by_role("button", name="Tampilkan kecamatan").click()
    # the picker lists Demak's kecamatan and what was typed is kept
    page.get_by_label("Kecamatan").select_option("33.21.01")
    assert page.get_by_label("Judul laporan").input_value() == "Jalan berlubang di depan pasar"
    shot(page, f"ux-kecamatan-picker-{size}")
    # a kabupaten without kecamatan data says so instead of silently reloading
    page.get_by_label("Kabupaten/kota kejadian").select_option("33.22")
    page.get_by_role("button", name="Cek laporan serupa").click()
    assert "belum tersedia" in page.locator("#district-missing").inner_text()
    assert fits_phone(page) or size != "360"
    shot(page, f"ux-kecamatan-missing-{size}")


def test_track_page_answer_first_and_status_help(screen):
    size, page = screen
    sub = submit()
    answered(sub.report)
    page.goto(f"/lacak/{sub.report.tracking_id}/")
    page.get_by_label("Kode rahasia").fill(sub.secret)
    page.get_by_role("button", name="Buka detail").click()
    answer = page.locator("#jawaban-terbaru")
    assert ANSWER in answer.inner_text()
    # the answer is above the reply form on the screen
    assert (
        answer.bounding_box()["y"]
        < page.get_by_role("button", name="Kirim tanggapan").bounding_box()["y"]
    )
    shot(page, f"ux-track-answer-first-{size}")
    # the status links to what it means
    page.locator("#status-help").click()
    assert page.url.endswith("/bantuan/status/#answered")
    assert "ditutup otomatis" in page.locator("#answered + dd").inner_text()
    assert fits_phone(page) or size != "360"
    shot(page, f"ux-help-status-{size}")


def test_agency_directory_search(screen):
    size, page = screen
    kab = AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak", kind="pemkab")
    UnitFactory(code="pemkab-3321-dinkes", name="Dinas Kesehatan Kabupaten Demak", parent=kab)
    AgencyFactory(code="bpjs-kesehatan", name="BPJS Kesehatan", kind="bumn")
    page.goto("/")
    page.get_by_role("link", name="Direktori instansi").click()
    shot(page, f"ux-directory-{size}")
    page.get_by_label("Cari instansi").fill("kesehatan demak")
    page.get_by_role("button", name="Cari").click()
    page.get_by_role("link", name="Dinas Kesehatan Kabupaten Demak").click()
    assert page.url.endswith("/instansi/pemkab-3321-dinkes/")
    assert fits_phone(page) or size != "360"
    shot(page, f"ux-directory-unit-{size}")


def test_bulk_dispose_keeps_ticks_and_filters(chromium, live_server):
    cache.clear()
    context = chromium.new_context(viewport=DESKTOP, base_url=live_server.url, locale="id-ID")
    desk = context.new_page()
    desk.set_default_timeout(15000)
    AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")
    AgencyFactory(code="pemkot-3374", name="Pemerintah Kota Semarang")
    lamp = submit(title="Lampu jalan mati di alun-alun").report
    other = submit(title="Lampu taman kota mati").report
    submit(title="Sampah menumpuk di pasar")
    admin = national_admin()
    device = enrol_totp(admin)
    desk.goto("/kantor/")
    desk.get_by_label("Nama pengguna").fill(admin.username)
    desk.get_by_label("Kata sandi").fill(PASSWORD)
    desk.get_by_label("Kode autentikator (6 angka)").fill(current_code(device))
    desk.get_by_role("button", name="Masuk").click()
    # the officer filters the triage queue, ticks two rows, then searches for the agency
    desk.get_by_label("Cari judul atau isi").fill("lampu")
    desk.get_by_role("button", name="Terapkan").click()
    desk.locator(f"#pick-{lamp.tracking_id}").check()
    desk.locator(f"#pick-{other.tracking_id}").check()
    desk.get_by_label("Cari instansi").fill("demak")
    desk.get_by_role("button", name="Cari", exact=True).click()
    # the ticks and the filter survive the search
    assert desk.locator(f"#pick-{lamp.tracking_id}").is_checked()
    assert desk.locator(f"#pick-{other.tracking_id}").is_checked()
    assert desk.get_by_label("Cari judul atau isi").input_value() == "lampu"
    shot(desk, "ux-bulk-search-kept-1366")
    desk.get_by_label("Disposisikan laporan terpilih ke").select_option("pemkab-3321")
    desk.get_by_role("button", name="Disposisikan yang dipilih").click()
    # and after the disposition the queue keeps its filter
    assert "q=lampu" in desk.url
    assert desk.get_by_label("Cari judul atau isi").input_value() == "lampu"
    assert set(Report.objects.filter(agency__code="pemkab-3321").values_list("pk", flat=True)) == {
        lamp.pk,
        other.pk,
    }
    shot(desk, "ux-bulk-after-1366")
    context.close()


def test_password_reset(screen):
    import re

    from lapor.notifications.models import Notification
    from tests.factories import UserFactory

    size, page = screen
    UserFactory(username="budi@contoh.id", email="budi@contoh.id")
    page.goto("/akun/masuk/")
    page.get_by_role("link", name="Lupa kata sandi?").click()
    page.get_by_label("Surel atau nomor telepon akun Anda").fill("budi@contoh.id")
    page.get_by_role("button", name="Kirim tautan").click()
    assert "kami sudah mengirim tautan" in page.locator("#reset-sent").inner_text()
    shot(page, f"ux-password-reset-sent-{size}")
    note = Notification.objects.get(kind="password_reset")
    path = re.search(r"https?://[^/]+(/akun/kata-sandi-baru/\S+/\S+/)", note.body).group(1)
    page.goto(path)
    page.locator("#id_new_password1").fill("kata-sandi-baru-yang-panjang-2026")
    page.locator("#id_new_password2").fill("kata-sandi-baru-yang-panjang-2026")
    shot(page, f"ux-password-reset-form-{size}")
    page.get_by_role("button", name="Simpan kata sandi baru").click()
    assert "Kata sandi baru tersimpan" in page.content()
    assert fits_phone(page) or size != "360"


def test_withdraw_a_report(screen):
    size, page = screen
    sub = submit()
    page.goto(f"/lacak/{sub.report.tracking_id}/")
    page.get_by_label("Kode rahasia").fill(sub.secret)
    page.get_by_role("button", name="Buka detail").click()
    page.locator("#tarik summary").click()
    page.get_by_label("Alasan menarik laporan").fill("Laporan terkirim dua kali.")
    shot(page, f"ux-withdraw-form-{size}")
    page.get_by_role("button", name="Tarik laporan").click()
    assert "telah ditarik" in page.content()
    assert page.locator("#status").inner_text() == "Diarsipkan"
    shot(page, f"ux-withdrawn-{size}")
