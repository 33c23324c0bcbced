"""Registering proves the address (a link is sent to it) and never tells whether the address
already has an account: the page, the redirect and the work done are the same either way."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from lapor.accounts.models import User
from lapor.notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "pelapor-kuat-2026"


def _register(client: Client, identifier: str, name: str = "Siti Aminah", password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(
        "/akun/daftar/",
        {"name": name, "identifier": identifier, "password1": password, "password2": password},
    )


def _link(recipient: str) -> str:
    """The path of the link in the last message sent to ``recipient``."""
    body = Notification.objects.filter(recipient=recipient).latest("pk").body
    return re.findall(r"https?://[^/\s]+(/\S+)", body)[0]


def test_register_with_phone_activate_then_log_in_with_the_other_spelling(client):
    # when a citizen registers with a phone number written the international way
    response = _register(client, "+62 812-3456-7890")
    # then they are asked to open the message sent to that number, and are not signed in yet
    assert response.status_code == 302 and response["Location"] == "/akun/daftar/terkirim/"
    assert "Periksa pesan Anda" in client.get(response["Location"]).text
    assert client.get("/akun/laporan-saya/").status_code == 302
    sms = Notification.objects.get(recipient="081234567890")
    assert sms.channel == "sms" and sms.kind == "account_confirm"
    # when they open the link, a button is shown; pressing it activates and signs them in
    link = _link("081234567890")
    assert "Aktifkan" in client.get(link).text
    assert not User.objects.get(phone="081234567890").is_active
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == "/akun/laporan-saya/"
    assert client.get("/akun/laporan-saya/").status_code == 200
    user = User.objects.get()
    assert user.is_active and user.first_name == "Siti"
    # and later they sign in with the number written the local way
    client.post("/akun/keluar/")
    response = client.post("/akun/masuk/", {"identifier": "0812 3456 7890", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/akun/laporan-saya/"


def test_register_with_email_activate_and_log_in(client):
    _register(client, "Budi@Contoh.ID", name="Budi")
    mail = Notification.objects.get(recipient="budi@contoh.id")
    assert mail.channel == "email" and "Aktifkan" in mail.body
    client.post(_link("budi@contoh.id"))
    client.post("/akun/keluar/")
    response = client.post("/akun/masuk/", {"identifier": "budi@contoh.id", "password": PASSWORD})
    assert response.status_code == 302


def test_an_account_is_not_usable_before_activation(client):
    _register(client, "budi@contoh.id")
    response = client.post("/akun/masuk/", {"identifier": "budi@contoh.id", "password": PASSWORD})
    assert response.status_code == 200 and "kata sandi salah" in response.text


def test_a_taken_address_gets_the_same_answer_as_a_free_one(client):
    # given an address that has an account, and one that has none
    owner = UserFactory(username="budi@contoh.id", email="budi@contoh.id")
    # when both are registered
    taken, free = _register(Client(), "budi@contoh.id"), _register(Client(), "ani@contoh.id")
    # then the answers are the same: same status, same next page
    assert (taken.status_code, taken["Location"]) == (free.status_code, free["Location"])
    # and each address gets one message: the taken one says it has an account, how to sign in
    told = Notification.objects.get(recipient="budi@contoh.id")
    assert told.kind == "account_exists" and "/akun/masuk/" in told.body
    assert "/akun/aktifkan/" not in told.body
    assert Notification.objects.get(recipient="ani@contoh.id").kind == "account_confirm"
    # and the existing account is unchanged
    owner.refresh_from_db()
    assert owner.check_password("rahasia-uji-123") and owner.is_active
    assert User.objects.filter(email="budi@contoh.id").count() == 1


def test_registering_a_taken_address_runs_the_password_hasher_as_a_free_one_does(
    client, counting_hasher
):
    UserFactory(username="budi@contoh.id", email="budi@contoh.id")
    counting_hasher.calls.clear()
    _register(client, "budi@contoh.id")
    taken = list(counting_hasher.calls)
    counting_hasher.calls.clear()
    _register(client, "ani@contoh.id")
    assert taken == counting_hasher.calls == ["encode"]


def test_a_weak_password_is_refused_next_to_its_field(client):
    html = _register(client, "budi@contoh.id", password="123").content.decode()
    assert 'id="id_password1_error"' in html
    assert not Notification.objects.exists()


def test_someone_else_registering_my_address_first_does_not_keep_it(client):
    # given an outsider who registered my address (and never got the link)
    _register(Client(), "siti@contoh.id", name="Orang Lain", password="sandi-orang-lain-9")
    outsiders_link = _link("siti@contoh.id")
    # when I register it myself, then I get a fresh link, and the earlier one is dead
    _register(client, "siti@contoh.id", name="Siti Aminah")
    mine = _link("siti@contoh.id")
    assert mine != outsiders_link
    assert "tidak berlaku" in client.post(outsiders_link).text
    client.post(mine)
    user = User.objects.get(email="siti@contoh.id")
    assert user.is_active and user.first_name == "Siti" and user.check_password(PASSWORD)


def test_an_activation_link_works_once(client):
    _register(client, "siti@contoh.id")
    link = _link("siti@contoh.id")
    assert client.post(link).status_code == 302
    again = Client().post(link)
    assert again.status_code == 200 and "tidak berlaku" in again.text


def test_a_switched_off_account_stays_taken(client):
    # given an account that was used, then switched off by an administrator
    from django.utils import timezone

    UserFactory(
        username="budi@contoh.id", email="budi@contoh.id", is_active=False,
        last_login=timezone.now(),
    )  # fmt: skip
    _register(client, "budi@contoh.id")
    assert Notification.objects.get(recipient="budi@contoh.id").kind == "account_exists"
    assert not User.objects.get(email="budi@contoh.id").is_active
