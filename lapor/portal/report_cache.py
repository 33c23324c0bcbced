"""The public page of one report (``/laporan/<id>/``), rendered once per report version,
language and host and kept in the cache every app process shares, as the track page is
(``track_cache``: the same rules, the same placeholder for each visitor's CSRF token).

Only a visit with nothing private may use it: no account signed in (the support form would know
them), no pending message, a plain ``GET`` of the canonical address. Each request reads the
report's version *and its privacy* by one unique-index lookup: a report that is rahasia or
merged answers 404 without anything being rendered, and every change through a service (a
supporter counted, a photo shown, an answer) appends an event, so writes a new version."""

from __future__ import annotations

import hashlib

from django.db import connection
from django.http import HttpRequest

from lapor.portal import track_cache
from lapor.reports.models import Report
from lapor.reports.privacy import is_public_state

_SOURCES = (
    "portal/templates/portal/base.html",
    "portal/templates/portal/report.html",
    "portal/templates/portal/_requested_agency_decision.html",
    "portal/templates/portal/_timeline.html",
    "portal/templates/portal/_field.html",
    "portal/templates/portal/_language_switch.html",
    "privacy/templates/privacy/_notice_link.html",
    "portal/templatetags/portal.py",
    "portal/forms/browse.py",
    "portal/views/browse.py",
    "portal/requested_view.py",
    "portal/report_cache.py",
    "portal/track_cache.py",  # how a page is stored (``Kept``)
    "reports/privacy.py",
    "reports/lifecycle.py",
    "reports/sla.py",
    "core/timefmt.py",
    "locale/en/LC_MESSAGES/django.mo",
)

_VERSION_SQL = (
    "SELECT event_count, last_event_hash, updated_at, is_confidential, status "  # noqa: S608
    f"FROM {Report._meta.db_table} WHERE tracking_id = %s"
)


def release() -> str:
    return track_cache.digest_of(_SOURCES)


def public_version(tracking_id: str) -> str | None:
    """The report's version while it is public (``privacy.is_public``'s rule: not rahasia, not
    merged), else None; one unique-index lookup."""
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL, [tracking_id])
        row = cursor.fetchone()
    if row is None or not is_public_state(bool(row[3]), row[4]):
        return None
    return track_cache.version_of(row[0], row[1], row[2])


def key(tracking_id: str, language: str, host: str, report_version: str) -> str:
    raw = f"{release()}:{language}:{host}:{tracking_id}:{report_version}"
    return "report:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def is_public_visit(request: HttpRequest, tracking_id: str, as_typed: str) -> bool:
    """The track page's rules but for the guest secret: this page shows a reporter nothing of
    their own, so a secret in the session does not make the visit private."""
    return track_cache.nothing_private(
        request, query_allowed=False, canonical=as_typed == tracking_id, guest_secret_of=None
    )
