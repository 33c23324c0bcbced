from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.db import connection

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def in_ci() -> bool:
    return os.environ.get("CI", "") in {"true", "1"}


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``@pytest.mark.postgres`` tests run only against PostgreSQL. ``@pytest.mark.redis`` tests
    use the Redis at TEST_REDIS_URL: skipped, with the reason, when none answers outside CI;
    inside CI they run and fail (.ci/run makes sure one answers)."""
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql"))
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (make test does)")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip)
    wants_redis = [item for item in items if item.get_closest_marker("redis")]
    if wants_redis and not in_ci() and not redis_answers(REDIS_URL):
        skip_redis = pytest.mark.skip(
            reason=f"needs Redis: none answers at TEST_REDIS_URL={REDIS_URL} (CI requires it)"
        )
        for item in wants_redis:
            item.add_marker(skip_redis)


@pytest.fixture
def redis_caches() -> Iterator[dict[str, dict[str, object]]]:
    """Django's CACHES as production builds them from CACHE_URL, on the Redis at TEST_REDIS_URL,
    under a key prefix of this test's own (never meeting other runs' keys), removed afterwards."""
    import uuid

    import redis

    from lapor.config import caches, read

    if not redis_answers(REDIS_URL):
        pytest.fail(f"no Redis answers at TEST_REDIS_URL={REDIS_URL}; CI needs one (.ci/run)")
    config = caches(read({"CACHE_URL": REDIS_URL}))
    prefix = f"test-{uuid.uuid4().hex}"
    config["default"]["KEY_PREFIX"] = prefix
    yield config
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Each test starts with an empty cache (rate-limit counters, rendered pages). Only a
    process-local cache is cleared: a Redis named by CACHE_URL is never flushed by tests."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    from lapor.api import caching
    from lapor.portal import selectors, track_cache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()
    track_cache.recent.clear()
    selectors.kept.clear()
    caching.recent.clear()
    yield


@pytest.fixture(autouse=True)
def _indonesian_first() -> Iterator[None]:
    """Each test starts in the default language: a request to an ``/en/`` page leaves English
    active in the test's thread, which would otherwise carry over into the next test."""
    from django.utils import translation

    translation.activate("id")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: pytest.FixtureRequest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    settings.EMAIL_FILE_PATH = tmp_path / "outbox" / "email"  # type: ignore[attr-defined]
    settings.LAPOR_SMS_FILE_PATH = tmp_path / "outbox" / "sms"  # type: ignore[attr-defined]
    settings.LAPOR_QUEUE_COUNT_SECONDS = 0  # type: ignore[attr-defined]  # counts always fresh
    # Tests make many accounts: a fast hasher (production keeps Django's default PBKDF2).
    settings.PASSWORD_HASHERS = [  # type: ignore[attr-defined]
        "django.contrib.auth.hashers.MD5PasswordHasher"
    ]


@pytest.fixture
def vendor() -> str:
    return connection.vendor
