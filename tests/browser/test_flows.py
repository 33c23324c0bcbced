"""What a citizen does, in a real browser on a 360 px screen."""

from __future__ import annotations

import re

import pytest

from lapor.notifications.models import Notification
from lapor.reports import services
from lapor.reports.lifecycle import Status
from lapor.reports.models import Report
from lapor.routing.duplicates import index_report
from tests.browser.conftest import fits_phone, shot
from tests.factories import RegencyFactory, officer, submit
from tests.portal.conftest import ANSWER, PNG, answered

pytestmark = pytest.mark.django_db(transaction=True)


BODY = "Jalan di depan pasar berlubang besar sejak dua bulan dan membahayakan pengendara."


def _fill_report(page, title: str, body: str = BODY) -> None:  # type: ignore[no-untyped-def]
    page.goto("/lapor/")
    page.get_by_label("Judul laporan").fill(title)
    page.get_by_label("Isi laporan").fill(body)
    page.get_by_label("Kabupaten/kota kejadian").select_option("33.21")
    page.get_by_label(re.compile(r"^Surel")).fill("siti@contoh.id")


def test_guest_submits_with_a_photo_gets_the_tracking_id_and_tracks_it(page):
    RegencyFactory()
    # given a guest on the submit form, on a phone
    _fill_report(page, "Jalan berlubang di depan pasar")
    assert fits_phone(page)
    page.get_by_label("Lampiran (foto atau PDF)").set_input_files(
        [{"name": "lubang.png", "mimeType": "image/png", "buffer": PNG}]
    )
    # when the report is sent
    page.get_by_role("button", name="Kirim laporan").click()
    # then the confirmation shows the tracking ID and the secret once
    tracking = page.locator("#tracking-id").inner_text()
    secret = page.locator("#guest-secret").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", tracking)
    assert len(secret) == 16
    assert Report.objects.get().attachments.count() == 1
    shot(page, "submit-confirmation")
    # and tracking it from another browser finds it, the secret opens the details
    page.context.clear_cookies()
    page.goto("/lacak/")
    page.get_by_label("Nomor pelacakan").fill(tracking.lower())
    page.get_by_role("button", name="Lacak").click()
    assert page.locator("#status").inner_text() == "Diterima"
    assert "Jalan berlubang di depan pasar" not in page.content()
    page.get_by_label("Kode rahasia").fill(secret)
    page.get_by_role("button", name="Buka detail").click()
    assert "Jalan berlubang di depan pasar" in page.content()
    assert fits_phone(page)
    shot(page, "track-with-secret")


def test_anonim_rahasia_report_is_invisible_on_every_public_page(page):
    RegencyFactory()
    _fill_report(page, "Pungutan liar di kantor samsat")
    # the safe choices are pre-selected; the citizen leaves them
    assert page.get_by_label("Anonim: sembunyikan nama saya").is_checked()
    assert page.get_by_label("Rahasia: jangan tampilkan laporan ini kepada publik").is_checked()
    page.get_by_label("Nama Anda").fill("Rahmat Hidayatullah")
    page.get_by_role("button", name="Kirim laporan").click()
    # "pungutan liar": the WBS is offered first; the citizen sends an ordinary report anyway
    assert page.locator("#tawaran-wbs").is_visible()
    page.get_by_role("button", name="Kirim laporan").click()
    tracking_id = Report.objects.get().tracking_id
    page.context.clear_cookies()
    for prefix in ("", "/en"):
        for url in ("/", "/laporan/", "/laporan/?q=samsat", "/laporan/?q=pungutan"):
            page.goto(prefix + url)
            html = page.content()
            assert "Pungutan liar" not in html and "Rahmat" not in html, url
        response = page.goto(f"{prefix}/laporan/{tracking_id}/")
        assert response is not None and response.status == 404
    page.goto("/laporan/?q=samsat")
    shot(page, "rahasia-not-listed")


