"""The phone's location fills the optional coordinates; without it, typing still works."""

from __future__ import annotations

import re
from typing import Any

import pytest

from lapor.reports.models import Report
from tests.browser.conftest import PHONE, shot
from tests.factories import RegencyFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _submit_page(chromium: Any, live_server: Any, **context: Any) -> Any:
    ctx = chromium.new_context(viewport=PHONE, base_url=live_server.url, locale="id-ID", **context)
    page = ctx.new_page()
    page.set_default_timeout(15000)
    page.goto("/lapor/")
    return page


def test_use_my_location_fills_the_coordinates_and_they_are_stored(chromium, live_server):
    from playwright.sync_api import expect

    RegencyFactory()
    # Given a phone that shares its location (the town of Demak)
    page = _submit_page(
        chromium,
        live_server,
        geolocation={"latitude": -6.894123, "longitude": 110.638456},
        permissions=["geolocation"],
    )
    page.get_by_label("Judul laporan").fill("Jalan berlubang di depan pasar")
    page.get_by_label("Isi laporan").fill(
        "Jalan di depan pasar berlubang besar sejak dua bulan dan membahayakan pengendara."
    )
    page.get_by_label("Kabupaten/kota kejadian").select_option("33.21")
    page.get_by_label(re.compile(r"^Surel")).fill("siti@contoh.id")
    # When the citizen presses "Gunakan lokasi saya"
    page.get_by_role("button", name="Gunakan lokasi saya").click()
    # Then the coordinates are filled and the page says so (the position arrives later,
    # through a callback: wait for it rather than read the fields at once)
    expect(page.locator("#lokasi-status")).to_contain_text("Koordinat terisi", timeout=15000)
    expect(page.get_by_label("Garis lintang")).to_have_value("-6.894123")
    expect(page.get_by_label("Garis bujur")).to_have_value("110.638456")
    shot(page, "submit-location")
    # And the report keeps them
    page.get_by_role("button", name="Kirim laporan").click()
    page.locator("#tracking-id").wait_for()
    report = Report.objects.get()
    assert (str(report.latitude), str(report.longitude)) == ("-6.894123", "110.638456")
    page.context.close()


def test_refused_location_explains_and_leaves_the_fields_to_type(chromium, live_server):
    RegencyFactory()
    page = _submit_page(chromium, live_server)  # no permission granted
    page.get_by_role("button", name="Gunakan lokasi saya").click()
    page.wait_for_function("document.getElementById('lokasi-status').textContent.length > 25")
    assert "isi koordinat sendiri" in page.locator("#lokasi-status").inner_text()
    assert page.get_by_label("Garis lintang").input_value() == ""
    page.context.close()


def test_without_javascript_the_button_stays_hidden(chromium, live_server):
    page = _submit_page(chromium, live_server, java_script_enabled=False)
    assert not page.get_by_role("button", name="Gunakan lokasi saya").is_visible()
    assert page.get_by_label("Garis lintang").is_editable()
    page.context.close()
