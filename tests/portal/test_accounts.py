from __future__ import annotations

import pytest

from tests.factories import UserFactory, submit
from tests.portal.conftest import page

pytestmark = pytest.mark.django_db
PASSWORD = "pelapor-kuat-2026"


# Registering (and its activation link) is tested in tests/accounts/test_register.py.


def test_wrong_password_says_what_to_do(client):
    UserFactory(username="budi@contoh.id", email="budi@contoh.id")
    html = client.post("/akun/masuk/", {"identifier": "budi@contoh.id", "password": "salah"})
    assert "kata sandi salah" in html.content.decode()


def test_my_reports_lists_own_reports_including_rahasia(client):
    user = UserFactory()
    submit(reporter=user, title="Laporan rahasia saya", contact_email="")
    submit(title="Laporan orang lain")
    client.force_login(user)
    html = page(client, "/akun/laporan-saya/")
    assert "Laporan rahasia saya" in html and "Laporan orang lain" not in html


def test_my_reports_needs_login(client):
    response = client.get("/akun/laporan-saya/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_change_password(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/akun/kata-sandi/",
        {"old_password": "rahasia-uji-123", "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_logout_is_post_only(client):
    client.force_login(UserFactory())
    assert client.get("/akun/keluar/").status_code == 405
    client.post("/akun/keluar/")
    assert client.get("/akun/laporan-saya/").status_code == 302


def test_login_rate_limit(client, settings):
    settings.LAPOR_RATE_ACCOUNT = "3/h"
    for _ in range(3):
        client.post("/akun/masuk/", {"identifier": "x@contoh.id", "password": "salah"})
    response = client.post("/akun/masuk/", {"identifier": "x@contoh.id", "password": "salah"})
    assert response.status_code == 429


@pytest.mark.parametrize("url", ["/akun/masuk/", "/akun/daftar/"])
def test_account_pages_in_english(client, url):
    html = page(client, url, "en")
    assert "Password" in html and "E-mail or phone number" in html


def test_account_pages_for_a_logged_in_user_in_both_languages(client):
    client.force_login(UserFactory())
    for lang in ("id", "en"):
        assert "Log out" in page(client, "/akun/laporan-saya/", lang) or lang == "id"
        page(client, "/akun/kata-sandi/", lang)
