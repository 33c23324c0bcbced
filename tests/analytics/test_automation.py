"""The automation accounts for itself: figures computed by the job from the report events,
checked against a small fixture counted by hand; shown suppressed, in both languages, as CSV
and JSON through the open data."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lapor.analytics import automation
from lapor.analytics.facts import DAY_ZONE
from lapor.analytics.models import AutomationMonth
from lapor.analytics.tasks import automation_accounts
from lapor.reports import services
from tests.factories import (
    AgencyFactory,
    ProvinceFactory,
    RegencyFactory,
    UserFactory,
    national_admin,
    officer,
    submit,
)

pytestmark = pytest.mark.django_db
OCTOBER = date(2026, 10, 1)
T0 = datetime(2026, 10, 5, 2, 0, tzinfo=DAY_ZONE)
ROUTING = {"routing": {"suggestions": []}}
REASON = "Urusan ini bukan kewenangan instansi kami."


def at(hours: float) -> time_machine.travel:
    """The clock ``hours`` after the fixture's start."""
    return time_machine.travel(T0 + timedelta(hours=hours), tick=False)


def _submit(region, hours: float, **kw):  # type: ignore[no-untyped-def]
    at = T0 + timedelta(hours=hours)
    with time_machine.travel(at, tick=False):
        return submit(
            region=region, is_confidential=kw.pop("is_confidential", False), at=at, **kw
        ).report


def _auto(report, agency, hours: float, data=None):  # type: ignore[no-untyped-def]
    """What ``reports.tasks.route_report`` does when the router is confident."""
    with at(hours):
        services.report_dispose(
            report=report,
            to_agency=agency,
            actor=None,
            note="Didisposisikan otomatis: uji",
            data={**ROUTING, **(data or {})},
        )


def _triage(report, hours: float, data=None):  # type: ignore[no-untyped-def]
    with at(hours):
        services.report_send_to_triage(
            report=report,
            reason="Menunggu verifikasi admin nasional.",
            data={**ROUTING, **(data or {})},
        )


@pytest.fixture
def october():
    """Hand-counted (national / Jawa Tengah):
    - 6 public reports in Demak auto-routed; of them one sent back as bukan wewenang and
      disposed again by the national admin, one forwarded by the agency: 2 corrected;
    - 4 public reports in Demak sent to triage; 3 disposed by the admin after 2, 4 and 10 hours,
      one still waiting;
    - 1 public report in Demak flagged by the router as a duplicate, triaged, merged after 6
      hours into an auto-routed one;
    - 1 rahasia report in Surabaya auto-routed then sent back: counted nationally only;
    - 1 citizen supports one of the auto-routed reports;
    - 1 report of September, auto-routed and corrected: not October's."""
    jateng = ProvinceFactory(code="33", name="Jawa Tengah")
    jatim = ProvinceFactory(code="35", name="Jawa Timur")
    demak = RegencyFactory(code="33.21", name="Kabupaten Demak", parent=jateng)
    surabaya = RegencyFactory(code="35.78", name="Kota Surabaya", parent=jatim, kind="kota")
    one, two = AgencyFactory(code="pemkab-demak"), AgencyFactory(code="pln")
    admin, staff = national_admin(), officer(one)
    autos = [_submit(demak, n * 0.1) for n in range(6)]
    for report in autos:
        _auto(report, one, 1)
    with at(3):
        services.report_not_authority(report=autos[0], actor=staff, reason=REASON)
    with at(5):
        services.report_dispose(report=autos[0], to_agency=two, actor=admin)
    with at(4):
        services.report_forward(report=autos[1], to_agency=two, actor=staff, reason=REASON)
    waits = [2, 4, 10]
    triaged = [_submit(demak, 0.5 + n * 0.1) for n in range(4)]
    for report in triaged:
        _triage(report, 1)
    for report, hours in zip(triaged, waits, strict=False):
        with at(1 + hours):
            services.report_dispose(report=report, to_agency=one, actor=admin)
    duplicate = _submit(demak, 0.9)
    _triage(duplicate, 1, {"duplicates": [{"report": autos[2].pk, "similarity": 0.9}]})
    with at(7):
        services.report_merge(report=duplicate, into=autos[2], actor=admin)
    secret = _submit(surabaya, 0.2, is_confidential=True)
    _auto(secret, two, 1)
    with at(2):
        services.report_not_authority(report=secret, actor=officer(two), reason=REASON)
    with at(8):
        services.report_support(report=autos[3], user=UserFactory())
    september = datetime(2026, 9, 20, 2, 0, tzinfo=DAY_ZONE)
    with time_machine.travel(september, tick=False):
        old = submit(region=demak, is_confidential=False, at=september).report
        services.report_dispose(report=old, to_agency=one, actor=None, data=ROUTING)
    with time_machine.travel(september + timedelta(hours=1), tick=False):
        services.report_not_authority(report=old, actor=staff, reason=REASON)


