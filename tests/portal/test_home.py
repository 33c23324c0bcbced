from __future__ import annotations

import pytest

from lapor.analytics.fill import fill
from tests.factories import submit
from tests.portal.conftest import page

pytestmark = pytest.mark.django_db


def test_home_puts_submitting_first_and_shows_totals_and_latest_public(client, regency):
    # given a public report and a rahasia one
    submit(title="Lampu jalan mati di alun-alun", is_confidential=False, region=regency)
    submit(title="Pungutan liar di kantor kelurahan", region=regency)
    fill()  # the rollup job counted them
    # when a citizen opens the home page
    html = page(client, "/")
    # then the submit button comes before the totals, and only the public report is listed
    assert html.index('href="/lapor/"') < html.index("Laporan nasional")
    assert "Lampu jalan mati di alun-alun" in html
    assert "Pungutan liar" not in html
    assert "<strong>2</strong>laporan" in html
    assert "Cara kerjanya" in html


def test_home_in_english(client):
    html = page(client, "/", "en")
    assert '<html lang="en">' in html
    assert "Submit a report now" in html


def test_every_page_offers_the_language_switch(client):
    for url in ("/", "/lapor/", "/lacak/", "/laporan/", "/akun/masuk/", "/akun/daftar/"):
        html = page(client, url)
        assert 'action="/i18n/setlang/"' in html, url
        assert 'value="en"' in html, url


def test_language_switch_keeps_the_page_both_ways(client):
    html = page(client, "/laporan/?status=open")
    assert 'name="next" type="hidden" value="/en/laporan/?status=open"' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/en/laporan/"})
    assert response["Location"] == "/en/laporan/"
    html = page(client, "/laporan/", "en")
    assert 'name="next" type="hidden" value="/laporan/"' in html
    assert 'name="language" value="id"' in html
    response = client.post("/i18n/setlang/", {"language": "id", "next": "/laporan/"})
    assert response["Location"] == "/laporan/"
    assert "Laporan publik" in client.get("/laporan/").content.decode()
