"""The monthly policy report "Suara Rakyat": made by the command and the monthly job, once,
as HTML and a real PDF, from the rollups with small cells suppressed, never leaking a rahasia
report or an anonim reporter; the archive page and the report pages in both languages."""

from __future__ import annotations

import re
import zlib
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lapor.analytics import selectors, suppress
from lapor.analytics.facts import DAY_ZONE, Metric
from lapor.analytics.fill import fill
from lapor.analytics.models import PolicyReport
from lapor.analytics.policy_report import content, render
from lapor.analytics.policy_report.archive import refresh_hidden
from lapor.analytics.tasks import policy_reports
from lapor.reports import services
from tests.analytics.data import generate, world
from tests.factories import CategoryFactory, ProvinceFactory, RegencyFactory, national_admin, submit

pytestmark = pytest.mark.django_db
SEPTEMBER = date(2026, 9, 1)
SECRET_TITLE = "Kepala dinas menerima suap proyek jembatan Wonosalam"
ANONYMOUS_NAME = "Bambang Sutrisnowati"
PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")
STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def pdf_pages(data: bytes) -> int:
    """The page objects of a PDF, read from its bytes (its object streams inflated): pypdf is
    not installed, and this is enough to tell a real PDF's pages."""
    parts = [data]
    for raw in STREAM.findall(data):
        try:
            parts.append(zlib.decompress(raw))
        except zlib.error:
            continue
    return sum(len(PAGE.findall(part)) for part in parts)


def _text(name: str) -> str:
    with default_storage.open(name, "rb") as handle:
        return handle.read().decode()


