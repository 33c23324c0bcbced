"""What an action changes on the report row, written once for every caller.

Each function is the ``mutate`` of ``_base.change``: the officers' services and the SLA sweep
(``reports.sweep``, many reports per transaction) pass the same one, so a status change cannot
drift between the desk and the sweep."""

from __future__ import annotations

from datetime import datetime

from lapor.reports import sla
from lapor.reports.models import Report


def resume(r: Report, now: datetime) -> None:
    """The hold ends (an officer, or the sweep once its date has come): the clock runs again."""
    r.hold_until = None
    r.status_before = ""
    sla.resume_clock(r, now)


def close(r: Report, now: datetime) -> None:
    """The report is finished: completed by the agency, or closed automatically when the
    reporter did not answer the follow-up in time."""
    r.closed_at = now
    r.autoclose_at = None
    r.status_before = ""
