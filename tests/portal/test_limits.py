"""A refused citizen is told the true wait: in words, in their language, and in Retry-After.

django-ratelimit counts in fixed windows; each address's window ends at a fixed offset of the
period (a jitter from its key), which is what these tests compute independently."""

from __future__ import annotations

import re
import time
import zlib
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import translation

from lapor.portal.limits import give_back, over_limit, wait_message
from tests.factories import UserFactory, submit

pytestmark = pytest.mark.django_db

ADDRESS = "127.0.0.1"  # the test client's REMOTE_ADDR
HOUR = 3600
WAIT = re.compile(r"Coba lagi dalam (\d+) menit, pukul (\d{1,2})\.(\d\d) WIB\.")


def seconds_to_window_end(value: str, period: int) -> int:
    now = int(time.time())
    end = now - now % period + zlib.crc32(value.encode()) % period
    return (end if end >= now else end + period) - now


def _public_report():  # type: ignore[no-untyped-def]
    return submit(is_confidential=False).report


def _over_the_limit(client, settings, kind: str):  # type: ignore[no-untyped-def]
    """The second request of ``kind`` in an hour that allows one."""
    if kind == "track":
        settings.LAPOR_RATE_TRACK = "1/h"
        return [client.get("/lacak/", {"id": "ABCD-EFGH-JKLM"}) for _ in range(2)][-1]
    report = _public_report()
    if kind == "support":
        settings.LAPOR_RATE_SUPPORT = "1/h"
        url = f"/laporan/{report.tracking_id}/"
        return [client.post(url, {"contact_email": "w@contoh.id"}) for _ in range(2)][-1]
    settings.LAPOR_RATE_FOLLOW = "1/h"
    url = f"/lacak/{report.tracking_id}/"
    return [client.post(url, {"action": "reply", "message": "Halo."}) for _ in range(2)][-1]


@pytest.mark.parametrize("kind", ["track", "support", "follow"])
def test_every_429_says_when_to_try_again_and_sends_retry_after(client, settings, kind):
    # Given a citizen who used up this hour's allowance
    before = seconds_to_window_end(ADDRESS, HOUR)
    response = _over_the_limit(client, settings, kind)
    after = seconds_to_window_end(ADDRESS, HOUR)
    # Then the answer is 429 with the seconds left in the window, and the same wait in words
    assert response.status_code == 429
    retry = int(response["Retry-After"])
    expected = min((before, after), key=lambda seconds: abs(retry - seconds))  # window may roll
    assert abs(retry - expected) <= 1
    html = response.content.decode()
    wait = WAIT.search(html)
    assert wait is not None, html
    assert abs(int(wait[1]) - expected / 60) <= 1
    assert "beberapa menit" not in html


def test_the_wait_reads_as_minutes_and_a_clock_time_in_wib():
    # Given 2,500 seconds left at 13.23.10 WIB
    now = datetime(2026, 12, 7, 6, 23, 10, tzinfo=UTC)
    # Then the citizen reads the minutes and the minute it opens again
    assert wait_message(2500, now) == "Coba lagi dalam 42 menit, pukul 14.05 WIB."
    assert wait_message(20, now) == "Coba lagi dalam 1 menit, pukul 13.24 WIB."
    assert wait_message(3 * HOUR, now) == "Coba lagi dalam 3 jam, pukul 16.24 WIB."


def test_the_wait_in_english():
    # Needs the English catalogue (i18n/submit.json, merged by the lead).
    now = datetime(2026, 12, 7, 6, 23, 10, tzinfo=UTC)
    with translation.override("en"):
        assert wait_message(2500, now) == "Try again in 42 minutes, at 2:05 p.m. WIB."


def _request(user=None):  # type: ignore[no-untyped-def]
    request = RequestFactory().post("/lapor/", REMOTE_ADDR="36.80.1.1")
    request.user = user or AnonymousUser()
    return request


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_count_given_back_is_a_place_free_again(settings, signed_in):
    # Given an allowance of one, taken and given back (the service refused that report)
    settings.LAPOR_RATE_SUBMIT = "1/h"
    user = UserFactory() if signed_in else None
    first = _request(user)
    assert not over_limit(first, "submit")
    give_back(first, "submit")
    # Then the next one still fits, and only the one after it is refused
    assert not over_limit(_request(user), "submit")
    assert over_limit(_request(user), "submit")


def test_giving_back_with_the_cache_down_lets_the_citizen_through(settings, caplog):
    from tests.portal.test_cache_down import DOWN

    settings.CACHES = DOWN
    request = _request()
    assert not over_limit(request, "submit")
    give_back(request, "submit")
    assert "rate limit submit not counted" in caplog.text
