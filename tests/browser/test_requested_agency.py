"""A citizen names the agency on the submit form (no JavaScript needed), routing corrects it,
and the track page says what was asked, who got it and why; at 360 px and 1366 px.
Screenshots in test-artifacts/ux-agency-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command

from lapor.jobs.runner import run_pending
from lapor.reports.models import Report
from tests.browser.conftest import PHONE, fits_phone, shot

pytestmark = pytest.mark.django_db(transaction=True)
SIZES = {"360": PHONE, "1366": {"width": 1366, "height": 900}}


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


def test_choose_an_agency_and_see_routing_s_decision(screen, settings, tmp_path):
    size, page = screen
    settings.LAPOR_ROUTING_MODEL_DIR = tmp_path / "models"  # rules alone, no stored model
    call_command("reference_load", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page.goto("/lapor/")
    page.get_by_label("Judul laporan").fill("Jalan nasional pantura amblas")
    page.get_by_label("Isi laporan").fill(
        "Jalan nasional jalur pantura di Demak amblas sejak minggu lalu, truk sering terguling."
    )
    page.get_by_label("Kabupaten/kota kejadian").select_option("33.21")
    # the citizen searches the agency they think is in charge, without JavaScript
    page.locator("#id_agency_query").fill("pupr demak")
    page.get_by_role("button", name="Cari instansi").click()
    page.get_by_label("Instansi yang Anda tuju").select_option("pemkab-3321-pupr")
    assert page.get_by_label("Judul laporan").input_value() == "Jalan nasional pantura amblas"
    assert fits_phone(page) or size != "360"
    shot(page, f"ux-agency-chosen-{size}")
    page.locator("#id_contact_email").fill("warga@contoh.id")
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_url("**/lapor/terkirim/**")
    report = Report.objects.get()
    assert report.requested_agency.code == "pemkab-3321-pupr"
    # the routing job runs (the worker's part)
    run_pending()
    # the reporter (whose secret the session holds) opens the track page
    page.goto(f"/lacak/{report.tracking_id}/")
    section = page.locator("#instansi-pilihan")
    assert "Dinas Pekerjaan Umum" in page.locator("#requested-agency").inner_text()
    assert "Kementerian Pekerjaan Umum" in page.locator("#requested-to").inner_text()
    outcome = page.locator("#requested-outcome").inner_text()
    assert "Dikoreksi" in outcome and "Bukan wewenang" in outcome and "jalan nasional" in outcome
    section.scroll_into_view_if_needed()
    assert fits_phone(page) or size != "360"
    shot(page, f"ux-agency-track-{size}")
