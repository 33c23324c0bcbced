"""One staff sign-in check, for the back office and the Django admin alike: the address and
the account are throttled, the lock is checked, then the password and the authenticator code.

An unknown name, a wrong password and a wrong code take the same path (the password hasher
and a TOTP check run every time) and get the same answer, so the answer never tells which of
the three was wrong, nor whether a name exists."""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone
from django_otp import match_token
from django_otp.models import Device
from django_otp.oath import TOTP

from lapor.accounts import throttle
from lapor.backoffice import access
from lapor.portal.limits import client_ip

if TYPE_CHECKING:
    from lapor.accounts.models import User


@dataclass(frozen=True)
class Outcome:
    """Who signed in (``user`` and ``device`` both set), or nobody; ``wait`` > 0 when the
    attempt was refused unchecked: too many failures, try again after that many seconds."""

    user: User | None = None
    device: Device | None = None
    wait: int = 0


def check_staff(
    request: HttpRequest,
    *,
    scope: str,
    username: str,
    password: str,
    token: str,
    may_enter: Callable[[User], bool],
) -> Outcome:
    from lapor.accounts.models import User

    username, token = username.strip(), token.strip()
    source = client_ip(request)
    wait = throttle.wait_seconds(request, scope=scope, account=username.lower())
    until = access.locked_until(username, source)
    if until is not None:
        wait = max(wait, math.ceil((until - timezone.now()).total_seconds()))
    if wait:
        return Outcome(wait=wait)
    user = authenticate(request, username=username, password=password)
    allowed = user is not None and user.is_active and may_enter(user)
    if allowed:
        device = match_token(user, token)
    else:
        device = None
        _no_match(token)
    if user is not None and allowed and device is not None:
        throttle.clear(request, scope=scope, account=username.lower())
        access.clear_failures(username, source)
        return Outcome(user=user, device=device)
    throttle.record_failure(request, scope=scope, account=username.lower())
    exists = User.objects.filter(username__iexact=username).exists()
    access.record_failure(username, source, exists=exists)
    return Outcome()


def _no_match(token: str) -> None:
    """The work of checking a code, against a key nobody has: the same time as a real check."""
    TOTP(secrets.token_bytes(20)).verify(int(token) if token.isdigit() else -1, tolerance=1)
