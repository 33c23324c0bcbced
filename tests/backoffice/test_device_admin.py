"""The Django admin never shows an officer's TOTP secret: no key, no otpauth URL, no QR code,
and no device created with a key someone chose."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from lapor.backoffice.access import enrol_totp, totp_secret
from tests.accounts.signed_in import admin_session
from tests.factories import AgencyFactory, UserFactory, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def device_and_admin(client: Client):  # type: ignore[no-untyped-def]
    device = enrol_totp(officer(AgencyFactory(name="Pemerintah Kabupaten Demak")))
    admin_session(client, UserFactory(username="root", is_staff=True, is_superuser=True))
    return device, client


def _secrets(device) -> list[str]:  # type: ignore[no-untyped-def]
    return [device.key, device.key.upper(), totp_secret(device), device.config_url]


def test_the_device_page_shows_whose_it_is_but_not_its_key(device_and_admin):
    device, client = device_and_admin
    response = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert device.user.username in html and "LAPOR! kantor" in html
    for secret in _secrets(device):
        assert secret not in html
    assert 'name="key"' not in html and "qrcode" not in html.lower()


def test_the_device_list_shows_no_key_or_qr_link(device_and_admin):
    device, client = device_and_admin
    html = client.get(reverse("admin:otp_totp_totpdevice_changelist")).content.decode()
    assert device.user.username in html
    for secret in _secrets(device):
        assert secret not in html
    assert "qrcode" not in html.lower()


def test_no_config_or_qr_code_view_and_no_device_made_in_the_admin(device_and_admin):
    device, client = device_and_admin
    # django-otp's views that show the key and QR code are not there at all
    for name in ("admin:otp_totp_totpdevice_config", "admin:otp_totp_totpdevice_qrcode"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[device.pk])
    for path in ("config", "qrcode"):
        # the admin's catch-all takes the address for an object id and finds none
        response = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/{path}/", follow=True)
        assert response.redirect_chain and response["Content-Type"].startswith("text/html")
        for secret in _secrets(device):
            assert secret not in response.content.decode()
    # a device with a key of the admin's choosing cannot be added
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
    before = device.key
    client.post(
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
        {"user": device.user_id, "name": "x", "key": "00" * 20, "confirmed": "on"},
    )
    device.refresh_from_db()
    assert device.key == before


def test_deleting_a_device_revokes_it(device_and_admin):
    device, client = device_and_admin
    url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert device.key not in client.get(url).content.decode()
    client.post(url, {"post": "yes"})
    assert not type(device).objects.filter(pk=device.pk).exists()
