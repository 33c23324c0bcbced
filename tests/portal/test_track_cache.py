"""The public track page comes from the shared cache, never stale, never private, and never
with another visitor's CSRF token."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from lapor.portal import track_cache
from lapor.reports import services
from lapor.reports.models import Report
from tests.factories import AgencyFactory, UserFactory, national_admin, officer, submit
from tests.portal.conftest import ANSWER, answered, page

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _cached(report: Report, language: str = "id") -> track_cache.Page | None:
    """The page of the report's current version in the shared cache (not this process's)."""
    report.refresh_from_db()
    version = track_cache.report_version(report)
    found = cache.get(track_cache.key(report.tracking_id, language, version))
    return track_cache.Page(*found) if found else None


def test_a_second_visit_is_served_from_the_cache_with_one_query(client, django_assert_num_queries):
    report = submit(is_confidential=False, is_anonymous=False).report
    url = f"/lacak/{report.tracking_id}/"
    first = page(client, url)
    assert _cached(report) is not None
    with django_assert_num_queries(1):  # the report's version, by its unique index
        second = page(Client(), url)
    assert TOKEN.sub("", first) == TOKEN.sub("", second)
    assert "Jalan rusak di depan pasar" in second and "Diterima" in second


def test_a_change_through_a_service_shows_at_once(client):
    report = submit(is_confidential=False, is_anonymous=False).report
    url = f"/lacak/{report.tracking_id}/"
    before = page(client, url)
    assert "Diterima" in before and ANSWER not in before
    assert _cached(report) is not None
    answered(report, AgencyFactory(name="Dinas Pekerjaan Umum Demak"))
    after = page(client, url)
    assert ANSWER in after and "Dinas Pekerjaan Umum Demak" in after
    report.refresh_from_db()
    services.report_complete(report=report, actor=officer(report.agency))
    assert "Selesai" in page(client, url)


def test_each_language_has_its_own_page(client):
    report = submit().report
    url = f"/lacak/{report.tracking_id}/"
    assert "Diterima" in page(client, url)
    english = page(client, url, "en")
    assert "Received" in english and "Diterima" not in english
    assert _cached(report, "id") is not None and _cached(report, "en") is not None


def test_a_cached_page_holds_no_csrf_token_and_each_visitor_gets_a_working_one():
    report = submit().report
    url = f"/lacak/{report.tracking_id}/"
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_tokens = set(TOKEN.findall(page(first, url)))
    stored = _cached(report)
    assert stored is not None
    assert not any(token in stored.html for token in first_tokens)
    assert set(TOKEN.findall(stored.html)) == {stored.placeholder}
    html = page(second, url)
    tokens = set(TOKEN.findall(html))
    assert stored.placeholder not in html and len(tokens) == 1
    assert not tokens & first_tokens
    # The second visitor's token is accepted with the cookie it was given.
    response = second.post(url, {"action": "secret", "secret": "X" * 10, **_token(tokens)})
    assert response.status_code == 200
    assert "Kode rahasia tidak cocok" in response.content.decode()


def _token(tokens: set[str]) -> dict[str, str]:
    return {"csrfmiddlewaretoken": next(iter(tokens))}


def test_the_guest_secret_is_never_answered_from_nor_stored_in_the_cache(client):
    sub = submit(title="Pungli di kantor kecamatan", contact_name="Siti Aminah")
    url = f"/lacak/{sub.report.tracking_id}/"
    public = page(Client(), url)  # stored for visitors with the tracking ID only
    assert "Siti Aminah" not in public and "Pungli" not in public
    client.post(url, {"action": "secret", "secret": sub.secret})
    private = page(client, url)
    assert "Siti Aminah" in private and "Pungli di kantor kecamatan" in private
    assert "Siti Aminah" in page(client, url)  # the message is read: still private
    stored = _cached(sub.report)
    assert stored is not None and "Siti Aminah" not in stored.html and "Pungli" not in stored.html


def test_a_signed_in_reporter_never_touches_the_cache(client):
    user = UserFactory(first_name="Budi")
    report = submit(reporter=user, contact_email="").report
    client.force_login(user)
    html = page(client, f"/lacak/{report.tracking_id}/")
    assert "Budi" in html and "Jalan rusak di depan pasar" in html
    assert _cached(report) is None


def test_a_signed_in_stranger_gets_a_page_of_their_own_and_stores_none(client):
    report = submit().report
    url = f"/lacak/{report.tracking_id}/"
    client.force_login(UserFactory())
    mine = page(client, url)
    assert "Laporan saya" in mine and "Keluar" in mine
    assert _cached(report) is None
    anonymous = page(Client(), url)
    assert "Laporan saya" not in anonymous and "Keluar" not in anonymous


def test_an_address_with_a_query_or_in_another_spelling_is_not_cached(client):
    report = submit().report
    assert page(client, f"/lacak/{report.tracking_id}/?utm=sms").count("?utm=sms") >= 1
    assert page(client, f"/lacak/{report.tracking_id.lower()}/")
    assert _cached(report) is None


def test_an_unknown_id_is_not_found(client):
    assert client.get("/lacak/7KQM3XPA9W2E/").status_code == 404
    assert client.get("/lacak/7KQM3XPA9W2E/", {"x": "1"}).status_code == 404


def test_a_dead_cache_only_costs_a_render(client, monkeypatch):
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    report = submit().report
    disposed = AgencyFactory(name="Dinas Perhubungan")
    services.report_dispose(report=report, to_agency=disposed, actor=national_admin())
    html = page(client, f"/lacak/{report.tracking_id}/")
    assert "Dinas Perhubungan" in html


def test_this_process_keeps_its_recent_pages_bounded_and_for_a_while(monkeypatch):
    recent = track_cache._Recent(2)
    pages = [track_cache.Page(f"p{n}", f"<p>{n}</p>") for n in range(3)]
    for n, item in enumerate(pages):
        recent.put(f"k{n}", item, 60)
    assert recent.get("k0") is None  # the oldest made room
    assert recent.get("k1") is pages[1] and recent.get("k2") is pages[2]
    now = track_cache.time.monotonic()
    monkeypatch.setattr(track_cache.time, "monotonic", lambda: now + 61)
    assert recent.get("k2") is None


@pytest.mark.redis
def test_pages_are_shared_through_redis(client, settings, redis_caches, django_assert_num_queries):
    settings.CACHES = redis_caches
    report = submit().report
    url = f"/lacak/{report.tracking_id}/"
    first = page(client, url)
    assert _cached(report) is not None  # in Redis
    track_cache.recent.clear()  # as if another process answered next
    with django_assert_num_queries(1):
        second = page(Client(), url)
    assert TOKEN.sub("", first) == TOKEN.sub("", second)
    services.report_dispose(
        report=report, to_agency=AgencyFactory(name="Dinas Sosial"), actor=national_admin()
    )
    track_cache.recent.clear()
    assert "Dinas Sosial" in page(client, url)


def test_the_release_digest_reads_every_file_it_names():
    """A renamed template or module would otherwise drop out of the key silently."""
    missing = [n for n in track_cache._SOURCES if not (track_cache._PACKAGE / n).exists()]
    assert missing == []
    assert len(track_cache.release()) == 12


def test_a_phone_checking_again_gets_304_until_the_report_changes():
    report = submit(is_confidential=False, is_anonymous=False).report
    url = f"/lacak/{report.tracking_id}/"
    phone = Client()
    first = phone.get(url)
    assert first.status_code == 200
    tag = first["ETag"]
    assert first["Cache-Control"] == "private, no-cache"
    # When the same phone asks again with its tag (and its CSRF cookie)
    again = phone.get(url, headers={"if-none-match": tag})
    # Then nothing is sent again
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == tag
    # And once an officer answered, the page comes whole, with a new tag
    answered(report, AgencyFactory(name="Dinas Pekerjaan Umum Demak"))
    changed = phone.get(url, headers={"if-none-match": tag})
    assert changed.status_code == 200 and ANSWER in changed.content.decode()
    assert changed["ETag"] != tag
    assert phone.get(url, headers={"if-none-match": changed["ETag"]}).status_code == 304


def test_a_tag_holds_only_with_the_csrf_cookie_its_page_was_made_for():
    report = submit().report
    url = f"/lacak/{report.tracking_id}/"
    phone = Client(enforce_csrf_checks=True)
    tag = phone.get(url)["ETag"]
    # Another visitor (another CSRF cookie, or none) sending the tag gets the whole page
    assert Client().get(url, headers={"if-none-match": tag}).status_code == 200
    stranger = Client()
    stranger.get(url)
    assert stranger.get(url, headers={"if-none-match": tag}).status_code == 200
    # And after its CSRF cookie changed (rotated at sign-in), the phone gets a fresh page whose
    # form tokens match the new cookie
    phone.cookies["csrftoken"] = "a" * 32
    fresh = phone.get(url, headers={"if-none-match": tag})
    assert fresh.status_code == 200 and fresh["ETag"] != tag
    tokens = set(TOKEN.findall(fresh.content.decode()))
    response = phone.post(url, {"action": "secret", "secret": "X" * 10, **_token(tokens)})
    assert response.status_code == 200


def test_each_language_has_its_own_tag(client):
    report = submit().report
    tag = client.get(f"/lacak/{report.tracking_id}/")["ETag"]
    english = client.get(f"/en/lacak/{report.tracking_id}/", headers={"if-none-match": tag})
    assert english.status_code == 200 and "Received" in english.content.decode()


def test_a_reporter_with_the_secret_never_gets_a_tag_or_a_304(client):
    sub = submit(title="Pungli di kantor kecamatan", contact_name="Siti Aminah")
    url = f"/lacak/{sub.report.tracking_id}/"
    tag = client.get(url)["ETag"]
    client.post(url, {"action": "secret", "secret": sub.secret})
    mine = client.get(url, headers={"if-none-match": tag})
    assert mine.status_code == 200 and "Siti Aminah" in mine.content.decode()
    assert not mine.has_header("ETag")
