"""The receipt sent to the reporter's own address, from the confirmation page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from lapor.notifications.models import Notification
from tests.portal.test_submit import _form

pytestmark = pytest.mark.django_db


def test_the_guest_sends_the_receipt_to_their_own_address(client, regency):
    done = client.post("/lapor/", _form(client, regency))
    confirmation = client.get(done["Location"]).content.decode()
    secret = re.search(r'id="guest-secret">([0-9A-Z]+)<', confirmation).group(1)
    assert "Kirim nomor dan kode rahasia ke s***@contoh.id" in confirmation
    sent = client.post(done["Location"]).content.decode()
    assert 'id="receipt-sent"' in sent and "s***@contoh.id" in sent
    note = Notification.objects.get(kind="receipt")
    assert note.recipient == "siti@contoh.id" and secret in note.body
    assert "/lacak/" in note.body
    assert secret not in sent  # the page itself still shows the secret only once


def test_another_browser_cannot_send_the_receipt(client, regency):
    done = client.post("/lapor/", _form(client, regency))
    client.get(done["Location"])
    stranger = Client()
    response = stranger.post(done["Location"])
    assert response.status_code == 404
    assert not Notification.objects.filter(kind="receipt").exists()
