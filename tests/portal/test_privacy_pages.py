"""A rahasia report is on no public page, list or search, in either language; an anonim
reporter's name is on no public page."""

from __future__ import annotations

import pytest

from tests.factories import AgencyFactory, submit
from tests.portal.conftest import answered

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Pungutan liar oleh oknum di kantor samsat"
SECRET_WORD = "samsat"
NAME = "Rahmat Hidayatullah"


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    agency = AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")
    hidden = submit(
        title=SECRET_TITLE,
        body="Petugas samsat meminta uang tambahan di luar tarif resmi setiap pagi.",
        is_anonymous=True,
        is_confidential=True,
        contact_name=NAME,
    ).report
    answered(hidden, agency)
    shown = submit(
        title="Lampu jalan mati di alun-alun",
        is_anonymous=True,
        is_confidential=False,
        contact_name=NAME,
    ).report
    answered(shown, agency)
    return hidden, shown


def _public_urls(hidden, shown) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        "/",
        "/laporan/",
        f"/laporan/?q={SECRET_WORD}",
        "/laporan/?q=pungutan+liar",
        "/laporan/?region=33",
        "/laporan/?agency=pemkab-3321",
        "/laporan/?status=open",
        f"/laporan/{shown.tracking_id}/",
        "/instansi/pemkab-3321/",
        f"/lacak/{hidden.tracking_id}/",  # a stranger holding the tracking ID
        f"/lacak/{shown.tracking_id}/",
    ]


@pytest.mark.parametrize("lang", ["", "/en"])
def test_rahasia_report_and_anonim_name_are_on_no_public_page(client, world, lang):
    hidden, shown = world
    for url in _public_urls(hidden, shown):
        response = client.get(lang + url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert SECRET_TITLE not in html, url
        assert "meminta uang tambahan" not in html, url
        assert NAME not in html, url
        assert "siti@contoh.id" not in html, url
        if "/lacak/" not in url:
            assert hidden.tracking_id not in html, url
    assert client.get(f"{lang}/laporan/{hidden.tracking_id}/").status_code == 404


@pytest.mark.parametrize("lang", ["", "/en"])
def test_search_finds_no_rahasia_report(client, world, lang):
    html = client.get(f"{lang}/laporan/?q={SECRET_WORD}").content.decode()
    assert SECRET_TITLE not in html and 'class="list"' not in html  # no row at all
    assert "Tidak ada laporan publik yang cocok" in html or "No public report matches" in html


def test_agency_counts_leave_rahasia_reports_out(client, world):
    html = client.get("/instansi/pemkab-3321/").content.decode()
    assert "<strong>1</strong>dalam proses" in html
