"""Admin sessions for tests: signed in with password and authenticator, as the admin requires."""

from __future__ import annotations

from django.test import Client

from lapor.accounts.models import User
from lapor.backoffice.access import enrol_totp


def admin_session(client: Client, user: User) -> Client:
    """``client`` signed in as ``user`` with a verified TOTP device (a fresh one if needed)."""
    device = user.totpdevice_set.filter(confirmed=True).first() or enrol_totp(user)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client
