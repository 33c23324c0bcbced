from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lapor.reports.models import Report, Supporter
from tests.factories import AgencyFactory, CategoryFactory, RegencyFactory, UserFactory, submit
from tests.portal.conftest import ANSWER, answered, page

pytestmark = pytest.mark.django_db


def _public(**kw):  # type: ignore[no-untyped-def]
    return submit(is_confidential=False, **kw).report


def test_list_searches_title_and_text(client):
    _public(title="Lampu jalan mati", body="Sudah seminggu lampu di perempatan tidak menyala.")
    _public(title="Sampah menumpuk", body="Sampah pasar tidak diangkut selama sepekan penuh.")
    html = page(client, "/laporan/?q=lampu")
    assert "Lampu jalan mati" in html and "Sampah menumpuk" not in html
    html = page(client, "/laporan/?q=diangkut")
    assert "Sampah menumpuk" in html and "Lampu jalan mati" not in html


def test_list_filters_region_category_status_date_and_agency(client, papua_regency):
    road = CategoryFactory(code="jalan", name="Jalan")
    pothole = CategoryFactory(code="jalan-lubang", name="Jalan berlubang", parent=road)
    in_demak = _public(title="Laporan dari Demak", category=pothole)
    _public(title="Laporan dari Jayapura", region=papua_regency)
    old = _public(title="Laporan lama sekali", at=timezone.now() - timedelta(days=40))
    agency = answered(in_demak)
    assert "Laporan dari Jayapura" not in page(client, "/laporan/?region=33")
    assert "Laporan dari Demak" in page(client, "/laporan/?region=33")
    assert "Laporan dari Jayapura" in page(client, "/laporan/?region=94")
    by_category = page(client, "/laporan/?category=jalan")
    assert "Laporan dari Demak" in by_category and "Jayapura" not in by_category
    by_status = page(client, "/laporan/?status=open")
    assert "Laporan dari Demak" in by_status
    since = (timezone.now() - timedelta(days=7)).date().isoformat()
    recent = page(client, f"/laporan/?since={since}")
    assert old.title not in recent and "Laporan dari Demak" in recent
    by_agency = page(client, f"/laporan/?agency={agency.code}")
    assert "Laporan dari Demak" in by_agency and "Jayapura" not in by_agency


def test_list_paginates(client):
    for n in range(23):
        _public(title=f"Laporan nomor {n:02d}")
    first = page(client, "/laporan/")
    assert "Halaman 1" in first and 'page=2" rel="next"' in first
    assert "Laporan nomor 22" in first and "Laporan nomor 02" not in first
    second = page(client, "/laporan/?page=2")
    assert "Laporan nomor 00" in second and "Laporan nomor 22" not in second
    assert 'rel="next"' not in second and "page=1" in second  # no third page; back to the first


def test_the_list_counts_no_total_and_stops_at_its_last_page(
    client, settings, django_assert_max_num_queries
):
    from lapor.portal.views import browse

    settings.LANGUAGE_CODE = "id"
    for n in range(5):
        _public(title=f"Laporan nomor {n:02d}")
    browse_size, browse_last = browse.PAGE_SIZE, browse.LAST_PAGE
    browse.PAGE_SIZE, browse.LAST_PAGE = 2, 2
    try:
        last = page(client, "/laporan/?page=2")
        assert "Persempit dengan kata kunci" in last and 'rel="next"' not in last
        deep = page(client, "/laporan/?page=99")  # shown as the last page
        assert "Persempit dengan kata kunci" in deep and "Halaman 2" in deep
        assert all(f"Laporan nomor {n:02d}" in deep for n in (1, 2))
        assert "COUNT(" not in "".join(q["sql"] for q in _queries(client, "/laporan/?page=1"))
    finally:
        browse.PAGE_SIZE, browse.LAST_PAGE = browse_size, browse_last


def _queries(client, url):  # type: ignore[no-untyped-def]
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lapor.portal import track_cache

    cache.clear()
    track_cache.recent.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return queries.captured_queries


def test_report_page_shows_text_answer_timeline_and_support(client):
    report = _public(is_anonymous=False, contact_name="Budi Santoso")
    answered(report)
    html = page(client, f"/laporan/{report.tracking_id}/")
    assert report.body in html
    assert "Budi Santoso" in html
    assert ANSWER in html
    assert "Didisposisikan" not in html or "Diverifikasi dan didisposisikan" in html
    assert 'id="support-count">0<' in html


def test_anonim_name_is_hidden_on_the_report_page(client):
    report = _public(is_anonymous=True, contact_name="Budi Santoso")
    html = page(client, f"/laporan/{report.tracking_id}/")
    assert "Budi Santoso" not in html and "Anonim" in html


def test_rahasia_report_page_is_404(client):
    report = submit(is_confidential=True).report
    assert client.get(f"/laporan/{report.tracking_id}/").status_code == 404
    assert client.get(f"/en/laporan/{report.tracking_id}/").status_code == 404


def test_dukung_adds_a_supporter(client):
    report = _public()
    url = f"/laporan/{report.tracking_id}/"
    empty = client.post(url, {}).content.decode()
    assert "Masuk atau isi surel/telepon" in empty
    response = client.post(url, {"contact_email": "Warga@Contoh.id"})
    assert response.status_code == 302
    assert Supporter.objects.get().contact_email == "warga@contoh.id"
    # counted once the address is confirmed (tests/reports/test_supporters.py)
    assert 'id="support-count">0<' in page(client, url)


def test_logged_in_citizen_supports_once(client):
    report = _public()
    client.force_login(UserFactory())
    url = f"/laporan/{report.tracking_id}/"
    client.post(url, {})
    again = client.post(url, {}).content.decode()
    assert "Anda sudah mendukung laporan ini." in again
    assert Report.objects.get().support_count == 1


def test_agency_page_counts_and_answer_times(client):
    agency = AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")
    report = _public(at=timezone.now() - timedelta(days=2))
    answered(report, agency)
    _public()
    html = page(client, "/instansi/pemkab-3321/")
    assert "Pemerintah Kabupaten Demak" in html
    assert "<strong>1</strong>dalam proses" in html
    assert "<strong>100%</strong>" in html
    assert "<strong>2,0</strong>" in html  # median days to the first answer, decimal comma
    assert "<strong>2.0</strong>" in page(client, "/instansi/pemkab-3321/", "en")


def test_public_pages_in_english(client):
    report = _public()
    AgencyFactory(code="pemkab-3321")
    assert "Public reports" in page(client, "/laporan/", "en")
    assert "Agency answers" in page(client, f"/laporan/{report.tracking_id}/", "en")
    assert "in progress" in page(client, "/instansi/pemkab-3321/", "en")


def test_unknown_region_filter_shows_an_empty_list_not_an_error(client):
    RegencyFactory()
    html = page(client, "/laporan/?region=99&status=nonsense")
    assert "Tidak ada laporan publik yang cocok" in html


def test_full_text_search_understands_web_search_syntax(client):
    # PostgreSQL's websearch query, and the same reading over FTS5 on SQLite
    _public(title="Lampu jalan mati", body="Lampu di jalan utama padam setiap malam minggu.")
    _public(title="Jalan berlubang", body="Jalan utama berlubang dan tergenang air hujan.")
    html = page(client, "/laporan/?q=jalan+-lampu")
    assert "Jalan berlubang" in html and "Lampu jalan mati" not in html
    html = page(client, '/laporan/?q="utama+berlubang"')
    assert "Jalan berlubang" in html and "Lampu jalan mati" not in html
    # stray search syntax is no error: text without a word does not narrow the list, and
    # operators are searched as words
    for stray in ["%22", "*", "-", "jalan+%22", "jalan+-"]:
        assert "Jalan berlubang" in page(client, f"/laporan/?q={stray}"), stray
    for word in ["AND", "NEAR(", "jalan+AND", "berlubang+NOT", "jalan+OR"]:
        assert "Jalan berlubang" not in page(client, f"/laporan/?q={word}"), word


def test_not_found_page_is_friendly_and_says_what_to_do(client, settings):
    settings.DEBUG = False
    report = submit(is_confidential=True).report
    response = client.get(f"/laporan/{report.tracking_id}/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in html and "/lacak/" in html
    assert report.title not in html
