"""Who may enter the back office: an officer with an active membership, signed in with a
password and a TOTP code, and active within the idle limit. Failed sign-ins lock the account
from the address they came from."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from lapor.agencies.models import Membership
from lapor.backoffice.models import LoginLock

if TYPE_CHECKING:
    from lapor.accounts.models import User

LOCK_AFTER = 5
LOCK_FOR = timedelta(minutes=15)
PRUNE_AFTER = timedelta(hours=1)  # failures older than this no longer count
SEEN_KEY = "backoffice_seen"


def idle_seconds() -> int:
    return int(getattr(settings, "LAPOR_BACKOFFICE_IDLE_SECONDS", 30 * 60))


@dataclass(frozen=True)
class Officer:
    """The signed-in officer and their active memberships (loaded once per request)."""

    user: User
    memberships: list[Membership]

    @property
    def roles(self) -> set[str]:
        return {m.role for m in self.memberships}

    @property
    def is_national(self) -> bool:
        return Membership.Role.NATIONAL_ADMIN in self.roles


def active_memberships(user: User) -> list[Membership]:
    """The roles ``user`` holds as a person: a partner system's service account has none, so it
    never signs in here (it speaks through the API)."""
    return list(
        Membership.objects.filter(user=user, is_active=True, agency__is_active=True)
        .exclude(role=Membership.Role.PARTNER)
        .select_related("agency")
        .order_by("role", "agency__path")
    )


# --- lockout ---------------------------------------------------------------------------
# Per (existing account, client address): an outsider's failures lock only their own address.
# Unknown names write nothing here (the cache counters of ``accounts.throttle`` limit those),
# so made-up names cannot fill the table; rows whose lock has passed are pruned.


def locked_until(username: str, source: str, now: datetime | None = None) -> datetime | None:
    now = now or timezone.now()
    until = (
        LoginLock.objects.filter(username=username.lower(), source=source, locked_until__gt=now)
        .values_list("locked_until", flat=True)
        .first()
    )
    return until


def record_failure(
    username: str, source: str, *, exists: bool, now: datetime | None = None
) -> None:
    """Count a failed sign-in of an existing account from ``source``; the fifth in a row locks
    it from there for fifteen minutes. Old rows of anyone are pruned on the way."""
    now = now or timezone.now()
    LoginLock.objects.filter(last_failure_at__lt=now - PRUNE_AFTER).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    ).delete()
    if not exists:
        return
    with transaction.atomic():
        lock, _created = LoginLock.objects.select_for_update().get_or_create(
            username=username.lower(), source=source
        )
        LoginLock.objects.filter(pk=lock.pk).update(failures=F("failures") + 1, last_failure_at=now)
        lock.refresh_from_db()
        if lock.failures >= LOCK_AFTER:
            LoginLock.objects.filter(pk=lock.pk).update(failures=0, locked_until=now + LOCK_FOR)


def clear_failures(username: str, source: str) -> None:
    LoginLock.objects.filter(username=username.lower(), source=source).delete()


# --- two factors ------------------------------------------------------------------------


def enrol_totp(user: User) -> TOTPDevice:
    """A fresh TOTP device for ``user``, replacing any earlier one (enrol or reset)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        return TOTPDevice.objects.create(user=user, name="LAPOR! kantor", confirmed=True)


def totp_secret(device: TOTPDevice) -> str:
    """The base32 secret an authenticator app accepts when typed in."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def session_device(request: HttpRequest) -> Device | None:
    """The OTP device this session was verified with, if it still belongs to the user."""
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    if not persistent_id:
        return None
    device = Device.from_persistent_id(persistent_id)
    if device is None or device.user_id != request.user.pk or not device.confirmed:
        return None
    return device


def _to_login(request: HttpRequest) -> HttpResponse:
    from django.urls import reverse
    from django.utils.http import urlencode

    return redirect(f"{reverse('backoffice:login')}?{urlencode({'next': request.get_full_path()})}")


def officer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Enter only as a two-factor-verified officer, active within the idle limit."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated or session_device(request) is None:
            return _to_login(request)
        now = time.time()
        seen = request.session.get(SEEN_KEY)
        if seen is None or now - float(seen) > idle_seconds():
            logout(request)
            messages.info(
                request,
                _("Sesi Anda berakhir karena terlalu lama tidak aktif. Silakan masuk kembali."),
            )
            return _to_login(request)
        memberships = active_memberships(request.user)
        if not memberships:
            logout(request)
            return _to_login(request)
        request.session[SEEN_KEY] = now
        request.officer = Officer(user=request.user, memberships=memberships)  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper
