"""The performance trend, the back office's own view and an emerging-topic alert in a real
browser, on a phone (360 px) and a desktop (1366 px)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from lapor.analytics.facts import Metric
from lapor.analytics.fill import add_counts
from lapor.analytics.models import Alert
from lapor.analytics.selectors import today
from lapor.analytics.trend import month_starts
from lapor.backoffice.access import enrol_totp
from tests.backoffice.conftest import PASSWORD, current_code
from tests.browser.conftest import ARTIFACTS, fits_phone, shot
from tests.factories import (
    AgencyFactory,
    ProvinceFactory,
    RegencyFactory,
    officer,
    submit,
)

pytestmark = pytest.mark.django_db(transaction=True)
DESK = {"width": 1366, "height": 900}


def _history():  # type: ignore[no-untyped-def]
    """Six months of Demak's figures, improving; Kudus as its peer."""
    jateng = ProvinceFactory(code="33", name="Jawa Tengah")
    region = RegencyFactory(code="33.21", name="Kabupaten Demak", parent=jateng)
    demak = AgencyFactory(
        code="pemkab-3321", name="Pemerintah Kabupaten Demak", kind="pemkab", region=region
    )
    kudus = AgencyFactory(code="pemkab-3319", name="Pemerintah Kabupaten Kudus", kind="pemkab")
    rows: Counter = Counter()
    for n, month in enumerate(month_starts(today())):
        day = min(month + timedelta(days=9), today())
        for agency, in_time in ((demak, 10 + 4 * n), (kudus, 30)):
            figures = {
                Metric.SUBMITTED: 40,
                Metric.ANSWERED: 40,
                Metric.ANSWERED_SLA: in_time,
                Metric.FINISHED: 30,
                Metric.FINISHED_SLA: 20 + n,
                Metric.RATED: 12,
                Metric.RATING_SUM: 36 + n,
                Metric.NOT_AUTHORITY: 6,
            }
            for m, v in figures.items():
                rows[(day, "33", "33.21", agency.pk, 0, "", "", m, 0)] += v
    for m, v in ((Metric.OPEN, 20), (Metric.OVERDUE, 8)):
        rows[(None, "33", "33.21", demak.pk, 0, "", "", m, 0)] += v
    add_counts(rows)  # as the fill adds them: the daily counts and the per-scope sums together
    return region, demak


def test_an_agency_sees_its_trend_in_public_and_its_own_detail_in_the_back_office(page):
    _region, demak = _history()
    # A citizen on a phone opens the agency's dashboard: the index and its six-month trend
    page.goto("/dasbor/instansi/pemkab-3321/")
    trend = page.locator("#tren")
    title = trend.get_by_role("heading", name="Tren indeks kinerja (6 bulan terakhir)")
    title.wait_for(state="visible")
    assert title.is_visible()
    assert trend.locator("svg.chart circle").count() == 6
    assert fits_phone(page)
    shot(page, "agency-trend-page-360")
    trend.screenshot(path=str(ARTIFACTS / "agency-trend-360.png"))
    page.set_viewport_size(DESK)
    page.reload()
    shot(page, "agency-trend-page-1366")
    trend.screenshot(path=str(ARTIFACTS / "agency-trend-1366.png"))
    # The agency's admin signs in and opens "Kinerja" from the menu
    user = officer(demak)
    device = enrol_totp(user)
    page.goto("/kantor/")
    page.get_by_label("Nama pengguna").fill(user.username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_label("Kode autentikator (6 angka)").fill(current_code(device))
    page.get_by_role("button", name="Masuk").click()
    page.locator("#nav-performance").click()
    page.wait_for_url("**/kantor/kinerja/pemkab-3321/")
    heading = page.get_by_role("heading", name="Indeks kinerja Pemerintah Kabupaten Demak")
    heading.wait_for()  # the click's navigation has loaded the page
    assert heading.is_visible()
    # The weak component says how it is computed and leads to the overdue queue
    weak = page.locator("#komponen-answered_sla")
    assert "dari 240 laporan yang ditanggapi pertama kali" in weak.inner_text()
    assert "Peringkat 2 dari 2" in page.locator("#posisi").inner_text()
    shot(page, "backoffice-performance-1366")
    page.set_viewport_size({"width": 360, "height": 780})
    page.reload()
    assert page.evaluate("document.querySelector('main').scrollWidth <= window.innerWidth")
    shot(page, "backoffice-performance-360")
    weak.get_by_role("link", name="Terlambat").click()
    assert "/kantor/antrean/terlambat/" in page.url


def test_an_emerging_topic_alert_page(page):
    region, _demak = _history()
    reports = [
        submit(
            region=region,
            title=f"Tebing longsor menimpa rumah warga di dusun {n}",
            body="Tebing longsor setelah hujan deras, rumah warga tertimbun tanah.",
            is_confidential=False,
        ).report
        for n in range(3)
    ]
    alert = Alert.objects.create(
        kind=Alert.Kind.TOPIC,
        kabkota="33.21",
        terms="tebing longsor; timbun; hujan deras",
        samples=[r.pk for r in reports],
        started_on=today(),
        last_seen_on=today(),
        count=9,
        expected=0.4,
        peak=9,
    )
    page.goto("/dasbor/peringatan/")
    page.get_by_role("link", name="Kabupaten Demak").click()
    assert page.url.endswith(f"/dasbor/peringatan/{alert.pk}/")
    topic = page.get_by_role("heading", name="Topik baru di Kabupaten Demak")
    topic.wait_for(state="visible")  # the click's navigation has drawn the page
    assert topic.is_visible()
    assert "tebing longsor" in page.locator("#istilah").inner_text()
    assert page.locator("#contoh li").count() == 3
    assert fits_phone(page)
    shot(page, "alert-topic-360")
    page.set_viewport_size(DESK)
    page.reload()
    shot(page, "alert-topic-1366")
