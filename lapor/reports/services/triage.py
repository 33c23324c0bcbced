"""Routing a report to the agency that can act: triage, disposition, bukan wewenang."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from lapor.agencies.models import Agency
from lapor.core.errors import ValidationFailed
from lapor.reports import sla
from lapor.reports.error_codes import ReportErrorCode
from lapor.reports.lifecycle import Action, Status
from lapor.reports.models import Report
from lapor.reports.permissions import authorize
from lapor.reports.services._base import SYSTEM, apply, precheck

if TYPE_CHECKING:
    from lapor.accounts.models import User


def _receiving(agency: Agency | None, *, field: str = "to_agency") -> Agency:
    if agency is None or not agency.is_active or not agency.accepts_reports:
        raise ValidationFailed(
            _("Pilih instansi tujuan yang aktif dan menerima laporan."),
            code=ReportErrorCode.AGENCY_UNAVAILABLE,
            field=field,
        )
    return agency


def _to_agency(agency: Agency) -> Callable[[Report, datetime], None]:
    def mutate(report: Report, now: datetime) -> None:
        report.agency = agency
        report.unit = None
        report.disposed_at = now
        report.status_before = ""
        report.sla_policy = sla.policy_for(agency, report.category, report.submitted_at)
        sla.start_followup_clock(report, now)

    return mutate


def report_send_to_triage(
    *,
    report: Report,
    reason: str = "",
    actor: User | None = None,
    data: dict | None = None,
    expected_version: int | None = None,
) -> Report:
    """No confident route: the report waits in the national triage queue."""
    precheck(report, Action.TRIAGE)
    with transaction.atomic():
        role = authorize(actor, report, Action.TRIAGE) if actor else SYSTEM
        apply(
            report,
            Action.TRIAGE,
            expected_version=expected_version,
            actor=actor,
            role=role,
            message=reason,
            is_internal=True,
            data=data,
        )
    return report


def report_dispose(
    *,
    report: Report,
    to_agency: Agency,
    actor: User | None,
    note: str = "",
    data: dict | None = None,
    expected_version: int | None = None,
) -> Report:
    """Verify the report and dispose it to an agency (national admin, or confident routing)."""
    precheck(report, Action.DISPOSE)
    agency = _receiving(to_agency)
    with transaction.atomic():
        role = authorize(actor, report, Action.DISPOSE) if actor else SYSTEM
        apply(
            report,
            Action.DISPOSE,
            expected_version=expected_version,
            actor=actor,
            role=role,
            mutate=_to_agency(agency),
            agency_id=agency.pk,
            message=note,
            data={"to": agency.code, **(data or {})},
        )
    return report


def report_dispose_unit(
    *,
    report: Report,
    unit: Agency,
    actor: User,
    note: str = "",
    expected_version: int | None = None,
) -> Report:
    """Forward a disposed report to a unit inside the agency (a dinas, a hospital, ...)."""
    precheck(report, Action.DISPOSE_UNIT)
    unit = _receiving(unit, field="unit")
    if report.agency is None or not unit.is_within(report.agency) or unit == report.agency:
        raise ValidationFailed(
            _("Unit kerja harus berada di bawah instansi yang menangani laporan."),
            code=ReportErrorCode.UNIT_OUTSIDE_AGENCY,
            field="unit",
        )

    def mutate(r: Report, now: datetime) -> None:
        r.unit = unit
        sla.start_followup_clock(r, now)

    with transaction.atomic():
        role = authorize(actor, report, Action.DISPOSE_UNIT)
        apply(
            report,
            Action.DISPOSE_UNIT,
            expected_version=expected_version,
            actor=actor,
            role=role,
            mutate=mutate,
            agency_id=unit.pk,
            message=note,
            data={"to": unit.code},
        )
    return report


def report_not_authority(
    *,
    report: Report,
    actor: User,
    reason: str,
    suggested_agency: Agency | None = None,
    expected_version: int | None = None,
) -> Report:
    """Bukan wewenang: the report goes back to national triage with the agency's reason."""
    precheck(report, Action.NOT_AUTHORITY)
    if len(reason.strip()) < 10:
        raise ValidationFailed(
            _("Jelaskan mengapa laporan ini bukan wewenang instansi Anda."),
            code=ReportErrorCode.REASON_REQUIRED,
            field="reason",
        )
    previous = report.agency

    def mutate(r: Report, now: datetime) -> None:
        r.agency = None
        r.unit = None
        r.status_before = ""
        r.sla_policy = sla.policy_for(None, r.category, r.submitted_at)
        sla.resume_clock(r, now)

    data = {"from": previous.code if previous else None}
    if suggested_agency is not None:
        data["suggested"] = suggested_agency.code
    with transaction.atomic():
        role = authorize(actor, report, Action.NOT_AUTHORITY)
        apply(
            report,
            Action.NOT_AUTHORITY,
            expected_version=expected_version,
            actor=actor,
            role=role,
            mutate=mutate,
            message=reason.strip(),
            data=data,
        )
    return report


def report_forward(
    *,
    report: Report,
    to_agency: Agency,
    actor: User,
    reason: str,
    expected_version: int | None = None,
) -> Report:
    """Bukan wewenang, and the agency names who is: the report goes straight there."""
    precheck(report, Action.FORWARD)
    agency = _receiving(to_agency)
    if report.agency is not None and agency.is_within(report.agency):
        raise ValidationFailed(
            _("Untuk unit di dalam instansi sendiri, gunakan disposisi ke unit."),
            code=ReportErrorCode.FORWARD_INSIDE,
            field="to_agency",
        )
    if len(reason.strip()) < 10:
        raise ValidationFailed(
            _("Jelaskan mengapa laporan ini diteruskan."),
            code=ReportErrorCode.REASON_REQUIRED,
            field="reason",
        )
    with transaction.atomic():
        role = authorize(actor, report, Action.FORWARD)
        apply(
            report,
            Action.FORWARD,
            expected_version=expected_version,
            actor=actor,
            role=role,
            mutate=_to_agency(agency),
            target=Status.DISPOSED,
            agency_id=agency.pk,
            message=reason.strip(),
            data={"from": report.agency.code if report.agency else None, "to": agency.code},
        )
    return report
