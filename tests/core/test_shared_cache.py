"""With CACHE_URL every app process counts in one Redis: attempts made in one process count
against the limit in another, as with two gunicorn workers."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import redis.connection
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches as django_caches
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory, override_settings

from lapor.config import BASE_DIR
from lapor.portal.limits import over_limit
from tests.conftest import REDIS_URL

pytestmark = pytest.mark.redis

OTHER_PROCESS = """
import sys
import django
from django.conf import settings

django.setup()
settings.CACHES["default"]["KEY_PREFIX"] = sys.argv[1]
settings.LAPOR_RATE_TRACK = "2/d"
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.test import RequestFactory

from lapor.portal.limits import over_limit

print(type(caches["default"]).__name__, caches["default"].get("greeting"))
request = RequestFactory().get("/lacak/", REMOTE_ADDR="10.9.8.7")
request.user = AnonymousUser()
print([over_limit(request, "track") for _ in range(2)])
"""


def test_attempts_in_another_process_count_here(redis_caches, settings):
    prefix = str(redis_caches["default"]["KEY_PREFIX"])
    settings.LAPOR_RATE_TRACK = "2/d"
    request = RequestFactory().get("/lacak/", REMOTE_ADDR="10.9.8.7")
    request.user = AnonymousUser()
    with override_settings(CACHES=redis_caches):
        cache = django_caches["default"]
        assert isinstance(cache, RedisCache)  # Django's, through lapor.core.cache
        cache.set("greeting", "halo", 60)
        env = {
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "CACHE_URL": REDIS_URL,
            "DJANGO_SETTINGS_MODULE": "lapor.settings",
        }
        done = subprocess.run(
            [sys.executable, "-c", OTHER_PROCESS, prefix],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        # The other process read this one's value and made two attempts within the limit...
        assert done.stdout.split("\n")[:2] == ["RedisCache halo", "[False, False]"], done.stderr
        # ...so the third attempt, here, is over it.
        assert over_limit(request, "track")


def test_one_redis_client_serves_every_call(redis_caches):
    with override_settings(CACHES=redis_caches):
        cache = django_caches["default"]
        cache.set("a", 1, 60)
        cache.incr("a")
        assert cache.get("a") == 2
        client = cache._cache.get_client()  # type: ignore[attr-defined]
        assert client is cache._cache.get_client(write=True)  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_api_rate_limit_counts_in_redis_across_windows(redis_caches, monkeypatch):
    from django.test import Client

    from lapor.api import throttling

    # given the API on the shared Redis, allowing an address two requests a minute
    monkeypatch.setattr(throttling.IpRateThrottle, "THROTTLE_RATES", {"ip": "2/min"})
    with override_settings(CACHES=redis_caches):
        django_caches["default"].clear()
        client = Client(HTTP_ACCEPT="application/json")
        window = int(time.time() // 60)
        # when the address asks three times: the third is refused, with the window's wait
        codes = [client.get("/api/v1/categories/").status_code for _ in range(3)]
        if int(time.time() // 60) != window:
            pytest.skip("the minute turned during the test; its counts split over two windows")
        assert codes == [200, 200, 429]
        # and the count lives in Redis, one key per window (what every app server reads)
        assert isinstance(django_caches["default"], RedisCache)
        assert django_caches["default"].get(f"api:throttle:ip:127.0.0.1:{window}") == 3


def test_a_counter_counts_in_one_round_trip_and_expires(redis_caches):
    from lapor.core.cache import counter_incr

    with override_settings(CACHES=redis_caches):
        cache = django_caches["default"]
        client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
        cache.set("warm", 1, 30)  # the connection is made (its handshake is not counted)
        sent: list[object] = []
        real = redis.connection.AbstractConnection.send_packed_command

        def counting(self, command, check_health=True):  # type: ignore[no-untyped-def]
            sent.append(command)
            return real(self, command, check_health)

        redis.connection.AbstractConnection.send_packed_command = counting  # type: ignore[method-assign]
        try:
            assert [counter_incr("hits", 30) for _ in range(3)] == [1, 2, 3]
        finally:
            redis.connection.AbstractConnection.send_packed_command = real  # type: ignore[method-assign]
        assert len(sent) == 3  # one write to Redis, one round trip, per count
        assert cache.get("hits") == 3  # the same key Django's own calls use
        full = cache.make_and_validate_key("hits")
        assert 0 < client.ttl(full) <= 30


def test_a_counter_on_the_local_cache(settings):
    from lapor.core.cache import counter_incr

    assert [counter_incr("local-hits", 30) for _ in range(3)] == [1, 2, 3]


def test_recent_keeps_the_newest_and_forgets_after_its_time():
    from lapor.core.cache import Recent

    recent = Recent(size=2, seconds=60)
    recent.put("a", b"1")
    recent.put("b", b"2")
    assert recent.get("a") == b"1"  # a is now the most recent
    recent.put("c", b"3")  # b, the least recent, goes
    assert (recent.get("a"), recent.get("b"), recent.get("c")) == (b"1", None, b"3")
    gone = Recent(size=2, seconds=0)
    gone.put("a", b"1")
    time.sleep(0.01)
    assert gone.get("a") is None
