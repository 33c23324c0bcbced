"""Dates typed into the public list's address outside what the platform holds are refused with a
field error in the visitor's language, never a server error (issue: OverflowError → 500)."""

from __future__ import annotations

import pytest

from tests.factories import submit
from tests.portal.conftest import page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["until=9999-12-31", "since=0001-01-01", "since=9999-12-31"])
def test_a_date_out_of_range_is_a_field_error_not_a_server_error(client, query):
    html = page(client, f"/laporan/?{query}")
    assert "Isi tanggal antara 1 Januari 2000 dan 31 Desember" in html


def test_the_other_filters_still_apply_beside_a_date_in_error(client):
    submit(is_confidential=False, title="Lampu jalan mati", body="Lampu perempatan mati seminggu.")
    submit(is_confidential=False, title="Sampah menumpuk", body="Sampah pasar tidak diangkut.")
    html = page(client, "/laporan/?q=lampu&until=9999-12-31")
    assert "Lampu jalan mati" in html and "Sampah menumpuk" not in html
    assert 'class="error"' in html


def test_the_range_is_told_in_english_under_en(client):
    html = page(client, "/laporan/?until=9999-12-31", lang="en")
    assert "Enter a date between 1 January 2000 and 31 December" in html
