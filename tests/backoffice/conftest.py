"""Signing officers into the back office in tests."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lapor.accounts.models import User
from lapor.backoffice.access import SEEN_KEY, enrol_totp
from tests.browser.conftest import chromium  # noqa: F401  (the fixture, reused)

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


# Headless Chromium: the portal's browser fixture, on a desk-sized screen.


@pytest.fixture
def desk(chromium: Any, live_server: Any) -> Iterator[Any]:  # noqa: F811
    """A desktop-sized page on the live server, as officers work at a desk."""
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, base_url=live_server.url, locale="id-ID"
    )
    tab = context.new_page()
    tab.set_default_timeout(15000)
    yield tab
    context.close()
