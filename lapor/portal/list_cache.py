"""The public list (``/laporan/``) kept rendered for a minute per address and language, every
row checked against its report before the page is served again.

The list is the same for every visitor with nothing private (``track_cache.nothing_private``,
without a tracking ID, with any query: the address is the key): no account signed in, no
pending message, a plain ``GET``. A kept page stores, beside its HTML (a placeholder where a
form's CSRF token goes, as the track page does), the id and version of each report it shows.
Before it is served again, one query by primary key reads those rows' versions and privacy: a
row made rahasia, merged, changed in any way (every change through a service appends an event,
so writes a new version) or gone makes the page rendered afresh. So a kept page never shows a
report that is no longer public, nor an older state of one. What a kept page can miss is a
report that *entered* the list since it was rendered: once a page is older than
``LIST_SECONDS``, the next request makes it again (one request at a time, ``due``; the others
keep getting the checked page meanwhile, for at most ``KEEP_SECONDS``). A new release
(templates, translations, these modules) changes every key."""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from typing import Any, Self

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest

from lapor.portal import track_cache
from lapor.reports.models import Report
from lapor.reports.privacy import is_public_state

log = logging.getLogger(__name__)

LIST_SECONDS = 60  # a kept page older than this is made again by one request
KEEP_SECONDS = 600  # …while the others go on getting it (rows checked) until then
REFRESH_SECONDS = 30  # one request at a time remakes a page
_SOURCES = (
    "portal/templates/portal/base.html",
    "portal/templates/portal/reports.html",
    "portal/templates/portal/_report_row.html",
    "portal/templates/portal/_field.html",
    "portal/templates/portal/_language_switch.html",
    "portal/templatetags/portal.py",
    "portal/forms/browse.py",
    "portal/views/browse.py",
    "portal/list_cache.py",
    "portal/track_cache.py",  # how a page is stored (``Kept``)
    "reports/selectors.py",
    "reports/privacy.py",
    "reports/sla.py",
    "core/timefmt.py",
    "locale/en/LC_MESSAGES/django.mo",
)
Rows = tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class ListPage(track_cache.Page):
    rows: Rows = ()
    made: float = 0.0  # time.time() when rendered

    @classmethod
    def from_stored(cls, found: tuple[Any, ...]) -> Self:
        """The rows as tuples of tuples, whatever sequences the cache gave back."""
        placeholder, html, rows, made = found
        return cls(placeholder, html, tuple(tuple(r) for r in rows), made)


pages = track_cache.Kept(ListPage, KEEP_SECONDS, log, "list page")


def due(page_key: str, page: ListPage) -> bool:
    """True when the page is older than ``LIST_SECONDS`` and this request is the one to make
    it again (one per ``REFRESH_SECONDS`` across every process): the others keep getting the
    kept page meanwhile, so a popular list never has every request rendering it at once."""
    if time.time() - page.made < LIST_SECONDS:
        return False
    try:
        return bool(cache.add(page_key + ":remake", 1, REFRESH_SECONDS))
    except Exception:
        return True


def release() -> str:
    return track_cache.digest_of(_SOURCES)


def key(language: str, full_path: str) -> str:
    raw = f"{release()}:{language}:{full_path}"
    return "list:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def is_public_visit(request: HttpRequest) -> bool:
    """Any query: the filters and the page number are part of the key."""
    return track_cache.nothing_private(
        request, query_allowed=True, canonical=True, guest_secret_of=None
    )


def rows_of(reports: list[Report]) -> Rows:
    return tuple((r.pk, track_cache.report_version(r)) for r in reports)


_ROWS_SQL = (
    "SELECT id, event_count, last_event_hash, updated_at, is_confidential, status "  # noqa: S608
    f"FROM {Report._meta.db_table} WHERE id IN (%s)"
)


def rows_unchanged(rows: Rows) -> bool:
    """True when every row is still public (``privacy.is_public``'s rule) and at the version
    the page showed; one query by primary key (none for an empty page), read raw: nothing to
    plan or build but the row."""
    if not rows:
        return True
    with connection.cursor() as cursor:
        cursor.execute(_ROWS_SQL % ", ".join(["%s"] * len(rows)), [pk for pk, _v in rows])
        now = {
            pk: track_cache.version_of(count, last_hash, updated)
            for pk, count, last_hash, updated, confidential, status in cursor.fetchall()
            if is_public_state(bool(confidential), status)
        }
    return all(now.get(pk) == version for pk, version in rows)


def get(page_key: str) -> ListPage | None:
    return pages.get(page_key)


def put(page_key: str, page: ListPage) -> None:
    pages.put(page_key, page)
