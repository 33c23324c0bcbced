from __future__ import annotations

import os

import pytest
from django.db import connection


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``@pytest.mark.postgres`` tests run only against PostgreSQL."""
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql"))
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (make test does)")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip)


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
