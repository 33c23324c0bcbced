"""The kecamatan → desa/kelurahan picker on the submit form, without JavaScript, at 360 px and
1366 px; and the missing level said so. Screenshots in test-artifacts/ux-desa-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from lapor.regions.models import Region
from lapor.reports.models import Report
from tests.browser.conftest import PHONE, fits_phone, shot
from tests.factories import RegencyFactory

pytestmark = pytest.mark.django_db(transaction=True)
SIZES = {"360": PHONE, "1366": {"width": 1366, "height": 900}}


@pytest.fixture(params=list(SIZES))
def screen(request: Any, chromium: Any, live_server: Any) -> Iterator[tuple[str, Any]]:
    cache.clear()
    context = chromium.new_context(
        viewport=SIZES[request.param],
        base_url=live_server.url,
        locale="id-ID",
        java_script_enabled=False,  # the picker needs none
    )
    tab = context.new_page()
    tab.set_default_timeout(15000)
    yield request.param, tab
    context.close()


def test_kecamatan_then_desa_picker(screen):
    size, page = screen
    demak = RegencyFactory(code="33.21", name="Kabupaten Demak")
    for code, name in (("33.21.01", "Mranggen"), ("33.21.02", "Karangawen")):
        Region.objects.create(
            code=code, name=name, level="kecamatan", kind="kecamatan", parent=demak
        )
    mranggen = Region.objects.get(code="33.21.01")
    for code, name in (("33.21.01.2001", "Banyumeneng"), ("33.21.01.2002", "Kebonbatur")):
        Region.objects.create(code=code, name=name, level="desa", kind="desa", parent=mranggen)
    page.goto("/lapor/")
    page.get_by_label("Judul laporan").fill("Jalan desa berlubang")
    page.get_by_label("Isi laporan").fill(
        "Jalan desa di depan balai desa berlubang besar sejak dua bulan, motor sering jatuh."
    )
    page.get_by_label("Kabupaten/kota kejadian").select_option("33.21")
    page.get_by_role("button", name="Tampilkan kecamatan").click()
    page.get_by_label("Kecamatan").select_option("33.21.01")
    page.locator("button[value=village]").click()
    page.get_by_label("Desa/kelurahan").select_option("33.21.01.2002")
    assert page.get_by_label("Judul laporan").input_value() == "Jalan desa berlubang"
    assert fits_phone(page) or size != "360"
    shot(page, f"ux-desa-picker-{size}")
    # a kecamatan without desa data says so
    page.get_by_label("Kecamatan").select_option("33.21.02")
    page.get_by_role("button", name="Cek laporan serupa").click()
    assert "belum tersedia" in page.locator("#village-missing").inner_text()
    shot(page, f"ux-desa-missing-{size}")
    # back to Mranggen's desa, and the report is filed there
    page.get_by_label("Kecamatan").select_option("33.21.01")
    page.locator("button[value=village]").click()
    page.get_by_label("Desa/kelurahan").select_option("33.21.01.2002")
    page.locator("#id_contact_email").fill("warga@contoh.id")
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_url("**/lapor/terkirim/**")
    assert Report.objects.get().region_id == "33.21.01.2002"
