"""Callbacks other apps register to act on every event written, inside its transaction.

``reports`` knows nothing of who listens (the API's webhooks register at ``ApiConfig.ready``),
so no import circle forms. ``reports.events.write_events``, the one place every event goes
through (the services' ``apply``, ``report_submit`` and the SLA sweep), calls ``events_written``
after inserting the events: a callback's rows commit or roll back with the events, and an
exception it raises propagates and rolls the change back (never swallowed)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from lapor.reports.models import Report, ReportEvent

Pairs = Sequence[tuple[Report, ReportEvent]]
Callback = Callable[[Pairs], object]
_callbacks: list[Callback] = []


def on_events(callback: Callback) -> Callback:
    """Register ``callback`` (once, however often ``ready`` runs); usable as a decorator."""
    if callback not in _callbacks:
        _callbacks.append(callback)
    return callback


def events_written(pairs: Pairs) -> None:
    """Run every callback on the (report, event) pairs just written."""
    if not pairs:
        return
    for callback in _callbacks:
        callback(pairs)


def loaded_handler(report: Report) -> Any | None:
    """The report's unit (else its agency) when that row is already loaded with the report
    (the service's permission check or its change read it), without a query; else None.
    Callbacks read it rather than asking the database for a row the change just held."""
    return report._state.fields_cache.get("unit" if report.unit_id else "agency")
