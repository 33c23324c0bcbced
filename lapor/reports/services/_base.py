"""The one path every report change takes: lock, check the transition, change, chain an event,
save, and schedule side effects for after the commit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.core.errors import Conflict
from lapor.core.locks import lock_report
from lapor.reports import lifecycle
from lapor.reports.error_codes import ReportErrorCode
from lapor.reports.events import build_event, write_events
from lapor.reports.models import Report, ReportEvent

if TYPE_CHECKING:
    from lapor.accounts.models import User

SYSTEM = "system"
REPORTER = "reporter"

_FIELDS = tuple(Report._meta.concrete_fields)
# The report's foreign keys by name (the keys of a loaded row's ``fields_cache``).
_RELATIONS = {f.name: f.attname for f in _FIELDS if f.is_relation}
# A JSON value may be changed in place, unseen by a comparison with its old self: always saved.
_ALWAYS_SAVED = frozenset(f.attname for f in _FIELDS if isinstance(f, models.JSONField))


def precheck(report: Report, action: str) -> None:
    """Refuse early (before any argument is checked) an action the report's status forbids;
    ``apply`` checks again under the row lock."""
    lifecycle.transition(action, report.status, status_before=report.status_before)


def change(
    locked: Report,
    action: str,
    *,
    actor_id: int | None,
    role: str,
    now: datetime,
    mutate: Callable[[Report, datetime], None] | None = None,
    target: str | None = None,
    message: str = "",
    is_internal: bool = False,
    agency_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> ReportEvent:
    """The change itself, on a row the caller has locked: check the move in the transition
    table, set the status, run the action's ``mutate``, and build the chained event (unsaved;
    the caller saves the row and links the event with ``write_events``).

    The one code every status change runs: ``apply`` for one report, and the SLA sweep for a
    chunk of reports at once (``reports.sweep``) with the same ``mutate`` of each action
    (``services.changes``)."""
    from_status = locked.status
    to_status = lifecycle.transition(action, from_status, status_before=locked.status_before)
    if target is not None:
        to_status = target
    locked.status = to_status
    if mutate is not None:
        mutate(locked, now)
    locked.updated_at = now
    return build_event(
        locked,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor_id=actor_id,
        actor_role=role,
        agency_id=agency_id,
        message=message,
        is_internal=is_internal,
        data=data,
        at=now,
    )


def apply(
    report: Report,
    action: str,
    *,
    actor: User | None,
    role: str,
    mutate: Callable[[Report, datetime], None] | None = None,
    target: str | None = None,
    message: str = "",
    is_internal: bool = False,
    agency_id: int | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
    check_version: bool = True,
    expected_version: int | None = None,
    link: bool = True,
) -> ReportEvent:
    """Perform ``action`` on ``report`` inside the caller's transaction.

    The row is locked and re-read; if it changed since the caller saw it (another officer acted
    first) the caller gets ``Conflict`` and nothing is written. What the caller saw is
    ``expected_version`` (the report's ``event_count``, ADR 0002) when it names one, as a form or
    an API client does; else, with ``check_version``, the ``event_count`` of the caller's
    instance. ``target`` overrides the table's target for actions whose destination is chosen by
    the caller (forwarding).

    A service that changes several reports locks them all first (``core.locks.lock_reports``,
    id order), calls this with ``link=False`` for each and links the returned events together
    with one ``write_events`` call: the audit chain's heads are locked only after every report
    row (ADR 0015)."""
    assert transaction.get_connection().in_atomic_block, "report changes need a transaction"
    now = at or timezone.now()
    locked = lock_report(report.pk)
    _reuse_loaded(report, locked)
    seen = expected_version if expected_version is not None else report.event_count
    if (check_version or expected_version is not None) and locked.event_count != seen:
        raise Conflict(
            _(
                "Laporan ini baru saja diubah oleh petugas lain. Muat ulang halaman, periksa "
                "perubahannya, lalu ulangi tindakan Anda."
            ),
            code=ReportErrorCode.REPORT_CHANGED,
        )
    before = _values(locked)
    event = change(
        locked,
        action,
        actor_id=actor.pk if actor is not None else None,
        role=role,
        now=now,
        mutate=mutate,
        target=target,
        message=message,
        is_internal=is_internal,
        agency_id=agency_id,
        data=data,
    )
    locked.save(update_fields=_changed(locked, before))
    if not is_internal:
        from lapor.notifications.services import notify_report_event

        notify_report_event(locked, event)
    # Last: linking into the audit chain locks a head row until the commit, so everything
    # else is done before it to keep parallel writers waiting as briefly as possible.
    if link:
        write_events([event])
    _refresh(report, locked)
    return event


def _reuse_loaded(seen: Report, locked: Report) -> None:
    """The rows the caller has loaded already (the agency, unit or category its permission
    check read) serve the freshly locked copy too where it points at the same ones, so the
    notifications and webhooks written with the event do not read them again."""
    for name, row in seen._state.fields_cache.items():
        attname = _RELATIONS.get(name)
        if attname is not None and row is not None and getattr(locked, attname) == row.pk:
            locked._state.fields_cache[name] = row


def _values(report: Report) -> dict[str, Any]:
    return {f.attname: getattr(report, f.attname) for f in _FIELDS}


def _changed(report: Report, before: dict[str, Any]) -> list[str]:
    """The columns the change set (the row is locked: the others are as read). The UPDATE
    names only these, instead of rewriting every column of the report (its text too)."""
    return [
        f.attname
        for f in _FIELDS
        if not f.primary_key
        and (f.attname in _ALWAYS_SAVED or getattr(report, f.attname) != before[f.attname])
    ]


def _refresh(stale: Report, fresh: Report) -> None:
    """Let the caller's instance see the saved state (and the related rows loaded with it)."""
    for field in _FIELDS:
        setattr(stale, field.attname, getattr(fresh, field.attname))
    for cache in ("agency", "unit", "category", "merged_into", "sla_policy"):
        if cache in fresh._state.fields_cache:
            stale._state.fields_cache[cache] = fresh._state.fields_cache[cache]
        else:
            stale._state.fields_cache.pop(cache, None)
