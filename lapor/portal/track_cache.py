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

The other kept pages (``report_cache``, ``list_cache``, ``form_cache``) are kept and served by
the same means, defined here once: ``Page`` and its kinds, ``Kept`` (this process's recent
pages in front of the shared cache, per kind and lifetime), ``nothing_private`` (who may use a
kept page, with each kind's few differences as parameters), ``respond`` and ``not_modified``.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from functools import cache as once
from pathlib import Path
from typing import Any, Generic, Self, TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
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


def nothing_private(
    request: HttpRequest, *, query_allowed: bool, canonical: bool, guest_secret_of: str | None
) -> bool:
    """True when nothing on a kept page may depend on who asks, so the visit may read and store
    one: a plain ``GET`` (or ``HEAD``), no account signed in, no pending message, and what each
    kind adds: no query unless ``query_allowed`` (the list, whose key is the whole address), the
    ``canonical`` spelling of the address (pages named by a tracking ID), and no guest secret
    in the session for the report ``guest_secret_of`` (the track page, which shows its reporter
    more). The checks run in this order and stop at the first that fails (the later ones read
    the session)."""
    if request.method not in ("GET", "HEAD"):
        return False
    if (not query_allowed and request.GET) or not canonical:
        return False
    if request.user.is_authenticated:
        return False
    if guest_secret_of is not None and secret_for(request, guest_secret_of):
        return False
    return len(messages.get_messages(request)) == 0  # len() leaves them unread


def is_public_visit(request: HttpRequest, tracking_id: str, as_typed: str) -> bool:
    """True when nothing on this page may depend on who asks: the track page shows a reporter
    who entered the guest secret their own details."""
    return nothing_private(
        request,
        query_allowed=False,
        canonical=as_typed == tracking_id,
        guest_secret_of=tracking_id,
    )


@dataclass(frozen=True)
class Page:
    """A page kept for every visitor with nothing private: ``placeholder`` stands where each
    visitor's CSRF token goes. A kind of page with more to keep adds fields; the shared cache
    holds the tuple of its fields, in their order (``Kept``)."""

    placeholder: str
    html: str

    @classmethod
    def from_stored(cls, found: tuple[Any, ...]) -> Self:
        """The page from the tuple the shared cache held."""
        return cls(*found)


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


P = TypeVar("P", bound=Page)


class Kept(Generic[P]):
    """Pages of one kind (``kind``) kept for ``seconds``: in this process's recent pages, in
    front of the shared cache, which holds the tuple of the kind's fields (an entry of another
    length is taken for no page). The cache is only a shortcut: when it does not answer, ``log``
    warns "<label> cache unavailable" and the caller renders the page instead."""

    def __init__(self, kind: type[P], seconds: float, log: logging.Logger, label: str) -> None:
        self.kind = kind
        self.seconds = seconds
        self.log = log
        self.unavailable = f"{label} cache unavailable"
        self.names = tuple(field.name for field in fields(kind))

    def get(self, page_key: str) -> P | None:
        page = recent.get(page_key)
        if isinstance(page, self.kind):
            return page
        try:
            found = cache.get(page_key)
        except Exception:  # the cache is only a shortcut: render instead
            self.log.warning(self.unavailable, exc_info=True)
            return None
        if isinstance(found, tuple) and len(found) == len(self.names):
            kept = self.kind.from_stored(found)
            recent.put(page_key, kept, self.seconds)
            return kept
        return None

    def put(self, page_key: str, page: P) -> None:
        recent.put(page_key, page, self.seconds)
        stored = tuple(getattr(page, name) for name in self.names)
        try:
            cache.set(page_key, stored, self.seconds)
        except Exception:
            self.log.warning(self.unavailable, exc_info=True)


# The track page's, and the public report page's (``report_cache``): the same kind of page.
pages = Kept(Page, PAGE_SECONDS, log, "track page")


def get(page_key: str) -> Page | None:
    return pages.get(page_key)


def put(page_key: str, page: Page) -> None:
    pages.put(page_key, page)


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


def serve(
    request: HttpRequest,
    *,
    version: str | None,
    key_for: Callable[[str], str],
    load: Callable[[], Report | None],
    render: Callable[[Report, str], str],
    missing: str,
) -> HttpResponse:
    """A kept page of one report (the track page, the public report page): 304 when the
    visitor holds it, else the kept page of this ``version``, else the report loaded and
    rendered once (``render(report, csrf_placeholder)``) and kept under the version of the row
    actually rendered, never a newer key for older content. 404 with ``missing`` when the
    version or the report is not there (not public any more, merged, unknown)."""
    if version is None:
        raise Http404(missing)
    page_key = key_for(version)
    unchanged = not_modified(request, page_key)
    if unchanged is not None:
        return unchanged
    page = get(page_key)
    if page is not None:
        return respond(request, page, page_key)
    report = load()
    if report is None:
        raise Http404(missing)
    placeholder = new_placeholder()
    page = Page(placeholder, render(report, placeholder))
    page_key = key_for(report_version(report))
    put(page_key, page)
    return respond(request, page, page_key)
