"""A citizen on a 360 px phone and a 1366 px desktop: resets a forgotten password with a code
sent by SMS; saves the receipt as a PDF and keeps it on the device, then reopens it with no
connection; shows one of their photos on the public page and hides it again. Screenshots in
test-artifacts/account-*.png."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from PIL import Image

from lapor.accounts import sms_reset
from lapor.jobs.runner import run_pending
from lapor.notifications.models import Notification
from lapor.reports.models import Report
from lapor.reports.services import Upload
from tests.browser.conftest import PHONE, fits_phone, shot
from tests.factories import RegencyFactory, UserFactory, submit

pytestmark = pytest.mark.django_db(transaction=True)
DESKTOP = {"width": 1366, "height": 900}
SIZES = {"360": PHONE, "1366": DESKTOP}
NUMBER = "081234567890"
NEW = "kata-sandi-baru-yang-panjang-2026"


@pytest.fixture(params=list(SIZES))
def screen(request: Any, chromium: Any, live_server: Any) -> Iterator[tuple[str, Any]]:
    cache.clear()
    context = chromium.new_context(
        viewport=SIZES[request.param],
        base_url=live_server.url,
        locale="id-ID",
        accept_downloads=True,
    )
    tab = context.new_page()
    tab.set_default_timeout(15000)
    yield request.param, tab
    context.close()


def test_password_reset_by_sms_code(screen):
    size, page = screen
    user = UserFactory(username=NUMBER, email="", phone=NUMBER)
    page.goto("/akun/masuk/")
    page.locator("#forgot").click()
    page.get_by_label("Surel atau nomor telepon akun Anda").fill("0812-3456-7890")
    shot(page, f"account-reset-ask-{size}")
    page.get_by_role("button", name="Kirim tautan atau kode").click()
    page.wait_for_url(lambda url: url.endswith("/akun/lupa-kata-sandi/kode/"))
    assert "081*****7890" in page.locator("#code-sent").inner_text()
    run_pending()  # the worker sends the SMS
    body = Notification.objects.filter(kind=sms_reset.KIND).latest("pk").body
    code = re.findall(r"\b\d{6}\b", body)[0]
    # a wrong code first: one message, whatever went wrong
    page.get_by_label("Kode dari SMS (6 angka)").fill("000000" if code != "000000" else "111111")
    page.get_by_label("Kata sandi baru", exact=True).fill(NEW)
    page.get_by_label("Ulangi kata sandi baru").fill(NEW)
    page.get_by_role("button", name="Simpan kata sandi baru").click()
    assert "Kode salah atau sudah tidak berlaku" in page.locator("#id_code_error").inner_text()
    assert fits_phone(page) or size != "360"
    shot(page, f"account-reset-wrong-code-{size}")
    # the right one sets the password and leads to sign in
    page.get_by_label("Kode dari SMS (6 angka)").fill(code)
    page.get_by_label("Kata sandi baru", exact=True).fill(NEW)
    page.get_by_label("Ulangi kata sandi baru").fill(NEW)
    page.get_by_role("button", name="Simpan kata sandi baru").click()
    page.wait_for_url(lambda url: url.endswith("/akun/masuk/"))
    assert "Kata sandi baru tersimpan" in page.content()
    shot(page, f"account-reset-done-{size}")
    page.locator("#id_identifier").fill(NUMBER)
    page.locator("#id_password").fill(NEW)
    page.get_by_role("button", name="Masuk").last.click()
    page.wait_for_url(lambda url: url.endswith("/akun/laporan-saya/"))
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_receipt_pdf_and_offline_copy(screen):
    size, page = screen
    RegencyFactory()
    page.goto("/lapor/")
    page.get_by_label("Judul laporan").fill("Jalan berlubang di depan pasar")
    page.get_by_label("Isi laporan").fill(
        "Lubang besar di tengah jalan sudah dua minggu, banyak pengendara motor jatuh."
    )
    page.get_by_label("Kabupaten/kota kejadian").select_option("33.21")
    page.get_by_label(re.compile(r"^Surel")).fill("siti@contoh.id")
    page.get_by_role("button", name="Kirim laporan").click()
    secret = page.locator("#guest-secret").inner_text()
    receipt_url = page.url
    # the PDF: a real file, generated for this browser
    with page.expect_download() as waiting:
        page.locator("#receipt-pdf").click()
    download = waiting.value
    assert download.suggested_filename.startswith("bukti-lapor-")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    # keep it on this device, on the reporter's request
    assert page.locator("#offline").is_visible()
    shot(page, f"account-receipt-{size}")
    page.get_by_role("button", name="Simpan di perangkat ini").click()
    status = page.locator("#offline-status")
    status.filter(has_text="tersimpan").wait_for()
    assert page.get_by_role("button", name="Hapus salinan dari perangkat ini").is_visible()
    # no connection: reloading the receipt page shows the kept copy with the secret
    page.context.set_offline(True)
    page.reload()
    assert page.locator("#offline-copy").is_visible()
    assert page.locator("#guest-secret").inner_text() == secret
    assert fits_phone(page) or size != "360"
    shot(page, f"account-receipt-offline-{size}")
    # removing the copy (still offline) leaves nothing to show without a connection
    page.get_by_role("button", name="Hapus salinan dari perangkat ini").click()
    status.filter(has_text="dihapus").wait_for()
    assert not page.evaluate("caches.keys().then(k => k.length)")
    page.context.set_offline(False)
    page.goto(receipt_url)
    assert secret not in page.content()  # shown once; the online page does not repeat it


def test_receipt_is_not_kept_offline_unless_asked(page, live_server):
    RegencyFactory()
    page.goto("/lapor/")
    page.get_by_label("Judul laporan").fill("Lampu jalan padam di Gang Mawar")
    page.get_by_label("Isi laporan").fill(
        "Lampu jalan di Gang Mawar padam sejak seminggu, gang gelap dan rawan di malam hari."
    )
    page.get_by_label("Kabupaten/kota kejadian").select_option("33.21")
    page.get_by_label(re.compile(r"^Surel")).fill("siti@contoh.id")
    page.get_by_role("button", name="Kirim laporan").click()
    page.locator("#guest-secret").wait_for()
    assert page.evaluate("caches.keys().then(k => k.length)") == 0
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (40, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def test_reporter_shows_and_hides_a_photo(screen):
    size, page = screen
    sub = submit(
        attachments=[Upload(name="lubang.jpg", content=io.BytesIO(_jpeg()))],
        is_confidential=False,
        is_anonymous=True,
    )
    report: Report = sub.report
    photo = report.attachments.get()
    page.goto(f"/lacak/{report.tracking_id}/")
    page.get_by_label("Kode rahasia").fill(sub.secret)
    page.get_by_role("button", name="Buka detail").click()
    page.get_by_role("button", name="Tampilkan di halaman publik").click()
    assert "Foto ditampilkan di halaman publik" in page.content()
    shot(page, f"account-photo-shown-{size}")
    # the public, in another browser, sees the thumbnail
    public = page.context.browser.new_context(viewport=SIZES[size], base_url=page.url)
    visitor = public.new_page()
    visitor.goto(f"/laporan/{report.tracking_id}/")
    image = visitor.locator(f'#attachments img[src="/lampiran/{photo.pk}/kecil/"]')
    image.scroll_into_view_if_needed()
    assert visitor.evaluate("(img) => img.complete && img.naturalWidth > 0", image.element_handle())
    assert fits_phone(visitor) or size != "360"
    shot(visitor, f"account-photo-public-{size}")
    # the reporter hides it again; the public page no longer has it
    page.get_by_role("button", name="Sembunyikan dari publik").click()
    assert "Foto disembunyikan dari halaman publik" in page.content()
    shot(page, f"account-photo-hidden-{size}")
    visitor.reload()
    assert visitor.locator("#attachments").count() == 0
    public.close()
