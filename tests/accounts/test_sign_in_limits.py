"""The citizen login and the password change: an unknown address and a wrong password take the
same path and get the same answer; wrong guesses are limited per address and per account, and
the answer says how long to wait."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "rahasia-uji-123"  # tests.factories.UserFactory's
DOWN = {
    "default": {
        "BACKEND": "lapor.core.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def _login(client: Client, identifier: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/akun/masuk/", {"identifier": identifier, "password": password})


def test_an_unknown_address_runs_the_password_hasher_like_a_known_one(client, counting_hasher):
    # given an account, and an address that has none
    UserFactory(username="budi@contoh.id", email="budi@contoh.id")
    counting_hasher.calls.clear()
    # when each is tried with a wrong password
    known = _login(client, "budi@contoh.id", "salah-salah")
    known_calls = len(counting_hasher.calls)
    counting_hasher.calls.clear()
    unknown = _login(client, "tidak.ada@contoh.id", "salah-salah")
    # then the hasher ran once for each (the time of the answer does not tell them apart)
    assert known_calls == len(counting_hasher.calls) == 1
    # and the answers say the same thing
    assert known.status_code == unknown.status_code == 200
    message = "Surel/nomor telepon atau kata sandi salah"
    assert message in known.text and message in unknown.text


def test_five_wrong_passwords_stop_that_address_not_the_owner(client):
    # given an outsider guessing a citizen's password from one address
    UserFactory(username="budi@contoh.id", email="budi@contoh.id")
    outsider = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        _login(outsider, "budi@contoh.id", "tebakan")
    # then the sixth try from there is refused unchecked, even with the right password
    refused = _login(outsider, "budi@contoh.id", PASSWORD)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 15 * 60
    assert "Terlalu banyak percobaan yang gagal. Tunggu" in refused.text
    assert "menit" in refused.text
    # while the owner, from their own address, signs in
    assert _login(client, "budi@contoh.id", PASSWORD).status_code == 302


def test_one_address_guessing_many_accounts_is_stopped(client, settings):
    settings.LAPOR_THROTTLE_IP = (3, 900)
    for i in range(3):
        assert _login(client, f"warga{i}@contoh.id", "tebakan").status_code == 200
    assert _login(client, "warga9@contoh.id", "tebakan").status_code == 429


def test_one_account_guessed_from_many_addresses_is_stopped(client, settings):
    settings.LAPOR_THROTTLE_ACCOUNT = (4, 3600)
    UserFactory(username="budi@contoh.id", email="budi@contoh.id")
    for i in range(4):
        _login(Client(REMOTE_ADDR=f"198.51.100.{i}"), "budi@contoh.id", "tebakan")
    refused = _login(Client(REMOTE_ADDR="198.51.100.99"), "budi@contoh.id", PASSWORD)
    assert refused.status_code == 429


def test_a_success_forgives_earlier_failures_from_that_address(client):
    UserFactory(username="budi@contoh.id", email="budi@contoh.id")
    for _ in range(4):
        _login(client, "budi@contoh.id", "tebakan")
    assert _login(client, "budi@contoh.id", PASSWORD).status_code == 302
    client.post("/akun/keluar/")
    for _ in range(4):
        _login(client, "budi@contoh.id", "tebakan")
    assert _login(client, "budi@contoh.id", PASSWORD).status_code == 302


def test_wrong_old_passwords_are_limited_on_the_password_change(client):
    # given a signed-in citizen (or someone at their unlocked phone) guessing the old password
    user = UserFactory()
    client.force_login(user)
    new = {"new_password1": "kata-sandi-baru-2026", "new_password2": "kata-sandi-baru-2026"}
    for _ in range(5):
        response = client.post("/akun/kata-sandi/", {"old_password": "tebakan", **new})
        assert response.status_code == 200
    # then the next try is refused unchecked, saying how long to wait
    refused = client.post("/akun/kata-sandi/", {"old_password": PASSWORD, **new})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Terlalu banyak percobaan yang gagal" in refused.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_sign_in_works_while_the_cache_is_down(client, settings, caplog):
    settings.CACHES = DOWN
    settings.LAPOR_RATE_ACCOUNT = "1000/h"
    UserFactory(username="budi@contoh.id", email="budi@contoh.id")
    assert _login(client, "budi@contoh.id", PASSWORD).status_code == 302
    assert "sign-in throttle login not read" in caplog.text
