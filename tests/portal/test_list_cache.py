"""The public list is kept rendered per address and language, and every row is checked against
its report before a kept page is served: never a report that stopped being public, never an
older state of one, never another visitor's CSRF token, never a signed-in visitor's page."""

from __future__ import annotations

import re
import time

import pytest
from django.core.cache import cache
from django.test import Client

from lapor.portal import list_cache, track_cache
from lapor.reports import services
from tests.factories import AgencyFactory, UserFactory, national_admin, submit
from tests.portal.conftest import answered, page

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
URL = "/laporan/?status=open"


def _public(title: str):  # type: ignore[no-untyped-def]
    return submit(is_confidential=False, is_anonymous=False, title=title).report


def test_a_kept_page_costs_one_query_and_carries_the_visitors_own_token(
    django_assert_num_queries,
):
    _public("Jalan rusak di depan pasar")
    first_visitor, second_visitor = Client(), Client()
    first = page(first_visitor, URL)
    assert cache.get(list_cache.key("id", URL)) is not None  # shared with other processes
    with django_assert_num_queries(1):  # the shown rows' versions, by primary key
        second = page(second_visitor, URL)
    assert TOKEN.sub("", first) == TOKEN.sub("", second)
    assert "Jalan rusak di depan pasar" in second
    assert TOKEN.findall(first) != TOKEN.findall(second)  # each visitor's own token


def test_a_report_made_rahasia_leaves_a_kept_page_at_once():
    report = _public("Pungutan liar di loket kelurahan")
    assert "Pungutan liar di loket kelurahan" in page(Client(), URL)
    services.report_set_privacy(
        report=report, actor=national_admin(), is_anonymous=True, is_confidential=True
    )
    assert "Pungutan liar di loket kelurahan" not in page(Client(), URL)


def test_a_changed_report_is_never_shown_in_an_older_state():
    report = _public("Lampu jalan padam")
    assert "Diterima" in page(Client(), URL)
    answered(report, AgencyFactory(name="Dinas Perhubungan Demak"))
    after = page(Client(), URL)
    assert "Dinas Perhubungan Demak" in after and "Ditindaklanjuti" in after


def test_a_new_report_enters_once_the_kept_page_is_a_minute_old(monkeypatch):
    _public("Sampah menumpuk di pasar")
    assert "Drainase tersumbat" not in page(Client(), URL)
    _public("Drainase tersumbat")
    # Within the minute the kept page is served (its rows are unchanged)…
    assert "Drainase tersumbat" not in page(Client(), URL)
    # …and after it, the next request reads the list again.
    later = time.time() + list_cache.LIST_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert "Drainase tersumbat" in page(Client(), URL)


def test_one_request_at_a_time_remakes_an_old_page(monkeypatch):
    _public("Sampah menumpuk di pasar")
    page(Client(), URL)
    key = list_cache.key("id", URL)
    kept = list_cache.get(key)
    assert kept is not None and not list_cache.due(key, kept)  # fresh
    later = time.time() + list_cache.LIST_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert list_cache.due(key, kept)  # this one remakes it…
    assert not list_cache.due(key, kept)  # …the others get the kept page meanwhile


def test_a_signed_in_visit_neither_reads_nor_stores_a_kept_page():
    _public("Jembatan retak")
    user = UserFactory()
    signed_in = Client()
    signed_in.force_login(user)
    mine = page(signed_in, URL)
    assert "Jembatan retak" in mine
    assert cache.get(list_cache.key("id", URL)) is None
    track_cache.recent.clear()
    assert list_cache.get(list_cache.key("id", URL)) is None
    assert "Keluar" not in page(Client(), URL)  # kept now, by a visitor with nothing private
    assert list_cache.get(list_cache.key("id", URL)) is not None
    assert "Keluar" in page(signed_in, URL)  # still rendered for the signed-in visitor


def test_each_language_and_address_has_its_own_page():
    _public("Jalan rusak di depan pasar")
    assert "Dalam proses" in page(Client(), URL)
    assert "Public reports" in page(Client(), URL, "en")
    assert list_cache.key("id", URL) != list_cache.key("en", URL)
    assert list_cache.key("id", URL) != list_cache.key("id", "/laporan/?status=finished")
