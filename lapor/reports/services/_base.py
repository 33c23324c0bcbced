"""The one path every report change takes: lock, check the transition, change, chain an event,
save, and schedule side effects for after the commit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
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


def precheck(report: Report, action: str) -> None:
    """Refuse early (before any argument is checked) an action the report's status forbids;
    ``apply`` checks again under the row lock."""
    lifecycle.transition(action, report.status, status_before=report.status_before)


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
) -> ReportEvent:
    """Perform ``action`` on ``report`` inside the caller's transaction.

    The row is locked and re-read; if it changed since the caller saw it (another officer acted
    first) the caller gets ``Conflict`` and nothing is written. What the caller saw is
    ``expected_version`` (the report's ``event_count``, ADR 0002) when it names one, as a form or
    an API client does; else, with ``check_version``, the ``event_count`` of the caller's
    instance. ``target`` overrides the table's target for actions whose destination is chosen by
    the caller (forwarding)."""
    assert transaction.get_connection().in_atomic_block, "report changes need a transaction"
    now = at or timezone.now()
    locked = lock_report(report.pk)
    seen = expected_version if expected_version is not None else report.event_count
    if (check_version or expected_version is not None) and locked.event_count != seen:
        raise Conflict(
            _(
                "Laporan ini baru saja diubah oleh petugas lain. Muat ulang halaman, periksa "
                "perubahannya, lalu ulangi tindakan Anda."
            ),
            code=ReportErrorCode.REPORT_CHANGED,
        )
    from_status = locked.status
    to_status = lifecycle.transition(action, from_status, status_before=locked.status_before)
    if target is not None:
        to_status = target
    locked.status = to_status
    if mutate is not None:
        mutate(locked, now)
    locked.updated_at = now
    event = build_event(
        locked,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor_id=actor.pk if actor is not None else None,
        actor_role=role,
        agency_id=agency_id,
        message=message,
        is_internal=is_internal,
        data=data,
        at=now,
    )
    locked.save()
    if not is_internal:
        from lapor.notifications.services import notify_report_event

        notify_report_event(locked, event)
    # Last: linking into the day chain locks the day's head row until the commit, so
    # everything else is done before it to keep parallel writers waiting as briefly as possible.
    write_events([event])
    _refresh(report, locked)
    return event


def _refresh(stale: Report, fresh: Report) -> None:
    """Let the caller's instance see the saved state."""
    for field in Report._meta.concrete_fields:
        setattr(stale, field.attname, getattr(fresh, field.attname))
    for cache in ("agency", "unit", "category", "merged_into", "sla_policy"):
        stale._state.fields_cache.pop(cache, None)
