"""The means every kept page shares (``track_cache``): who may use a kept page
(``nothing_private``, each kind's differences as parameters) and where pages of one kind are
kept (``Kept``: the tuple stored, the lifetime, the warning when the cache is down)."""

from __future__ import annotations

import logging
from importlib import import_module
from typing import Any

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage import default_storage
from django.core.cache import cache
from django.http import HttpRequest
from django.test import RequestFactory

from lapor.portal import form_cache, list_cache, report_cache, track_cache
from lapor.portal.reporter_session import remember_secret
from tests.factories import UserFactory

TRACKING_ID = "7KQM3XPA9W2E"


def _visit(method: str = "get", path: str = "/laporan/", **data: str) -> HttpRequest:
    """A request as the middleware leaves it: a session, no account, a message store."""
    request = getattr(RequestFactory(), method)(path, data)
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    request.user = AnonymousUser()
    request._messages = default_storage(request)
    return request


def _public(
    request: HttpRequest,
    *,
    query_allowed: bool = False,
    canonical: bool = True,
    guest_secret_of: str | None = None,
) -> bool:
    """``nothing_private`` for a kind with no query, a canonical address and no guest secret
    to look for, but for what a test names."""
    return track_cache.nothing_private(
        request,
        query_allowed=query_allowed,
        canonical=canonical,
        guest_secret_of=guest_secret_of,
    )


def test_a_plain_visit_with_nothing_private_may_use_a_kept_page():
    assert _public(_visit())
    assert _public(_visit("head"))


def test_a_post_never_uses_a_kept_page_and_reads_no_session():
    request = _visit("post")
    assert not _public(request, query_allowed=True)
    assert not request.session.accessed


def test_a_query_is_refused_unless_the_kind_allows_it():
    # Given a visit with a query (the list's filters, or ?instansi= on the form)
    # Then only a kind whose key is the whole address may use a kept page
    assert not _public(_visit(status="open"))
    assert _public(_visit(status="open"), query_allowed=True)


def test_an_address_in_another_spelling_is_refused():
    assert not _public(_visit(), canonical=False)


@pytest.mark.django_db
def test_a_signed_in_visitor_is_refused_whatever_the_kind():
    request = _visit(status="open")
    user: Any = UserFactory()
    request.user = user
    assert not _public(request, query_allowed=True)


def test_a_guest_secret_is_refused_only_for_the_report_it_opens():
    # Given a browser that entered the guest secret of one report
    request = _visit()
    remember_secret(request, TRACKING_ID, "S" * 20)
    # Then a kind that shows the reporter more (the track page) refuses it for that report
    assert not _public(request, guest_secret_of=TRACKING_ID)
    # But not for another report, nor for a kind that shows the reporter nothing of their own
    assert _public(request, guest_secret_of="9ZZZ3XPA9W2E")
    assert _public(request)


def test_a_pending_message_is_refused_and_left_unread():
    request = _visit()
    messages.success(request, "Terima kasih atas dukungan Anda.")
    assert not _public(request)
    assert [str(m) for m in messages.get_messages(request)] == ["Terima kasih atas dukungan Anda."]


def test_each_kind_states_its_own_differences():
    with_query = _visit(status="open")
    assert list_cache.is_public_visit(with_query)
    assert not form_cache.is_public_visit(with_query)
    assert not report_cache.is_public_visit(with_query, TRACKING_ID, TRACKING_ID)
    assert not track_cache.is_public_visit(with_query, TRACKING_ID, TRACKING_ID)
    lower = TRACKING_ID.lower()
    assert not report_cache.is_public_visit(_visit(), TRACKING_ID, lower)
    assert not track_cache.is_public_visit(_visit(), TRACKING_ID, lower)
    with_secret = _visit()
    remember_secret(with_secret, TRACKING_ID, "S" * 20)
    assert report_cache.is_public_visit(with_secret, TRACKING_ID, TRACKING_ID)
    assert not track_cache.is_public_visit(with_secret, TRACKING_ID, TRACKING_ID)


