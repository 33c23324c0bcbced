"""The Django admin asks for the same two factors as the back office, with the same limits:
a password alone, from the citizen login or the admin's own form, opens nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from lapor.backoffice.access import enrol_totp
from lapor.backoffice.models import LoginLock
from tests.backoffice.conftest import PASSWORD, current_code
from tests.factories import UserFactory, national_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():  # type: ignore[no-untyped-def]
    """The national admin, staff, with an e-mail address and an authenticator."""
    user = national_admin()
    user.is_staff, user.email = True, "admin.nasional@contoh.id"
    user.save()
    return user


def _admin_login(client: Client, username: str, password: str, token: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "otp_token": token, "next": "/admin/"},
    )


def test_a_password_alone_from_the_citizen_login_does_not_open_the_admin(client, admin_user):
    # given the national admin's password typed on the citizen login
    signed_in = client.post(
        "/akun/masuk/", {"identifier": "admin.nasional@contoh.id", "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    # when the admin is opened, then it asks to sign in with the second factor
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert client.get("/admin/reports/report/").status_code == 302


def test_password_and_code_open_the_admin(client, admin_user):
    device = enrol_totp(admin_user)
    response = _admin_login(client, admin_user.username, PASSWORD, current_code(device))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("token", ["", "000000", "abc"])
def test_the_right_password_without_the_right_code_is_refused(client, admin_user, token):
    enrol_totp(admin_user)
    response = _admin_login(client, admin_user.username, PASSWORD, token)
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_a_staff_account_without_an_authenticator_cannot_enter(client):
    user = UserFactory(username="staf.lama", is_staff=True, is_superuser=True)
    response = _admin_login(client, user.username, PASSWORD, "123456")
    assert response.status_code == 200 and "kode autentikator salah" in response.text
    assert client.get("/admin/").status_code == 302


def test_five_failures_lock_the_admin_login_even_for_the_right_code(client, admin_user):
    device = enrol_totp(admin_user)
    for _ in range(5):
        _admin_login(client, admin_user.username, f"tebakan-{_}", "123456")
    response = _admin_login(client, admin_user.username, PASSWORD, current_code(device))
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Terlalu banyak percobaan yang gagal. Tunggu" in response.text
    assert client.get("/admin/").status_code == 302
    assert LoginLock.objects.filter(username=admin_user.username).exists()


def test_a_lock_from_the_back_office_holds_on_the_admin_login_too(client, admin_user):
    # given five failed back-office sign-ins of the admin from this address
    device = enrol_totp(admin_user)
    for _ in range(5):
        client.post(
            "/kantor/masuk/",
            {"username": admin_user.username, "password": "tebakan", "token": "123456"},
        )
    # then the admin login refuses them from here too, but not from elsewhere
    locked = _admin_login(client, admin_user.username, PASSWORD, current_code(device))
    assert locked.status_code == 429
    elsewhere = Client(REMOTE_ADDR="198.51.100.20")
    entered = _admin_login(elsewhere, admin_user.username, PASSWORD, current_code(device))
    assert entered.status_code == 302


def test_unknown_name_wrong_password_and_wrong_code_run_the_same_checks(
    admin_user, counting_hasher
):
    enrol_totp(admin_user)
    runs = []
    for i, (name, password) in enumerate(
        [("tidak.ada", PASSWORD), (admin_user.username, "tebakan"), (admin_user.username, PASSWORD)]
    ):
        counting_hasher.calls.clear()
        response = _admin_login(Client(REMOTE_ADDR=f"192.0.2.{i}"), name, password, "000000")
        assert response.status_code == 200
        runs.append(len(counting_hasher.calls))
    assert runs == [1, 1, 1]
    for path in ("/kantor/masuk/",):
        calls = []
        for i, (name, password) in enumerate(
            [("tidak.ada", PASSWORD), (admin_user.username, "x"), (admin_user.username, PASSWORD)]
        ):
            counting_hasher.calls.clear()
            Client(REMOTE_ADDR=f"192.0.2.{10 + i}").post(
                path, {"username": name, "password": password, "token": "000000"}
            )
            calls.append(len(counting_hasher.calls))
        assert calls == [1, 1, 1]


def test_the_admin_login_page_asks_for_the_code_and_says_what_was_wrong(client, admin_user):
    page = client.get("/admin/login/?next=/admin/")
    assert page.status_code == 200
    assert 'id="id_otp_token"' in page.text and "Kode autentikator (6 angka)" in page.text
    enrol_totp(admin_user)
    wrong = _admin_login(client, admin_user.username, PASSWORD, "000000")
    assert 'id="login-error"' in wrong.text and "kode autentikator salah" in wrong.text


def test_a_superuser_enrolled_from_the_shell_enters_the_admin(client, capsys):
    # given a superuser with no role in any agency (as `lapor createsuperuser` makes)
    from django.core.management import call_command

    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    # when they are given an authenticator from the shell
    call_command("backoffice_enrol", root.username)
    assert "otpauth://totp/" in capsys.readouterr().out
    # then password plus code open the admin
    device = root.totpdevice_set.get()
    assert _admin_login(client, "root", PASSWORD, current_code(device)).status_code == 302
    assert client.get("/admin/").status_code == 200
