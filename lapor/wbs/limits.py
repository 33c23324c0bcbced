"""Rate limits of the WBS without keeping anyone's address: the counter's key is a keyed hash
(BLAKE2b with the WBS server key) of the address and the current hour, so the cache holds
neither the address nor a hash that links one hour to the next or can be reversed by trying
the four billion IPv4 addresses without the key."""

from __future__ import annotations

import logging
import time
from hashlib import blake2b

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

WINDOW = 3600
RATES = {"receipt": 10, "submit": 5, "unlock": 10}
log = logging.getLogger(__name__)


def rate(group: str) -> int:
    return int(getattr(settings, f"LAPOR_WBS_RATE_{group.upper()}", RATES[group]))


def _window() -> int:
    return int(time.time()) // WINDOW


def source_token(request: HttpRequest) -> str:
    from lapor.wbs.services import index_key

    address = str(request.META.get(getattr(settings, "LAPOR_CLIENT_IP_META", "REMOTE_ADDR"), ""))
    address = address.split(",")[0].strip()
    return blake2b(
        f"{_window()}|{address}".encode(), key=index_key(), digest_size=16, person=b"lapor-wbs-rl"
    ).hexdigest()


def over_limit(request: HttpRequest, group: str, subject: str = "") -> bool:
    """Count one attempt of ``group`` from this request's source (and, for a signed-in
    officer, ``subject``); True once over the hour's limit. A cache outage lets it through."""
    token = getattr(request, "wbs_source", None) or source_token(request)
    keys = [f"wbs:rl:{group}:{_window()}:{token}"]
    if subject:
        keys.append(f"wbs:rl:{group}:{_window()}:u{subject}")
    limited = False
    for key in keys:
        try:
            cache.add(key, 0, WINDOW)
            count = cache.incr(key)
        except Exception:
            log.warning("WBS rate limit not counted: the cache is unreachable")
            continue
        limited = limited or count > rate(group)
    return limited
