"""Officers enter with password plus TOTP; failures lock; idle sessions end."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client

from lapor.backoffice.access import SEEN_KEY, enrol_totp
from lapor.backoffice.models import LoginLock
from tests.backoffice.conftest import PASSWORD, current_code, sign_in
from tests.factories import AgencyFactory, UserFactory, national_admin, officer

pytestmark = pytest.mark.django_db


def _post_login(client: Client, username: str, password: str, token: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/kantor/masuk/", {"username": username, "password": password, "token": token}
    )


def test_officer_with_password_and_code_enters_the_back_office(client):
    # given an agency admin with an enrolled authenticator
    user = officer(AgencyFactory(name="Pemerintah Kabupaten Demak"))
    device = enrol_totp(user)
    # when they sign in with password and the current code
    response = _post_login(client, user.username, PASSWORD, current_code(device))
    # then they land in the back office and see their agency
    assert response.status_code == 302
    page = client.get("/kantor/antrean/masuk/", follow=True)
    assert "Pemerintah Kabupaten Demak" in page.content.decode()


def test_password_without_a_valid_code_is_refused(client):
    user = officer(AgencyFactory())
    enrol_totp(user)
    response = _post_login(client, user.username, PASSWORD, "000000")
    assert "kode autentikator salah" in response.content.decode()
    assert client.get("/kantor/antrean/masuk/").status_code == 302  # still outside


def test_portal_login_alone_does_not_open_the_back_office(client):
    # given an officer signed in on the citizen portal with only a password
    user = officer(AgencyFactory())
    client.force_login(user)
    # when they open the back office, they are asked for the second factor
    response = client.get("/kantor/")
    assert response.status_code == 302 and response["Location"].startswith("/kantor/masuk/")


def test_citizen_with_a_device_cannot_enter(client):
    citizen = UserFactory()
    device = enrol_totp(citizen)
    response = _post_login(client, citizen.username, PASSWORD, current_code(device))
    assert "kode autentikator salah" in response.content.decode()
    assert client.get("/kantor/antrean/masuk/").status_code == 302


def test_five_failures_lock_the_account_even_for_the_right_password(client):
    user = officer(AgencyFactory())
    device = enrol_totp(user)
    for _ in range(5):
        _post_login(client, user.username, "salah-salah", "123456")
    response = _post_login(client, user.username, PASSWORD, current_code(device))
    # the answer says how long to wait, as a 429 with Retry-After
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    assert "Tunggu 15 menit" in response.content.decode()
    assert client.get("/kantor/antrean/masuk/").status_code == 302
    assert LoginLock.objects.get(username=user.username).locked_until is not None


def test_failures_from_elsewhere_do_not_lock_the_officer_out(client):
    # given an outsider who tried an officer's predictable user name five times
    user = officer(AgencyFactory())
    device = enrol_totp(user)
    outsider = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        _post_login(outsider, user.username, "tebakan", "123456")
    assert _post_login(outsider, user.username, PASSWORD, current_code(device)).status_code == 429
    # when the officer signs in from their own office's address
    response = _post_login(client, user.username, PASSWORD, current_code(device))
    # then they enter
    assert response.status_code == 302


def test_made_up_user_names_write_no_lock_rows(client):
    for i in range(20):
        _post_login(client, f"nama.karangan.{i}", "tebakan", "123456")
    assert LoginLock.objects.count() == 0


def test_old_lock_rows_are_pruned(client):
    from datetime import timedelta

    from django.utils import timezone

    user = officer(AgencyFactory())
    long_ago = timezone.now() - timedelta(days=2)
    LoginLock.objects.create(
        username="lama", source="198.51.100.1", failures=3, last_failure_at=long_ago
    )
    LoginLock.objects.create(
        username="lama", source="198.51.100.2", failures=0, last_failure_at=long_ago,
        locked_until=long_ago + timedelta(minutes=15),
    )  # fmt: skip
    _post_login(client, user.username, "salah-salah", "123456")
    assert list(LoginLock.objects.values_list("username", flat=True)) == [user.username]


def test_one_address_is_limited_across_user_names(client, settings):
    # given an address that keeps guessing, a different name each time
    settings.LAPOR_THROTTLE_IP = (4, 900)
    for i in range(4):
        assert _post_login(client, f"petugas.{i}", "tebakan", "123456").status_code == 200
    # then the next attempt is refused unchecked, saying how long to wait
    response = _post_login(client, "petugas.9", "tebakan", "123456")
    assert response.status_code == 429 and "Retry-After" in response
    assert "Terlalu banyak percobaan" in response.content.decode()


def test_unknown_name_wrong_password_and_wrong_code_get_the_same_answer(client):
    user = officer(AgencyFactory())
    enrol_totp(user)
    answers = [
        _post_login(Client(REMOTE_ADDR=f"192.0.2.{i}"), name, password, "123456")
        for i, (name, password) in enumerate(
            [("tidak.ada", PASSWORD), (user.username, "salah-salah"), (user.username, PASSWORD)]
        )
    ]
    errors = {re.findall(r'id="login-error">([^<]*)<', a.content.decode())[0] for a in answers}
    assert {a.status_code for a in answers} == {200} and len(errors) == 1
    assert "kode autentikator salah" in errors.pop()


def test_idle_session_ends(client, settings):
    settings.LAPOR_BACKOFFICE_IDLE_SECONDS = 60
    user = officer(AgencyFactory())
    sign_in(client, user)
    assert client.get("/kantor/antrean/masuk/").status_code == 200
    # when the officer has been idle longer than the limit
    session = client.session
    session[SEEN_KEY] = time.time() - 120
    session.save()
    response = client.get("/kantor/antrean/masuk/", follow=True)
    # then they must sign in again, and are told why
    assert "tidak aktif" in response.content.decode()
    assert client.get("/kantor/antrean/masuk/").status_code == 302


def test_national_admin_enrols_an_officer_and_sees_the_secret_once(client):
    admin = national_admin()
    target = officer(AgencyFactory())
    sign_in(client, admin)
    staff = client.get("/kantor/petugas/")
    assert target.username in staff.content.decode()
    response = client.post(f"/kantor/petugas/{target.pk}/autentikator/")
    html = response.content.decode()
    assert "<svg" in html and 'id="totp-secret"' in html
    # the new code works for the officer's sign-in
    device = target.totpdevice_set.get()
    other = Client()
    assert _post_login(other, target.username, PASSWORD, current_code(device)).status_code == 302


def test_agency_admin_cannot_open_staff_enrolment(client):
    user = officer(AgencyFactory())
    sign_in(client, user)
    assert client.get("/kantor/petugas/").status_code == 404
    target = officer(AgencyFactory())
    assert client.post(f"/kantor/petugas/{target.pk}/autentikator/").status_code == 404


def test_enrol_command_gives_the_first_national_admin_a_working_secret(client, capsys):
    from django.core.management import call_command

    admin = national_admin()
    call_command("backoffice_enrol", admin.username)
    out = capsys.readouterr().out
    assert "Kode rahasia:" in out and "otpauth://totp/" in out
    device = admin.totpdevice_set.get()
    assert _post_login(client, admin.username, PASSWORD, current_code(device)).status_code == 302