def test_reporters_reply_stops_the_automatic_close(page):
    sub = submit()
    answered(sub.report)
    page.goto(f"/lacak/{sub.report.tracking_id}/")
    page.get_by_label("Kode rahasia").fill(sub.secret)
    page.get_by_role("button", name="Buka detail").click()
    assert ANSWER in page.content()
    page.get_by_label("Tanggapan atau informasi tambahan").fill("Lubangnya belum ditambal.")
    page.get_by_role("button", name="Kirim tanggapan").click()
    assert "Tanggapan Anda terkirim" in page.content()
    report = Report.objects.get()
    assert report.autoclose_at is None and report.status == Status.DISPOSED
    shot(page, "reply-stops-autoclose")


def test_poor_rating_then_reopen(page):
    sub = submit()
    agency = answered(sub.report)
    services.report_complete(report=Report.objects.get(), actor=officer(agency))
    page.goto(f"/lacak/{sub.report.tracking_id}/")
    page.get_by_label("Kode rahasia").fill(sub.secret)
    page.get_by_role("button", name="Buka detail").click()
    page.get_by_label("1", exact=True).check()
    page.get_by_role("button", name="Kirim nilai").click()
    page.get_by_label("Mengapa masalahnya belum selesai?").fill(
        "Jalan masih berlubang dan berbahaya bagi pengendara."
    )
    page.get_by_role("button", name="Buka kembali laporan").click()
    assert "dibuka kembali" in page.content()
    report = Report.objects.get()
    assert report.status == Status.DISPOSED and report.reopen_count == 1
    shot(page, "rating-then-reopen")


def test_language_switch_keeps_the_page_and_works_with_the_keyboard(page):
    page.goto("/laporan/")
    page.get_by_role("button", name="English").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/laporan/")
    assert page.locator("h1").inner_text() == "Public reports"
    assert page.locator("html").get_attribute("lang") == "en"
    shot(page, "language-english")
    page.get_by_role("button", name="Bahasa Indonesia").click()
    page.wait_for_url(lambda url: url.endswith("/laporan/") and "/en/" not in url)
    assert page.locator("h1").inner_text() == "Laporan publik"


def test_similar_report_suggestion_offers_dukung(page):
    RegencyFactory()
    existing = submit(title="Jalan berlubang di depan pasar", is_confidential=False).report
    index_report(existing)  # as the routing job does for every new report
    # another citizen types the same complaint again, with a greeting and typos
    retyped = "Selamat siang. " + BODY.replace("pengendara", "pengendra")
    _fill_report(page, "Jalan berlubang di depan psar", retyped)
    page.get_by_role("button", name="Cek laporan serupa").click()
    assert "Jalan berlubang di depan pasar" in page.locator("#serupa").inner_text()
    assert page.get_by_label("Judul laporan").input_value() == "Jalan berlubang di depan psar"
    assert page.get_by_label("Isi laporan").input_value() == retyped
    shot(page, "similar-suggestion")
    page.get_by_role("link", name="Lihat dan dukung").click()
    page.locator("#dukung").get_by_label(re.compile(r"^Surel")).fill("warga@contoh.id")
    page.get_by_role("button", name="Dukung", exact=True).click()
    # a guest's support counts once the link sent to their address is opened and confirmed
    assert "tautan konfirmasi" in page.locator("main").inner_text()
    assert page.locator("#support-count").inner_text() == "0"
    sent = Notification.objects.get(recipient="warga@contoh.id", kind="support_confirm")
    link = re.search(r"https?://\S+/dukung/\S+/", sent.body)
    assert link is not None
    page.goto(link.group(0))
    page.get_by_role("button", name="Konfirmasi").click()
    assert page.locator("#support-count").inner_text() == "1"
    existing.refresh_from_db()
    assert existing.support_count == 1 and Report.objects.count() == 1
    shot(page, "dukung-done")