def _bytes(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


@pytest.fixture
def september():
    """Three weeks of September 2026 (``tests.analytics.data``), a rahasia report with a
    telling title and a public anonim report whose reporter gave a name, counted by the fill."""
    w = world()
    generate(w, 30, seed=3)
    at = datetime(2026, 9, 10, 3, 0, tzinfo=DAY_ZONE)
    with time_machine.travel(at, tick=False):
        submit(
            region=w["regions"][0],
            title=SECRET_TITLE,
            is_confidential=True,
            is_anonymous=False,
            at=at,
        )
        for n in range(3):
            public = submit(
                region=w["regions"][0],
                title=f"Lampu jalan padam di alun-alun Demak {n}",
                contact_name=ANONYMOUS_NAME,
                is_confidential=False,
                is_anonymous=True,
                at=at,
            ).report
    public.support_count = 99  # the most supported: quoted first
    public.save(update_fields=["support_count"])
    fill()
    return w


def test_the_command_archives_the_province_report_as_html_and_a_real_pdf(september):
    # When the operator makes Central Java's report for September 2026
    call_command("analytics_report", month="2026-09", region="33")
    # Then one row is archived with its four files in the default storage
    row = PolicyReport.objects.get(month=SEPTEMBER, region="33")
    assert row.region_name == "Jawa Tengah"
    for field in (row.html, row.pdf, row.html_en, row.pdf_en):
        assert default_storage.exists(field.name), field.name
    # And the HTML leads with the month's headline figure, as the rollups count it
    n = selectors.totals(selectors.province("33", "Jawa Tengah"), SEPTEMBER, date(2026, 9, 30))[
        Metric.SUBMITTED
    ]
    assert n >= 5
    page = _text(row.html.name)
    assert f"{suppress.count(n).text} laporan masuk bulan ini." in page
    assert "Suara Rakyat: Jawa Tengah" in page and "September 2026" in page
    # And the PDF is a PDF with the pages the row says
    pdf = _bytes(row.pdf.name)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert row.pdf_pages >= 1 and pdf_pages(pdf) == row.pdf_pages
    assert _bytes(row.pdf_en.name).startswith(b"%PDF-")


def test_the_national_report_is_made_without_a_region(september):
    call_command("analytics_report", month="2026-09")
    row = PolicyReport.objects.get(month=SEPTEMBER, region="")
    page = _text(row.html.name)
    assert "Suara Rakyat: Nasional" in page
    # the national total counts the rahasia report too (as the dashboards' national headline)
    n = selectors.totals(selectors.national(), SEPTEMBER, date(2026, 9, 30))[Metric.SUBMITTED]
    assert f"{suppress.count(n).text} laporan masuk bulan ini." in page


def test_a_bad_month_or_region_is_refused_by_name(september):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("analytics_report", month="2026-13")
    with pytest.raises(CommandError, match="no such province"):
        call_command("analytics_report", month="2026-09", region="99")
    assert not PolicyReport.objects.exists()


def test_running_twice_archives_once(september):
    call_command("analytics_report", month="2026-09", region="33")
    first = PolicyReport.objects.get()
    call_command("analytics_report", month="2026-09", region="33")
    again = PolicyReport.objects.get()
    assert (again.pk, again.pdf.name, again.created_at) == (
        first.pk,
        first.pdf.name,
        first.created_at,
    )


def test_the_monthly_job_makes_last_months_reports_once(september):
    # Before the month is over (and in its first hour) the job makes nothing
    with time_machine.travel(datetime(2026, 10, 1, 0, 30, tzinfo=DAY_ZONE), tick=False):
        assert policy_reports.call() == 0
    # At the start of October it makes September's national and provincial reports
    with time_machine.travel(datetime(2026, 10, 1, 2, 0, tzinfo=DAY_ZONE), tick=False):
        made = policy_reports.call()
    assert made == 3  # national, Jawa Tengah, Jawa Timur
    assert set(PolicyReport.objects.values_list("month", "region")) == {
        (SEPTEMBER, ""),
        (SEPTEMBER, "33"),
        (SEPTEMBER, "35"),
    }
    # And run again (the next hour, or twice at once) it makes no second archive
    with time_machine.travel(datetime(2026, 10, 1, 3, 0, tzinfo=DAY_ZONE), tick=False):
        assert policy_reports.call() == 0
    assert PolicyReport.objects.count() == 3


def test_no_rahasia_report_and_no_anonim_identity_in_any_file(september):
    call_command("analytics_report", month="2026-09", region="33")
    call_command("analytics_report", month="2026-09")
    for row in PolicyReport.objects.all():
        # the archived pages, and the very HTML each PDF was drawn from
        pages = [_text(row.html.name), _text(row.html_en.name)]
        for language in ("id", "en"):
            from django.utils import translation

            with translation.override(language):
                made = content.build(row.month, row.region)
                pages.append(render.html(made, for_pdf=True))
        for page in pages:
            assert SECRET_TITLE not in page
            assert ANONYMOUS_NAME not in page
            assert "Siti Aminah" not in page  # the factory's reporter name: no name at all
        # the public anonim report is quoted as an example, without who reported it
        assert "Lampu jalan padam di alun-alun Demak" in pages[0]


def test_a_report_made_rahasia_after_archiving_leaves_the_archive(client, september):
    call_command("analytics_report", month="2026-09", region="33")
    row = PolicyReport.objects.get()
    quoted = "Lampu jalan padam di alun-alun Demak"
    assert quoted in _text(row.html.name)
    from lapor.reports.models import Report

    for report in Report.objects.filter(title__startswith=quoted):
        services.report_set_privacy(
            report=report,
            actor=national_admin(),
            is_anonymous=True,
            is_confidential=True,
            reason="Laporan menyebut nama orang.",
        )
    # A visitor before the hourly job: the page is made again first
    page = client.get(reverse("analytics:report", args=["2026-09", "33"])).content.decode()
    assert quoted not in page
    row.refresh_from_db()
    assert quoted not in _text(row.html.name)
    assert quoted not in _text(row.html_en.name)
    assert refresh_hidden() == 0  # and the job's check finds nothing more to do


def test_the_job_makes_again_a_report_quoting_one_made_rahasia(september):
    call_command("analytics_report", month="2026-09", region="33")
    quoted = "Lampu jalan padam di alun-alun Demak"
    from lapor.reports.models import Report

    report = Report.objects.filter(title__startswith=quoted).order_by("-support_count").first()
    services.report_set_privacy(
        report=report,
        actor=national_admin(),
        is_anonymous=True,
        is_confidential=True,
        reason="Laporan menyebut nama orang.",
    )
    assert refresh_hidden() == 1  # the hourly job's check
    row = PolicyReport.objects.get()
    assert report.title not in _text(row.html.name)


@pytest.fixture
def small_cells():
    """Central Java in October 2026: 8, 6 and 3 public reports in three categories."""
    jateng = ProvinceFactory(code="33", name="Jawa Tengah")
    demak = RegencyFactory(code="33.21", name="Kabupaten Demak", parent=jateng)
    cats = [
        CategoryFactory(code=f"k{n}", name=name)
        for n, name in enumerate(["Jalan rusak", "Air bersih", "Sekolah"])
    ]
    at = datetime(2026, 10, 12, 3, 0, tzinfo=DAY_ZONE)
    with time_machine.travel(at, tick=False):
        for category, n in zip(cats, (8, 6, 3), strict=True):
            for _ in range(n):
                submit(region=demak, category=category, is_confidential=False, at=at)
    fill()


def test_small_cells_are_suppressed_as_on_the_dashboards(small_cells):
    made = content.build(date(2026, 10, 1), "33")
    assert made.submitted.text == "17"
    rising = next(s for s in made.sections if s.slug == "naik")
    # 3 is hidden, and 6 with it (else 3 = 17 - 8 - 6); the month before had none
    assert [(label, [c.text for c in cells]) for label, cells in rising.rows] == [
        ("Jalan rusak", ["8", "0"]),
        ("Air bersih", ["< 5", "0"]),
        ("Sekolah", ["< 5", "0"]),
    ]
    page = render.html(made)
    assert '<td class="num">3</td>' not in page and '<td class="num">6</td>' not in page
    # and a rate from fewer than five reports shows no figure
    headline = dict((label, cells) for label, cells in made.headline.rows)
    assert headline["Ditindaklanjuti dalam batas waktu"][0].text == "—"


def _archive(months: int) -> None:
    for m in range(months):
        month = date(2025, 1 + m % 12, 1) + timedelta(days=366 * (m // 12))
        for region, name in (("", ""), ("33", "Jawa Tengah"), ("35", "Jawa Timur")):
            PolicyReport.objects.create(
                month=month.replace(day=1),
                region=region,
                region_name=name,
                html=f"laporan-kebijakan/{month:%Y-%m}/{region or 'nasional'}.html",
                pdf=f"laporan-kebijakan/{month:%Y-%m}/{region or 'nasional'}.pdf",
                pdf_pages=2,
            )


def test_the_archive_page_lists_by_month_and_region_in_few_queries(client, db):
    ProvinceFactory(code="33", name="Jawa Tengah")
    ProvinceFactory(code="35", name="Jawa Timur")
    _archive(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("analytics:reports")).status_code == 200
    _archive(0)
    PolicyReport.objects.all().delete()
    _archive(10)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("analytics:reports"))
    # Then the number of queries does not grow with the archive (the rows, the provinces)
    assert len(many) == len(few) <= 4
    page = response.content.decode()
    assert len(response.content) < 120_000  # page weight, as the dashboards
    assert page.count('href="/dasbor/laporan/2025-03/33/"') == 1
    assert 'href="/dasbor/laporan/2025-03/nasional.pdf"' in page
    assert "<script" not in page
    # And one region alone
    only = client.get(reverse("analytics:reports") + "?wilayah=35").content.decode()
    assert "/dasbor/laporan/2025-03/35/" in only and "/dasbor/laporan/2025-03/33/" not in only


def test_the_report_pages_in_both_languages(client, september):
    call_command("analytics_report", month="2026-09", region="33")
    url = reverse("analytics:report", args=["2026-09", "33"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert len(queries) <= 2 and len(page.content) < 120_000  # the row, its quoted reports' check
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    body = page.content.decode()
    assert '<html lang="id">' in body and "Laporan masuk" in body
    assert "style=" not in body and "<style" not in body and "<script" not in body  # CSP
    english = client.get(url + "?bahasa=en").content.decode()
    assert '<html lang="en">' in english and "Reports received" in english
    # the English pages of the site serve the English file too
    assert '<html lang="en">' in client.get("/en" + url).content.decode()
    pdf = client.get(reverse("analytics:report_pdf", args=["2026-09", "33"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    # the archive page in both languages, linked from the dashboards
    archive = client.get(reverse("analytics:reports")).content.decode()
    assert "Suara Rakyat" in archive and url in archive
    english_archive = client.get("/en/dasbor/laporan/").content.decode()
    assert '<html lang="en">' in english_archive and "National dashboard" in english_archive
    dashboard = client.get("/dasbor/").content.decode()
    assert 'href="/dasbor/laporan/"' in dashboard and 'href="/dasbor/otomasi/"' in dashboard
    # and unknown months or regions are not found
    assert client.get("/dasbor/laporan/2026-13/33/").status_code == 404
    assert client.get("/dasbor/laporan/2026-08/33/").status_code == 404
    assert client.get("/dasbor/laporan/2026-09/99.pdf").status_code == 404


def test_the_portal_menu_links_the_dashboards_in_both_languages(client, db):
    home = client.get("/").content.decode()
    assert f'<a href="{reverse("analytics:national")}">Dasbor</a>' in home
    english = client.get("/en/").content.decode()
    assert 'href="/en/dasbor/">' in english