KINDS = [
    pytest.param(
        track_cache.pages,
        track_cache.Page("csrfX", "<p>lacak</p>"),
        ("csrfX", "<p>lacak</p>"),
        track_cache.PAGE_SECONDS,
        id="track",
    ),
    pytest.param(
        list_cache.pages,
        list_cache.ListPage("csrfX", "<p>daftar</p>", ((7, "3.ab.2026"),), 1.5),
        ("csrfX", "<p>daftar</p>", ((7, "3.ab.2026"),), 1.5),
        list_cache.KEEP_SECONDS,
        id="list",
    ),
    pytest.param(
        form_cache.pages,
        form_cache.FormPage("csrfX", "<p>formulir</p>", "formY"),
        ("csrfX", "<p>formulir</p>", "formY"),
        form_cache.FORM_SECONDS,
        id="form",
    ),
    pytest.param(  # the kinds above all last 600 seconds: one of its own lifetime
        track_cache.Kept(track_cache.Page, 30, logging.getLogger(__name__), "test page"),
        track_cache.Page("csrfX", "<p>uji</p>"),
        ("csrfX", "<p>uji</p>"),
        30,
        id="own-lifetime",
    ),
]


@pytest.mark.parametrize(("kept", "kept_page", "stored", "seconds"), KINDS)
def test_a_kind_is_stored_as_the_tuple_of_its_fields_for_its_lifetime(
    kept: Any, kept_page: Any, stored: tuple[Any, ...], seconds: int, monkeypatch
):
    timeouts: list[float] = []
    real_set = cache.set

    def spy(key: str, value: Any, timeout: float) -> None:
        timeouts.append(timeout)
        real_set(key, value, timeout)

    def at(moment: float) -> None:
        monkeypatch.setattr(track_cache.time, "monotonic", lambda: moment)

    now = track_cache.time.monotonic()
    at(now)
    monkeypatch.setattr(cache, "set", spy)
    # When a page is kept
    kept.put("k", kept_page)
    # Then the shared cache holds its fields for the kind's lifetime
    assert cache.get("k") == stored and timeouts == [seconds]
    # And this process holds the page itself as long
    cache.delete("k")
    at(now + seconds - 1)
    assert kept.get("k") is kept_page
    at(now + seconds + 1)
    assert kept.get("k") is None
    # And another process rebuilds the same page from the shared cache, for as long again
    at(now)
    real_set("k", stored, 60)
    again = kept.get("k")
    assert again == kept_page and type(again) is type(kept_page)
    cache.delete("k")
    at(now + seconds - 1)
    assert kept.get("k") is again
    at(now + seconds + 1)
    assert kept.get("k") is None


def test_an_entry_of_another_kind_is_no_page():
    cache.set("k", ("csrfX", "<p>lacak</p>"), 60)
    assert list_cache.get("k") is None and form_cache.get("k") is None
    assert track_cache.get("k") == track_cache.Page("csrfX", "<p>lacak</p>")


def test_a_list_pages_rows_come_back_as_tuples_whatever_the_cache_returns():
    cache.set("k", ("csrfX", "<p>daftar</p>", [[7, "3.ab.2026"]], 1.5), 60)
    found = list_cache.get("k")
    assert found is not None and found.rows == ((7, "3.ab.2026"),)


@pytest.mark.parametrize(
    ("module", "kept_page", "warning"),
    [
        (track_cache, track_cache.Page("p", "h"), "track page cache unavailable"),
        (list_cache, list_cache.ListPage("p", "h", (), 0.0), "list page cache unavailable"),
        (form_cache, form_cache.FormPage("p", "h", "t"), "submit form cache unavailable"),
    ],
)
def test_a_dead_cache_is_a_warning_of_the_kinds_own(
    module: Any, kept_page: Any, warning: str, monkeypatch, caplog
):
    def broken(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    with caplog.at_level(logging.WARNING):
        module.put("k", kept_page)
        track_cache.recent.clear()
        assert module.get("k") is None
    assert [(r.name, r.getMessage()) for r in caplog.records] == [(module.__name__, warning)] * 2
