"""Signing officers into the back office in tests."""

from __future__ import annotations

import time

from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lapor.accounts.models import User
from lapor.backoffice.access import SEEN_KEY, enrol_totp

PASSWORD = "rahasia-uji-123"  # tests.factories.UserFactory's


def current_code(device: TOTPDevice) -> str:
    """The code the officer's authenticator app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def sign_in(client: Client, user: User) -> Client:
    """A session as if ``user`` had signed in with password and TOTP a moment ago."""
    device = enrol_totp(user)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session[SEEN_KEY] = time.time()
    session.save()
    return client
