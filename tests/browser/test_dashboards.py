"""The public dashboards in a real browser: a phone (360 px) and a desktop (1366 px)."""

from __future__ import annotations

import pytest

from lapor.analytics.fill import fill
from tests.analytics.data import generate, world
from tests.browser.conftest import fits_phone, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_journalist_reads_the_national_dashboard_on_a_phone_and_a_desktop(page):
    # Given a few weeks of reports, counted by the rollup job
    generate(world(), 25, seed=5)
    fill()
    # When a journalist opens the national dashboard on a phone, with no script at all
    page.context.set_extra_http_headers({})
    page.goto("/dasbor/")
    # Then the headline, the charts and the map fit the screen
    assert page.get_by_role("heading", name="Dasbor nasional").is_visible()
    assert page.locator("svg.chart").count() >= 4
    assert fits_phone(page)
    shot(page, "dashboard-national-360")
    # And choosing another measure for the map works by the form alone
    page.get_by_label("Warnai menurut").select_option("sla")
    page.get_by_role("button", name="Tampilkan").click()
    assert "ukuran=sla" in page.url
    # And the province's tile leads to the province's dashboard
    page.goto("/dasbor/provinsi/33/")
    assert page.get_by_role("heading", name="Dasbor Jawa Tengah").is_visible()
    assert fits_phone(page)
    shot(page, "dashboard-province-360")
    # And on a desktop the charts sit side by side
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/dasbor/")
    shot(page, "dashboard-national-1366")
    assert page.locator("#peta svg").bounding_box()["width"] > 300


def test_the_dashboard_works_without_javascript(chromium, live_server):
    generate(world(), 6, seed=8)
    fill()
    context = chromium.new_context(
        viewport={"width": 360, "height": 780}, base_url=live_server.url, java_script_enabled=False
    )
    tab = context.new_page()
    tab.goto("/dasbor/wilayah/33.21/")
    assert tab.get_by_role("heading", name="Dasbor Kabupaten Demak").is_visible()
    assert tab.get_by_text("Unduh CSV").first.is_visible()
    shot(tab, "dashboard-kabkota-360-nojs")
    context.close()
