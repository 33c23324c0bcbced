"""Rate limits on public writes, per IP address and per account.

Counters live in Django's cache (django-ratelimit). In production the cache must be shared by
every app process (Redis or memcached), or each process counts on its own.

django-ratelimit counts in fixed windows (an hour for ``10/h``, shifted per address by a fixed
jitter), so a refused citizen can be told when the window ends: every 429 says it in words
("Coba lagi dalam 42 menit, pukul 14.05 WIB") and in ``Retry-After``. What counts is chosen by
the caller: the submit form counts a report it created (``submit``), a refused attempt
(``submit_invalid``) and its intermediate steps (``submit_step``) each on their own, so a
citizen's typing mistakes never use up the reports of the hour. A count taken before the outcome
was known is undone with ``give_back``."""

from __future__ import annotations

import ipaddress
import logging
import math
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import ngettext
from django_ratelimit import core as ratelimit
from django_ratelimit.core import get_usage

from lapor.regions.models import ZONE_LABELS

# Per IP and per account; an operator may override each with a setting LAPOR_RATE_<GROUP>.
RATES = {
    "submit": "10/h",  # reports created
    "submit_invalid": "30/h",  # submissions refused: a field to fix, an expired or broken form
    "submit_step": "60/h",  # "Tampilkan kecamatan", "Cek laporan serupa"
    "follow": "30/h",
    "track": "60/m",
    "support": "30/h",
    "account": "20/h",
    "receipt": "5/h",
}

# Retry-After when the wait is unknown (a 429 not preceded by ``over_limit``).
DEFAULT_WAIT = 60


def rate(group: str) -> str:
    return str(getattr(settings, f"LAPOR_RATE_{group.upper()}", RATES[group]))


log = logging.getLogger(__name__)


def over_limit(request: HttpRequest, group: str) -> bool:
    """Count one attempt of ``group``; True when the IP or the account went over its limit.

    When the cache cannot be reached the attempt is let through (and logged): a citizen's
    complaint matters more than a counter, and an outage of Redis must not lose reports."""
    try:
        return _counted(request, group)
    except Exception:
        log.warning("rate limit %s not counted: the cache is unreachable", group, exc_info=True)
        return False


def give_back(request: HttpRequest, group: str) -> None:
    """Undo this request's count of ``group``: the attempt turned out not to be one that counts
    (the service refused the report after ``over_limit`` reserved its place)."""
    for key in _taken(request).pop(group, []):
        try:
            ratelimit_cache().decr(key)
        except Exception:  # the window ended meanwhile, or the cache is down: nothing to undo
            log.info("rate limit %s not given back", group, exc_info=True)


def _counted(request: HttpRequest, group: str) -> bool:
    scopes = [(f"portal.{group}", "ip")]
    if request.user.is_authenticated:
        scopes.append((f"portal.{group}.user", "user"))
    limited = False
    for name, key in scopes:
        usage = get_usage(request, group=name, key=key, rate=rate(group), increment=True)
        if usage is None:  # RATELIMIT_ENABLE = False
            continue
        if usage["limit"] == 0 and usage["time_left"] == -1:
            # django-ratelimit's answer when the cache took no count: as if it were down.
            raise RuntimeError(f"the cache did not count {name}")
        _taken(request).setdefault(group, []).append(_cache_key(request, name, key, group))
        if usage["should_limit"]:
            limited = True
            _note_wait(request, usage["time_left"])
    return limited


def _cache_key(request: HttpRequest, name: str, key: str, group: str) -> str:
    """The key django-ratelimit counted ``name`` under, for ``give_back`` (its own helpers;
    tests/portal/test_limits.py fails if a new version of the library keys otherwise)."""
    value = ratelimit._SIMPLE_KEYS[key](request)
    window = ratelimit._get_window(value, ratelimit._split_rate(rate(group))[1])
    return str(ratelimit._make_cache_key(name, window, rate(group), value, ratelimit.ALL))


def ratelimit_cache() -> Any:
    from django.core.cache import caches

    return caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]


def _taken(request: HttpRequest) -> dict[str, list[str]]:
    taken: dict[str, list[str]] | None = getattr(request, "_lapor_limits_taken", None)
    if taken is None:
        taken = {}
        setattr(request, "_lapor_limits_taken", taken)  # noqa: B010 - HttpRequest declares none
    return taken


def _note_wait(request: HttpRequest, seconds: int) -> None:
    longest = max(int(seconds), 1, getattr(request, "_lapor_retry_after", 0))
    setattr(request, "_lapor_retry_after", longest)  # noqa: B010 - HttpRequest declares none


def retry_after(request: HttpRequest) -> int:
    """Seconds until the limit ``over_limit`` refused this request for lets it through again."""
    return int(getattr(request, "_lapor_retry_after", DEFAULT_WAIT))


def wait_message(seconds: int, now: datetime | None = None) -> str:
    """``Coba lagi dalam 42 menit, pukul 14.05 WIB.`` in the active language; the clock time is
    rounded up to the minute, so trying at that minute works."""
    now = now or timezone.now()
    until = timezone.localtime(now + timedelta(seconds=seconds))
    if until.second or until.microsecond:
        until = until.replace(second=0, microsecond=0) + timedelta(minutes=1)
    at = f"{time_format(until)} {ZONE_LABELS.get(settings.TIME_ZONE, '')}".strip()
    minutes = max(1, math.ceil(seconds / 60))
    if minutes <= 90:
        message = ngettext(
            "Coba lagi dalam %(count)d menit, pukul %(time)s.",
            "Coba lagi dalam %(count)d menit, pukul %(time)s.",
            minutes,
        )
        return message % {"count": minutes, "time": at}
    hours = round(minutes / 60)
    message = ngettext(
        "Coba lagi dalam %(count)d jam, pukul %(time)s.",
        "Coba lagi dalam %(count)d jam, pukul %(time)s.",
        hours,
    )
    return message % {"count": hours, "time": at}


def client_ip(request: HttpRequest) -> str:
    """The client's address as the rate limits count it (``RATELIMIT_IP_META_KEY``).

    Behind the reverse proxy it is the header the proxy writes (``CLIENT_IP_HEADER``, e.g.
    ``X-Real-IP``); if that header holds a list, the last entry is the one our proxy added.
    A request without a usable value (a health check straight to the app server, a proxy
    misconfigured) falls back to ``REMOTE_ADDR``, so it is still counted, never refused."""
    meta_key = getattr(settings, "LAPOR_CLIENT_IP_META", "REMOTE_ADDR")
    raw = str(request.META.get(meta_key, "")).rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        if meta_key != "REMOTE_ADDR":
            log.warning("client address header %s holds no address: %r", meta_key, raw[:60])
        return str(request.META.get("REMOTE_ADDR") or "0.0.0.0")  # noqa: S104 - a key, not a bind


def too_many(
    request: HttpRequest,
    template: str = "portal/429.html",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """HTTP 429 saying when to try again, in words and in ``Retry-After``. The submit form
    passes its own template and context, so what the citizen typed is shown again."""
    seconds = retry_after(request)
    response = render(
        request, template, {"wait": wait_message(seconds), **(context or {})}, status=429
    )
    response["Retry-After"] = str(seconds)
    return response
