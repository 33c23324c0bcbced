"""The monthly report archive, a report and the automation's accounts in a real browser, on a
phone (360 px) and a desktop (1366 px), reached from the portal's menu."""

from __future__ import annotations

from datetime import date

import pytest

from lapor.analytics import automation
from lapor.analytics.fill import fill
from lapor.analytics.policy_report.archive import make
from tests.analytics.data import generate, world
from tests.browser.conftest import fits_phone, shot

pytestmark = pytest.mark.django_db(transaction=True)
SEPTEMBER = date(2026, 9, 1)


def test_a_governors_staff_reads_the_monthly_report_and_the_automation_accounts(page):
    # Given September's reports counted, its reports archived and the automation accounted
    generate(world(), 30, seed=3)
    fill()
    make(SEPTEMBER, "")
    make(SEPTEMBER, "33")
    automation.refresh(SEPTEMBER)
    # When a governor's staff opens the dashboards from the portal's menu, on a phone
    page.goto("/")
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Dasbor").click()
    page.get_by_role("heading", name="Dasbor nasional").wait_for(state="visible")
    # And follows the link to the monthly reports
    page.get_by_role("link", name="Laporan bulanan Suara Rakyat").click()
    page.get_by_role("heading", name="Suara Rakyat: laporan kebijakan bulanan").wait_for(
        state="visible"
    )
    page.get_by_role("heading", name="September 2026").wait_for(state="visible")
    assert fits_phone(page)
    shot(page, "policy-archive-360")
    # And chooses Central Java alone, then its report
    page.get_by_label("Wilayah").select_option("33")
    page.get_by_role("button", name="Tampilkan").click()
    assert "wilayah=33" in page.url
    page.get_by_role("link", name="Jawa Tengah").click()
    page.get_by_role("heading", name="Suara Rakyat: Jawa Tengah").wait_for(state="visible")
    page.get_by_text("laporan masuk bulan ini").wait_for(state="visible")
    assert fits_phone(page)
    shot(page, "policy-report-360")
    # And the English rendering is one link away
    page.get_by_role("link", name="English").click()
    assert (
        page.get_by_role("heading", name="Key figures").count()
        + page.get_by_role("heading", name="Angka utama").count()
        == 1
    )
    assert page.locator("html").get_attribute("lang") == "en"
    shot(page, "policy-report-en-360")
    # And the automation's accounts
    page.goto("/dasbor/otomasi/")
    page.get_by_role("heading", name="Akuntabilitas otomasi").wait_for(state="visible")
    page.get_by_role("rowheader", name="Didisposisikan otomatis oleh mesin").wait_for(
        state="visible"
    )
    assert fits_phone(page)
    shot(page, "automation-360")
    # And on a desktop
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/dasbor/laporan/")
    shot(page, "policy-archive-1366")
    page.goto("/dasbor/laporan/2026-09/nasional/")
    page.get_by_role("heading", name="Suara Rakyat: Nasional").wait_for(state="visible")
    shot(page, "policy-report-1366")
    page.goto("/dasbor/otomasi/")
    shot(page, "automation-1366")
