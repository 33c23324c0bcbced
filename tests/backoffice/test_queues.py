"""Queues show each officer only their subtree, with counts, filters, SLA state and paging."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lapor.agencies.models import Agency, Membership
from lapor.reports.lifecycle import Status
from lapor.reports.models import Report
from tests.backoffice.conftest import sign_in
from tests.factories import AgencyFactory, UnitFactory, national_admin, officer
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_regencies():  # type: ignore[no-untyped-def]
    kab = AgencyFactory(code="pemkab-3603", name="Pemerintah Kabupaten Tangerang")
    kota = AgencyFactory(code="pemkot-3671", name="Pemerintah Kota Tangerang")
    return kab, kota


def test_agency_admin_sees_and_counts_only_their_own_reports(client, two_regencies):
    kab, kota = two_regencies
    report_in(Status.DISPOSED, agency=kab, title="Sampah menumpuk di Cikupa")
    report_in(Status.DISPOSED, agency=kota, title="Lampu jalan mati di Cipondoh")
    report_in(Status.TRIAGE, agency=kab, title="Belum dirouting sama sekali")
    sign_in(client, officer(kab))
    html = client.get("/kantor/antrean/masuk/").content.decode()
    assert "Sampah menumpuk di Cikupa" in html
    assert "Cipondoh" not in html
    assert 'id="count-masuk">1<' in html
    assert 'id="count-triase">0<' in html


def test_national_admin_triage_queue_holds_unrouted_reports(client, two_regencies):
    kab, _ = two_regencies
    report_in(Status.TRIAGE, agency=kab, title="Menunggu verifikasi nasional")
    report_in(Status.DISPOSED, agency=kab, title="Sudah di instansi")
    sign_in(client, national_admin())
    response = client.get("/kantor/", follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].endswith("/kantor/antrean/triase/")
    assert "Menunggu verifikasi nasional" in html and "Sudah di instansi" not in html
    assert 'id="count-masuk">1<' in html


def test_unit_officer_sees_only_reports_forwarded_to_their_unit(client, two_regencies):
    kab, _ = two_regencies
    dinkes = UnitFactory(parent=kab, code="pemkab-3603-dinkes", name="Dinas Kesehatan")
    dishub = UnitFactory(parent=kab, code="pemkab-3603-dishub", name="Dinas Perhubungan")
    report_in(Status.IN_PROGRESS, agency=kab, unit=dinkes, title="Puskesmas tutup siang")
    report_in(Status.IN_PROGRESS, agency=kab, unit=dishub, title="Terminal bayangan")
    report_in(Status.DISPOSED, agency=kab, title="Belum diteruskan ke unit")
    sign_in(client, officer(dinkes, Membership.Role.UNIT_OFFICER))
    html = client.get("/kantor/", follow=True).content.decode()
    assert "Puskesmas tutup siang" in html
    assert "Terminal bayangan" not in html and "Belum diteruskan" not in html
    assert 'id="count-masuk">0<' in html


def test_rows_show_sla_state_in_working_days_and_sort_by_due_date(client, two_regencies):
    kab, _ = two_regencies
    late, _ = report_in(Status.DISPOSED, agency=kab, title="Laporan yang terlambat")
    soon, _ = report_in(Status.DISPOSED, agency=kab, title="Laporan yang masih lama")
    now = timezone.now()
    Report.objects.filter(pk=late.pk).update(due_at=now - timedelta(days=14), overdue_since=now)
    Report.objects.filter(pk=soon.pk).update(due_at=now + timedelta(days=14))
    sign_in(client, officer(kab))
    html = client.get("/kantor/antrean/masuk/").content.decode()
    assert "terlambat 10 hari kerja" in html or "terlambat 9 hari kerja" in html
    assert "hari kerja lagi" in html
    assert html.index("Laporan yang terlambat") < html.index("Laporan yang masih lama")
    overdue = client.get("/kantor/antrean/terlambat/").content.decode()
    assert "Laporan yang terlambat" in overdue and "masih lama" not in overdue


def test_filters_and_search_narrow_the_queue(client, two_regencies):
    kab, _ = two_regencies
    report_in(Status.DISPOSED, agency=kab, title="Banjir di perumahan", channel="sms")
    report_in(Status.DISPOSED, agency=kab, title="Pungli di kelurahan", channel="web")
    sign_in(client, officer(kab))
    by_channel = client.get("/kantor/antrean/masuk/?channel=sms").content.decode()
    assert "Banjir" in by_channel and "Pungli" not in by_channel
    by_text = client.get("/kantor/antrean/masuk/?q=pungli").content.decode()
    assert "Pungli" in by_text and "Banjir" not in by_text
    by_privacy = client.get("/kantor/antrean/masuk/?privacy=publik").content.decode()
    assert "Banjir" not in by_privacy  # both are rahasia by default


def test_queue_search_takes_phrases_exclusions_and_stray_syntax(client, two_regencies):
    kab, kota = two_regencies
    report_in(
        Status.DISPOSED,
        agency=kab,
        title="Banjir di perumahan",
        body="Air masuk rumah sejak subuh tadi.",
    )
    report_in(
        Status.DISPOSED,
        agency=kab,
        title="Banjir bandang",
        body="Jembatan desa hanyut terbawa arus.",
    )
    report_in(
        Status.DISPOSED,
        agency=kota,
        title="Banjir di Kota",
        body="Bukan wilayah kerja kabupaten ini.",
    )
    sign_in(client, officer(kab))

    def rows(q: str) -> str:
        response = client.get("/kantor/antrean/masuk/", {"q": q})
        assert response.status_code == 200
        return response.content.decode()

    assert "Banjir bandang" in rows("banjir -perumahan") and "perumahan" not in rows("-rumah")
    assert "Banjir di perumahan" in rows('"air masuk"') and "bandang" not in rows('"air masuk"')
    assert "Banjir di Kota" not in rows("banjir")  # still only the officer's own reports
    for stray in ['"', "*", "-", 'banjir "']:  # no error; no word: the queue is not narrowed
        assert "Banjir bandang" in rows(stray)
    for word in ["AND", "NEAR(", "banjir OR"]:  # operators out of place are words
        assert "Banjir bandang" not in rows(word)


def test_queue_pages_and_queries_stay_constant(
    client, two_regencies, django_assert_max_num_queries
):
    kab, _ = two_regencies
    for n in range(30):
        report_in(Status.DISPOSED, agency=kab, title=f"Laporan nomor {n:02d}")
    sign_in(client, officer(kab))
    with django_assert_max_num_queries(12):
        first = client.get("/kantor/antrean/masuk/")
    assert first.content.decode().count('id="row-') == 25
    with django_assert_max_num_queries(12):
        second = client.get("/kantor/antrean/masuk/?page=2&sort=new")
    assert second.content.decode().count('id="row-') == 5
    assert Agency.objects.count() >= 2
