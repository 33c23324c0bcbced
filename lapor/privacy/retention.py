"""How long a reporter's contact details are kept: until their report has been finished
(completed, closed, archived or merged) for ``CONTACT_RETENTION_DAYS`` days (default 365).
Then ``lapor privacy purge``, and the worker once a day, erase them through
``reports.services.reports_purge_contact``: the report's name, e-mail and phone, its
supporters' addresses, and the address and text of the messages sent to them. The report's
content and its history stay. An account's own data stays while the account exists; its owner
erases it on the "Data saya" page."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from lapor.reports.services import reports_purge_contact


def retention_days() -> int:
    return int(settings.LAPOR_CONTACT_RETENTION_DAYS)


def purge(*, now: datetime | None = None, days: int | None = None, chunk: int = 200) -> int:
    """Erase the contact details past retention; the number of reports purged."""
    return reports_purge_contact(
        retention_days=retention_days() if days is None else days, now=now, chunk=chunk
    )
