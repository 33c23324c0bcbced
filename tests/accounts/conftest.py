"""A password hasher that counts its calls, to see that every path runs it."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher


class CountingHasher(MD5PasswordHasher):
    """Counts each hash computed: setting a password, and checking one (``verify`` hashes)."""

    calls: ClassVar[list[str]] = []

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.calls.append("encode")
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings: Any) -> type[CountingHasher]:
    settings.PASSWORD_HASHERS = ["tests.accounts.conftest.CountingHasher"]
    CountingHasher.calls.clear()
    return CountingHasher