HAND = {
    "": dict(
        reports=12,
        auto_routed=7,
        corrected=3,
        corrected_not_authority=2,
        corrected_forwarded=1,
        corrected_redisposed=1,
        triaged=5,
        triage_left=4,
        triage_wait_h=5.0,  # median of 2, 4, 10 and the merge after 6
        merged=1,
        flagged=1,
        flagged_merged=1,
        supports=1,
    ),
    "33": dict(
        reports=11,
        auto_routed=6,
        corrected=2,
        corrected_not_authority=1,
        corrected_forwarded=1,
        corrected_redisposed=1,
        triaged=5,
        triage_left=4,
        triage_wait_h=5.0,
        merged=1,
        flagged=1,
        flagged_merged=1,
        supports=1,
    ),
}


def _figures(row: AutomationMonth) -> dict:
    return {key: getattr(row, key) for key in HAND[""]}


def test_the_job_counts_what_was_counted_by_hand(october):
    # When the daily job runs in November (it recomputes October too)
    with time_machine.travel(datetime(2026, 11, 2, 1, 0, tzinfo=DAY_ZONE), tick=False):
        assert automation_accounts.call() >= 2
    rows = {r.province: r for r in AutomationMonth.objects.filter(month=OCTOBER)}
    # Then national and Jawa Tengah match the hand count; the rahasia report's province has no row
    assert set(rows) == {"", "33"}
    assert _figures(rows[""]) == HAND[""]
    assert _figures(rows["33"]) == HAND["33"]
    # And September's report is September's
    september = AutomationMonth.objects.get(month=date(2026, 9, 1), province="")
    assert (september.reports, september.auto_routed, september.corrected) == (1, 1, 1)


def test_running_again_replaces_the_month(october):
    from django.core.management import call_command

    automation.refresh(OCTOBER)
    call_command("analytics_automation", month="2026-10")
    rows = AutomationMonth.objects.filter(month=OCTOBER)
    assert rows.count() == 2
    assert _figures(rows.get(province="")) == HAND[""]


def _csv(client, url):  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return {r[0]: r[2:] for r in csv.reader(io.StringIO(response.content.decode()))}


def test_the_page_shows_the_figures_suppressed_and_never_counts_on_request(client, october):
    automation.refresh(OCTOBER)
    with CaptureQueriesContext(connection) as page:
        response = client.get("/dasbor/otomasi/?bulan=2026-10")
    assert response.status_code == 200
    sql = " ".join(q["sql"] for q in page.captured_queries)
    assert "reports_report" not in sql and "reports_reportevent" not in sql
    assert len(page) <= 6
    body = response.content.decode()
    assert "Akuntabilitas otomasi" in body and "<script" not in body
    assert len(response.content) < 120_000  # page weight, as the dashboards
    # 12 reports shown; 7 auto-routed is a share of 58.3%; 3 corrected is hidden, as every 1-4
    rows = _csv(client, "/api/v1/data/otomasi/?bulan=2026-10&format=csv")
    assert rows["laporan"] == ["12", ""]
    assert rows["dirutekan_otomatis"] == ["7", "58.3"]
    assert rows["dikoreksi"] == ["< 5", ""]
    assert rows["menunggu_verifikasi"] == ["5", "41.7"]
    assert rows["median_tunggu_verifikasi"] == ["", ""]  # from 4 waits only: no figure
    assert rows["digabung"] == ["< 5", ""]
    # the JSON carries the same, with the licence
    data = client.get("/api/v1/data/otomasi/?bulan=2026-10").json()
    assert data["licence"] == "CC BY 4.0"
    summary = next(t for t in data["tables"] if t["slug"] == "ringkasan")
    assert {r["kunci"]: r["Jumlah"] for r in summary["rows"]}["dikoreksi"] == "< 5"
    # and the province's page and table
    province = client.get("/dasbor/otomasi/provinsi/33/").content.decode()
    assert "Jawa Tengah" in province
    assert _csv(client, "/api/v1/data/otomasi/?bulan=2026-10&provinsi=33&format=csv")[
        "laporan"
    ] == ["11", ""]


def test_bad_input_is_answered_clearly(client, october):
    assert client.get("/dasbor/otomasi/provinsi/99/").status_code == 404
    bad = client.get("/api/v1/data/otomasi/?bulan=2026-1")
    assert bad.status_code == 400 and "2026-11" in bad.content.decode()
    assert client.get("/api/v1/data/otomasi/?provinsi=99").status_code == 404
    assert client.get("/api/v1/data/otomasi/?tabel=x").status_code == 400
    # before the job ever ran: the page says so
    assert "Belum ada angka" in client.get("/dasbor/otomasi/").content.decode()


def test_the_page_in_both_languages(client, october):
    automation.refresh(OCTOBER)
    indonesian = client.get("/dasbor/otomasi/").content.decode()
    english = client.get("/en/dasbor/otomasi/").content.decode()
    assert '<html lang="id">' in indonesian and "Laporan masuk" in indonesian
    assert '<html lang="en">' in english and "Reports received" in english
    assert "National dashboard" in english
