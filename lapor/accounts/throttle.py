"""Limits on failed sign-ins and password checks, per address and per account.

Three counters per scope (``login``: the citizen portal, ``password``: changing one's
password, ``office``: the back office, ``admin``: the Django admin), all counting failures in
fixed windows in Django's cache:

- per client address (``client_ip``), whatever account it tries: guessing across accounts;
- per account *and* address: five wrong in a row from one place stop that place, not the
  account's owner elsewhere, so an outsider who knows an officer's user name cannot lock them out;
- per account from everywhere, with a high limit: slow guessing from many addresses.

Counters are kept for every name typed, existing or not, so an unknown name and a wrong
password take the same path; they expire with their window, so nothing grows without bound.
When the cache cannot be reached the attempt is let through (and logged), as the portal's
rate limits do: the back office still asks for the authenticator code.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import ngettext

from lapor.portal.limits import client_ip

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    failures: int
    seconds: int


# Per kind of counter; an operator may override one with LAPOR_THROTTLE_<KIND> = (n, seconds).
LIMITS = {
    "ip": Limit(30, 15 * 60),
    "account_ip": Limit(5, 15 * 60),
    "account": Limit(100, 60 * 60),
}
SCOPES = ("login", "password", "office", "admin")


def limit(kind: str) -> Limit:
    override = getattr(settings, f"LAPOR_THROTTLE_{kind.upper()}", None)
    return Limit(*override) if override else LIMITS[kind]


def _digest(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def _keys(request: HttpRequest, scope: str, account: str, now: float) -> list[tuple[str, Limit]]:
    """(cache key of the current window, its limit) for each counter of this attempt."""
    assert scope in SCOPES, scope
    ip = client_ip(request)
    values = {"ip": ip, "account_ip": f"{account}\n{ip}", "account": account}
    keys = []
    for kind, value in values.items():
        lim = limit(kind)
        window = int(now // lim.seconds)
        keys.append((f"lapor.throttle.{scope}.{kind}.{_digest(value)}.{window}", lim))
    return keys


def wait_seconds(request: HttpRequest, *, scope: str, account: str) -> int:
    """Seconds to wait before ``account`` may be tried again from this address; 0: go ahead."""
    now = time.time()
    keys = _keys(request, scope, account, now)
    try:
        counts = cache.get_many([key for key, _lim in keys])
    except Exception:
        log.warning("sign-in throttle %s not read: the cache is unreachable", scope, exc_info=True)
        return 0
    wait = 0
    for key, lim in keys:
        if int(counts.get(key) or 0) >= lim.failures:
            window_end = (int(now // lim.seconds) + 1) * lim.seconds
            wait = max(wait, math.ceil(window_end - now))
    return wait


def record_failure(request: HttpRequest, *, scope: str, account: str) -> None:
    """Count one failed attempt of ``account`` from this address."""
    for key, lim in _keys(request, scope, account, time.time()):
        try:
            if not cache.add(key, 1, timeout=lim.seconds + 60):
                cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=lim.seconds + 60)
        except Exception:
            log.warning("sign-in throttle %s not counted", scope, exc_info=True)
            return


def clear(request: HttpRequest, *, scope: str, account: str) -> None:
    """A success from this address forgives its earlier failures for this account."""
    keys = _keys(request, scope, account, time.time())
    try:
        cache.delete(keys[1][0])
    except Exception:
        log.warning("sign-in throttle %s not cleared", scope, exc_info=True)


def wait_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Terlalu banyak percobaan yang gagal. Tunggu %(minutes)d menit, lalu coba lagi.",
        "Terlalu banyak percobaan yang gagal. Tunggu %(minutes)d menit, lalu coba lagi.",
        minutes,
    ) % {"minutes": minutes}


def refused(response: HttpResponse, seconds: int) -> HttpResponse:
    """``response`` (a page saying how long to wait) as a 429 with ``Retry-After``."""
    response.status_code = 429
    response["Retry-After"] = str(max(1, seconds))
    return response
