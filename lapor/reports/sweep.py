"""The SLA sweep: the system's own actions on reports whose time has come.

Four kinds, each found through its partial index on ``Report`` and processed in chunks of ids:

- ``overdue``: the running clock ran out (``report_clock_due``): mark it overdue, set the
  escalation deadline, tell the agency admins (the national admins before disposition);
- ``escalated``: still late at the escalation deadline (``report_escalate_due``): escalate to
  the national admins;
- ``auto_closed``: answered and no reply from the reporter in time (``report_autoclose_due``):
  close it and tell the reporter;
- ``resumed``: the hold has ended (``report_hold_due``): the clock runs again.

Each chunk is one transaction: lock the rows (ascending id), re-check the condition under the
lock (an officer may have acted since the ids were read), change the reports, chain one event
each (one ``write_events`` call), ``bulk_update`` the rows and write the notifications. The sweep
is idempotent: a report it changed no longer matches, so a second run right after changes
nothing. It then re-enqueues the jobs nobody is going to run: notification deliveries
(``notifications.delivery.requeue_stale``) and routings (``tasks.requeue_unrouted``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import task

from lapor.agencies.models import Agency, Membership
from lapor.categories.models import SlaPolicy
from lapor.core.locks import lock_reports
from lapor.core.workdays import add_working_days
from lapor.notifications import services as notify
from lapor.notifications.texts import local_time
from lapor.regions.models import Region
from lapor.reports import sla
from lapor.reports.events import seal_days, write_events
from lapor.reports.lifecycle import CLOCK_RUNS, Action, Status
from lapor.reports.models import Report, ReportEvent
from lapor.reports.services import changes
from lapor.reports.services._base import change

SYSTEM_ROLE = "system"
ESCALATED = 2
HEAD_FIELDS = ["event_count", "last_event_hash", "updated_at"]


@dataclass
class SweepResult:
    overdue: int = 0
    escalated: int = 0
    auto_closed: int = 0
    resumed: int = 0
    notifications_requeued: int = 0
    routing_requeued: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    @property
    def changed(self) -> int:
        return self.overdue + self.escalated + self.auto_closed + self.resumed


@dataclass(frozen=True)
class Kind:
    name: str
    candidates: Callable[[datetime], QuerySet[Report]]
    is_due: Callable[[Report, datetime], bool]
    change: Callable[[Report, datetime], ReportEvent]
    fields: list[str]
    notify: Callable[[list[tuple[Report, ReportEvent]], datetime], None]


@lru_cache(maxsize=8192)
def _working_days_after(local_day: date, days: int, zone: str) -> datetime:
    return add_working_days(
        datetime.combine(local_day, time(12), tzinfo=ZoneInfo(zone)), days, zone
    )


def _escalate_at(report: Report) -> datetime:
    assert report.due_at is not None
    zone = sla.clock_zone(report)
    local_day = report.due_at.astimezone(ZoneInfo(zone)).date()
    return _working_days_after(local_day, report.sla_policy.escalate_after_days, zone)


def _change(
    report: Report,
    action: str,
    now: datetime,
    *,
    mutate: Callable[[Report, datetime], None] | None = None,
    message: str = "",
    is_internal: bool = False,
    data: dict[str, object] | None = None,
) -> ReportEvent:
    """The system's ``action`` on a row locked by the chunk, through the same code as every
    service (``services._base.change``: the transition table, then the action's ``mutate``)."""
    return change(
        report,
        action,
        actor_id=None,
        role=SYSTEM_ROLE,
        now=now,
        mutate=mutate,
        message=message,
        is_internal=is_internal,
        agency_id=report.agency_id,
        data=data,
    )


# --- overdue ---------------------------------------------------------------------------------


def _overdue_candidates(now: datetime) -> QuerySet[Report]:
    return Report.objects.filter(
        status__in=sorted(CLOCK_RUNS), overdue_since__isnull=True, due_at__lt=now
    )


def _overdue_due(r: Report, now: datetime) -> bool:
    return (
        r.status in CLOCK_RUNS
        and r.overdue_since is None
        and r.due_at is not None
        and r.due_at < now
    )


def _mark_overdue(r: Report, now: datetime) -> ReportEvent:
    assert r.due_at is not None
    escalate_at = _escalate_at(r)

    def mutate(r: Report, now: datetime) -> None:
        r.escalate_at = escalate_at
        r.overdue_since = now
        r.escalation_level = 1

    return _change(
        r,
        Action.MARK_OVERDUE,
        now,
        mutate=mutate,
        is_internal=True,
        message=f"Batas waktu {local_time(r.due_at, sla.clock_zone(r))} terlewati.",
        data={"due_at": r.due_at.isoformat(), "escalate_at": escalate_at.isoformat()},
    )


def _notify_overdue(pairs: list[tuple[Report, ReportEvent]], now: datetime) -> None:
    by_agency: dict[int | None, list[Report]] = defaultdict(list)
    for r, _ in pairs:
        by_agency[r.agency_id].append(r)
    agency_ids = [a for a in by_agency if a is not None]
    admins = notify.staff_of(agency_ids, Membership.Role.AGENCY_ADMIN)
    agencies = Agency.objects.only("name", "timezone").in_bulk(agency_ids)
    for agency_id, reports in by_agency.items():
        agency = agencies.get(agency_id) if agency_id else None
        notify.notify_staff_digest(
            kind=Action.MARK_OVERDUE,
            recipients=admins.get(agency.pk, []) if agency else notify.national_admins(),
            reports=reports,
            agency_name=agency.name if agency else "antrean verifikasi nasional",
            deadlines={r.pk: r.due_at for r in reports},
            zone=agency.timezone if agency else sla.NATIONAL_ZONE,
        )


# --- escalation ------------------------------------------------------------------------------


def _escalate_candidates(now: datetime) -> QuerySet[Report]:
    return Report.objects.filter(
        status__in=sorted(CLOCK_RUNS), escalation_level__lt=ESCALATED, escalate_at__lt=now
    )


def _escalate_due(r: Report, now: datetime) -> bool:
    return (
        r.status in CLOCK_RUNS
        and r.escalation_level < ESCALATED
        and r.escalate_at is not None
        and r.escalate_at < now
    )


def _escalate(r: Report, now: datetime) -> ReportEvent:
    return _change(
        r,
        Action.ESCALATE,
        now,
        mutate=lambda r, now: setattr(r, "escalation_level", ESCALATED),
        is_internal=True,
        message="Masih terlambat setelah batas eskalasi; dieskalasi ke admin nasional.",
        data={"level": ESCALATED, "due_at": r.due_at.isoformat() if r.due_at else None},
    )


def _notify_escalated(pairs: list[tuple[Report, ReportEvent]], now: datetime) -> None:
    reports = [r for r, _ in pairs]
    notify.notify_staff_digest(
        kind=Action.ESCALATE,
        recipients=notify.national_admins(),
        reports=reports,
        agency_name="berbagai instansi",
        deadlines={r.pk: r.due_at for r in reports},
        zone=sla.NATIONAL_ZONE,
    )


# --- automatic close -------------------------------------------------------------------------


def _autoclose_candidates(now: datetime) -> QuerySet[Report]:
    return Report.objects.filter(status=Status.ANSWERED, autoclose_at__lt=now)


def _autoclose_due(r: Report, now: datetime) -> bool:
    return r.status == Status.ANSWERED and r.autoclose_at is not None and r.autoclose_at < now


def _autoclose(r: Report, now: datetime) -> ReportEvent:
    # The same change as an officer's ``report_complete``: ``changes.close``.
    return _change(
        r,
        Action.AUTO_CLOSE,
        now,
        mutate=changes.close,
        message="Tidak ada tanggapan pelapor sampai batas waktu; laporan ditutup otomatis.",
        data={"autoclose_at": r.autoclose_at.isoformat() if r.autoclose_at else None},
    )


# --- end of hold -----------------------------------------------------------------------------


def _resume_candidates(now: datetime) -> QuerySet[Report]:
    return Report.objects.filter(status=Status.ON_HOLD, hold_until__lt=now)


def _resume_due(r: Report, now: datetime) -> bool:
    return r.status == Status.ON_HOLD and r.hold_until is not None and r.hold_until < now


def _resume(r: Report, now: datetime) -> ReportEvent:
    # The same change as an officer's ``report_resume``: ``changes.resume``.
    return _change(
        r,
        Action.RESUME,
        now,
        mutate=changes.resume,
        message="Masa penundaan berakhir; penanganan dilanjutkan.",
        data={"hold_until": r.hold_until.isoformat() if r.hold_until else None},
    )


def _notify_reporters(pairs: list[tuple[Report, ReportEvent]], now: datetime) -> None:
    notify.notify_report_events(pairs)


CLOCK_FIELDS = [
    "due_at",
    "verify_due_at",
    "followup_due_at",
    "overdue_since",
    "escalate_at",
    "escalation_level",
    "autoclose_at",
]
KINDS: tuple[Kind, ...] = (
    Kind(
        "overdue",
        _overdue_candidates,
        _overdue_due,
        _mark_overdue,
        ["overdue_since", "escalation_level", "escalate_at"],
        _notify_overdue,
    ),
    Kind(
        "escalated",
        _escalate_candidates,
        _escalate_due,
        _escalate,
        ["escalation_level"],
        _notify_escalated,
    ),
    Kind(
        "auto_closed",
        _autoclose_candidates,
        _autoclose_due,
        _autoclose,
        ["status", "closed_at", "autoclose_at", "status_before"],
        _notify_reporters,
    ),
    Kind(
        "resumed",
        _resume_candidates,
        _resume_due,
        _resume,
        ["status", "status_before", "hold_until", *CLOCK_FIELDS],
        _notify_reporters,
    ),
)


def _attach_related(reports: list[Report]) -> None:
    """Load the policies, agencies and regions of a chunk in three queries and attach them,
    so deadlines are computed without a query per report."""
    policies = SlaPolicy.objects.in_bulk({r.sla_policy_id for r in reports})
    agencies = Agency.objects.only("name", "timezone").in_bulk(
        {a for r in reports for a in (r.agency_id, r.unit_id) if a}
    )
    regions = Region.objects.only("timezone").in_bulk({r.region_id for r in reports})
    for r in reports:
        r.sla_policy = policies[r.sla_policy_id]
        r.region = regions[r.region_id]
        r.agency = agencies.get(r.agency_id) if r.agency_id else None
        r.unit = agencies.get(r.unit_id) if r.unit_id else None


def _bulk_set(reports: list[Report], names: list[str]) -> None:
    """Write ``names`` of every report in one statement. On PostgreSQL an ``UPDATE ... FROM
    (VALUES ...)``: Django's ``bulk_update`` builds one CASE per field over all ids, which
    costs seconds per thousand rows to compile and to plan."""
    if connection.vendor != "postgresql":
        Report.objects.bulk_update(reports, names, batch_size=500)
        return
    fields = [Report._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    pk_type = Report._meta.pk.db_type(connection)
    casts = [f"%s::{pk_type}"] + [f"%s::{f.db_type(connection)}" for f in fields]
    row = "(" + ", ".join(casts) + ")"
    columns = [quote(f.column) for f in fields]  # type: ignore[union-attr,arg-type]
    # Only names from the model's own metadata are interpolated; every value is a parameter.
    sql = "UPDATE {table} AS r SET {sets} FROM (VALUES {rows}) AS v(id, {cols}) WHERE r.id = v.id"
    sql = sql.format(
        table=quote(Report._meta.db_table),
        sets=", ".join(f"{c} = v.{c}" for c in columns),
        rows=", ".join([row] * len(reports)),
        cols=", ".join(columns),
    )
    params: list[Any] = []
    for r in reports:
        params.append(r.pk)
        params.extend(
            f.get_db_prep_save(getattr(r, f.attname), connection)  # type: ignore[union-attr]
            for f in fields
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _process_chunk(kind: Kind, ids: list[int], now: datetime) -> int:
    with transaction.atomic():
        locked = lock_reports(ids)
        reports = [r for r in locked.values() if kind.is_due(r, now)]
        if not reports:
            return 0
        _attach_related(reports)
        pairs = [(r, kind.change(r, now)) for r in reports]
        write_events([e for _, e in pairs])
        _bulk_set(reports, [*kind.fields, *HEAD_FIELDS])
        kind.notify(pairs, now)
    return len(reports)


def run_sweep(
    *, now: datetime | None = None, batch_size: int = 1000, requeue: bool = True
) -> SweepResult:
    """Run every kind of the sweep once, then (``requeue``) re-enqueue the jobs of
    notifications and routings nobody is going to run; how many of each."""
    from lapor.notifications.delivery import requeue_stale
    from lapor.reports.tasks import requeue_unrouted

    now = now or timezone.now()
    result = SweepResult()
    for kind in KINDS:
        ids = sorted(kind.candidates(now).values_list("pk", flat=True))
        done = 0
        for start in range(0, len(ids), batch_size):
            done += _process_chunk(kind, ids[start : start + batch_size], now)
        setattr(result, kind.name, done)
    if requeue:
        result.notifications_requeued = requeue_stale(now=now)
        result.routing_requeued = requeue_unrouted(now=now)
    return result


@task()
def sla_sweep() -> dict[str, int]:
    """The periodic SLA sweep (enqueued by ``lapor worker`` once per interval)."""
    return run_sweep().as_dict()


@task()
def audit_seal() -> int:
    """The hourly seal of every finished UTC day's audit chains (``events.seal_days``); the
    number of days sealed."""
    return seal_days()
