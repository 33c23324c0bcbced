"""The public track page, rendered once per report version and language and kept in the cache
every app process shares (``CACHE_URL``).

Everybody who holds only a tracking ID sees the same page of a report (the ``TRACKER``
audience: status, agency, deadlines, the steps). So that page is rendered once and kept; each
request still reads the report's *version* from its row by one unique-index lookup (event count,
last event hash, last update). Every change through a service appends an event and so writes a
new version: a changed report is never served from an older page. A new release (templates,
translations, privacy rules) changes the key too (``release()``); reference data the page
names (an agency renamed) shows at the latest after ``PAGE_SECONDS``.

Only a visit with nothing private in it may use the cache, for reading or for storing: no
account signed in, no guest secret for this report in the session, no pending message, a
plain ``GET`` of the canonical address. A stored page holds a random placeholder where a form's
CSRF token goes; each response gets its own visitor's token in its place, so no token is ever
stored or handed to another visitor.

A phone checking its report again revalidates instead of downloading: every public page goes
out with ``Cache-Control: private, no-cache`` and an ``ETag`` made from the page's key (so from
the report's version) and the visitor's CSRF secret (the one the form tokens in the body were
made from). ``If-None-Match`` with that tag answers 304 and no body; a changed report, another
language, a new release or a new CSRF cookie changes the tag, so the browser never keeps a page
or a token that no longer holds.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache as once
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils.http import parse_etags

from lapor.portal.reporter_session import secret_for
from lapor.reports.models import Report

log = logging.getLogger(__name__)

PAGE_SECONDS = 600
RECENT_PAGES = 2000  # per process: about 8 MB of pages of ~4 KB

# What decides the page's bytes besides the report: a new release changes the key.
_PACKAGE = Path(__file__).resolve().parent.parent
_SOURCES = (
    "portal/templates/portal/base.html",
    "portal/templates/portal/track.html",
    "portal/templates/portal/_timeline.html",
    "portal/templates/portal/_field.html",
    "portal/templatetags/portal.py",
    "portal/forms/track.py",
    "portal/views/track.py",
    "portal/track_cache.py",
    "reports/privacy.py",
    "reports/lifecycle.py",
    "reports/sla.py",
    "core/timefmt.py",
    "locale/en/LC_MESSAGES/django.mo",
)


@once
def digest_of(names: tuple[str, ...]) -> str:
    """A short digest of these files of the package (a page kind's release)."""
    digest = hashlib.blake2b(digest_size=6)
    for name in names:
        path = _PACKAGE / name
        digest.update(path.read_bytes() if path.exists() else name.encode())
    return digest.hexdigest()


def release() -> str:
    return digest_of(_SOURCES)


_VERSION_SQL = (
    f"SELECT event_count, last_event_hash, updated_at FROM {Report._meta.db_table} "  # noqa: S608
    "WHERE tracking_id = %s"
)


def version(tracking_id: str) -> str | None:
    """The report's version (changes with every event or save), or None when there is none.
    One unique-index lookup of three columns: nothing to plan, no model to build."""
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL, [tracking_id])
        row = cursor.fetchone()
    if row is None:
        return None
    return version_of(*row)


def version_of(event_count: int, last_event_hash: str, updated_at: datetime | str) -> str:
    """The same string from the model and from a raw row (which on SQLite is naive UTC)."""
    if isinstance(updated_at, datetime):
        if updated_at.tzinfo is not None:
            updated_at = updated_at.astimezone(UTC).replace(tzinfo=None)
        updated_at = updated_at.isoformat()
    return f"{event_count}.{last_event_hash[:20]}.{updated_at}"


def report_version(report: Report) -> str:
    return version_of(report.event_count, report.last_event_hash, report.updated_at)


def key(tracking_id: str, language: str, report_version: str) -> str:
    raw = f"{release()}:{language}:{tracking_id}:{report_version}"
    return "track:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def is_public_visit(request: HttpRequest, tracking_id: str, as_typed: str) -> bool:
    """True when nothing on this page may depend on who asks."""
    if request.method not in ("GET", "HEAD") or request.GET or as_typed != tracking_id:
        return False
    if request.user.is_authenticated or secret_for(request, tracking_id):
        return False
    return len(messages.get_messages(request)) == 0  # len() leaves them unread


@dataclass(frozen=True)
class Page:
    placeholder: str
    html: str


def new_placeholder() -> str:
    return "csrf" + secrets.token_hex(16)


class _Recent:
    """The pages this process served last, in front of the shared cache: a hit costs no round
    trip to Redis. Safe for the same reason the shared cache is: a key names one version of a
    report, and an entry is dropped after ``PAGE_SECONDS`` like the shared one."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.pages: OrderedDict[str, tuple[float, Page]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, page_key: str) -> Page | None:
        with self.lock:
            found = self.pages.get(page_key)
            if found is None:
                return None
            if found[0] < time.monotonic():
                del self.pages[page_key]
                return None
            self.pages.move_to_end(page_key)
            return found[1]

    def put(self, page_key: str, page: Page, seconds: float) -> None:
        with self.lock:
            self.pages[page_key] = (time.monotonic() + seconds, page)
            self.pages.move_to_end(page_key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()


recent = _Recent(RECENT_PAGES)


def get(page_key: str) -> Page | None:
    page = recent.get(page_key)
    if page is not None:
        return page
    try:
        found = cache.get(page_key)
    except Exception:  # the cache is only a shortcut: render instead
        log.warning("track page cache unavailable", exc_info=True)
        return None
    if isinstance(found, tuple) and len(found) == 2:
        page = Page(*found)
        recent.put(page_key, page, PAGE_SECONDS)
        return page
    return None


def put(page_key: str, page: Page) -> None:
    recent.put(page_key, page, PAGE_SECONDS)
    try:
        cache.set(page_key, (page.placeholder, page.html), PAGE_SECONDS)
    except Exception:
        log.warning("track page cache unavailable", exc_info=True)


CACHE_CONTROL = "private, no-cache"


def etag(page_key: str, csrf_secret: str) -> str:
    """The tag of one page as one visitor got it (the secret never leaves in clear)."""
    digest = hashlib.blake2b(f"{page_key}:{csrf_secret}".encode(), digest_size=16).hexdigest()
    return f'"{digest}"'


def not_modified(request: HttpRequest, page_key: str) -> HttpResponse | None:
    """304 when the visitor already holds this page, made with the CSRF cookie they send."""
    asked = request.headers.get("If-None-Match", "")
    secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    if not asked or not secret:
        return None
    tag = etag(page_key, secret)
    if tag not in parse_etags(asked):
        return None
    response = HttpResponseNotModified()
    response["ETag"] = tag
    response["Cache-Control"] = CACHE_CONTROL
    return response


def respond(request: HttpRequest, page: Page, page_key: str) -> HttpResponse:
    """The page with this visitor's own CSRF token in place of the placeholder, tagged."""
    html = page.html.replace(page.placeholder, get_token(request))
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["ETag"] = etag(page_key, request.META.get("CSRF_COOKIE", ""))
    response["Cache-Control"] = CACHE_CONTROL
    return response
