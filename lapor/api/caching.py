"""HTTP caching of public reads: a weak ETag from a cheap version, ``If-None-Match`` → 304,
``Cache-Control: public, max-age=60`` (a CDN may serve it a minute) and ``Vary:
Accept-Language`` (the messages and labels are in the request's language).

The version is what changes whenever the answer would: the last event hash of a report
(``Report.last_event_hash``), or for a list page the ids and ``updated_at`` of its rows.

Use in a view::

    tag = caching.etag_for(report.last_event_hash, report.support_count)
    if (unchanged := caching.not_modified(request, tag)) is not None:
        return unchanged
    return caching.public(Response(data), tag)
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from lapor.core.cache import Recent

MAX_AGE = 60
CACHE_CONTROL = f"public, max-age={MAX_AGE}"
# Rendered answers kept in the shared cache, keyed by their ETag (which holds the version): a
# new event makes a new key, so a stale answer is never served; old keys simply expire.
RENDERED_SECONDS = 600
# In front of it, the answers this process served last (about 2 KB each): a hit costs no round
# trip. Safe for the same reason: a key names one version of one answer.
recent = Recent(size=2000, seconds=RENDERED_SECONDS)

log = logging.getLogger(__name__)


def etag_for(*parts: Any) -> str:
    """A weak ETag of ``parts`` and the response language."""
    raw = "|".join(str(p) for p in (get_language(), *parts))
    return 'W/"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def etag_of_rows(rows: Iterable[Any], *extra: Any) -> str:
    """The ETag of a list page: its rows' ids and ``updated_at`` (rows already loaded)."""
    return etag_for(*extra, *((r.pk, getattr(r, "updated_at", "")) for r in rows))


def _tags(header: str) -> set[str]:
    return {t.strip().removeprefix("W/") for t in header.split(",") if t.strip()}


def _headers(response: HttpResponse, tag: str) -> HttpResponse:
    response["ETag"] = tag
    # A new response has neither header: set them whole, as the patch functions would.
    if response.has_header("Cache-Control"):
        patch_cache_control(response, public=True, max_age=MAX_AGE)
    else:
        response["Cache-Control"] = CACHE_CONTROL
    if response.has_header("Vary"):
        patch_vary_headers(response, ["Accept-Language"])
    else:
        response["Vary"] = "Accept-Language"
    return response


def not_modified(request: HttpRequest, tag: str) -> HttpResponse | None:
    """304 when the client's ``If-None-Match`` holds ``tag`` (weak comparison), else None."""
    header = request.headers.get("If-None-Match", "")
    if header and ("*" in _tags(header) or tag.removeprefix("W/") in _tags(header)):
        return _headers(HttpResponse(status=304), tag)
    return None


def public(response: Response, tag: str) -> Response:
    """Mark a public read: its ETag, shared-cacheable a minute, varying by language."""
    _headers(response, tag)
    return response


def rendered(request: HttpRequest, tag: str, build: Callable[[], Any]) -> HttpResponse:
    """A public read answered from the shared cache when this version was rendered before (in
    this language, for this host), else built with ``build()`` (the data to render), stored and
    answered: 304 for a client holding ``tag``. A cache that cannot be reached only costs the
    rendering."""
    unchanged = not_modified(request, tag)
    if unchanged is not None:
        return unchanged
    key = "api:rendered:" + hashlib.sha256(f"{request.get_host()}|{tag}".encode()).hexdigest()
    body = _cached(key)
    if body is None:
        body = JSONRenderer().render(build())
        _store(key, body)
    return _headers(HttpResponse(body, content_type="application/json"), tag)


def _cached(key: str) -> bytes | None:
    body = recent.get(key)
    if body is not None:
        return body
    try:
        value = cache.get(key)
    except Exception:
        log.warning("API answer cache unreachable", exc_info=True)
        return None
    if isinstance(value, bytes):
        recent.put(key, value)
        return value
    return None


def _store(key: str, body: bytes) -> None:
    recent.put(key, body)
    try:
        cache.set(key, body, RENDERED_SECONDS)
    except Exception:
        log.warning("API answer cache unreachable", exc_info=True)
