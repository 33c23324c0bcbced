"""Forgot the password: a link to the account's own address, the same answer for an unknown
address, a link that works once."""

from __future__ import annotations

import re

import pytest

from lapor.notifications.models import Notification
from tests.factories import UserFactory
from tests.portal.conftest import page

pytestmark = pytest.mark.django_db
NEW = "kata-sandi-baru-yang-panjang-2026"


def _link(note: Notification) -> str:
    found = re.search(r"http://testserver(/akun/kata-sandi-baru/\S+/\S+/)", note.body)
    assert found, note.body
    return found.group(1)


def test_a_reset_link_sets_a_new_password_once(client):
    user = UserFactory(username="budi@contoh.id", email="budi@contoh.id")
    assert 'id="forgot"' in page(client, "/akun/masuk/")
    response = client.post("/akun/lupa-kata-sandi/", {"identifier": "Budi@Contoh.ID"})
    assert 'id="reset-sent"' in response.content.decode()
    [note] = Notification.objects.filter(kind="password_reset")
    assert note.recipient == "budi@contoh.id" and note.channel == "email"
    link = _link(note)
    # opening the link changes nothing (a mail scanner may follow it)
    assert "new_password1" in page(client, link)
    user.refresh_from_db()
    assert user.check_password("rahasia-uji-123")
    # the form sets the new password and sends the person to sign in
    done = client.post(link, {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == "/akun/masuk/"
    user.refresh_from_db()
    assert user.check_password(NEW)
    # and the link does not work a second time
    again = page(client, link)
    assert 'id="reset-error"' in again and "tidak berlaku" in again


def test_an_unknown_address_gets_the_same_answer_and_no_message(client):
    response = client.post("/akun/lupa-kata-sandi/", {"identifier": "tidak.ada@contoh.id"})
    assert 'id="reset-sent"' in response.content.decode()
    assert not Notification.objects.filter(kind="password_reset").exists()


def test_a_weak_password_is_refused_with_the_reason(client):
    UserFactory(username="siti@contoh.id", email="siti@contoh.id")
    client.post("/akun/lupa-kata-sandi/", {"identifier": "siti@contoh.id"})
    link = _link(Notification.objects.get(kind="password_reset"))
    html = client.post(link, {"new_password1": "123", "new_password2": "123"}).content.decode()
    assert 'class="error"' in html


def test_a_forged_link_is_refused_in_english(client):
    html = page(client, "/akun/kata-sandi-baru/MQ/abc-def/", "en")
    assert 'id="reset-error"' in html
