"""How far a report is from its deadline, in working days of the handling office's zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lapor.core.timefmt import format_local
from lapor.core.workdays import working_days_between
from lapor.regions.models import WIB
from lapor.reports.lifecycle import Status
from lapor.reports.models import Report


@dataclass(frozen=True)
class SlaState:
    text: str
    css: str  # "sla-late", "sla-soon" or ""


def zone_of(report: Report) -> str:
    """The zone of the office whose clock runs: the handling agency's, else the region's."""
    handler = report.unit or report.agency
    if handler is not None:
        return handler.timezone
    return report.region.timezone if report.region_id else WIB


def sla_state(report: Report, now: datetime) -> SlaState:
    tz = zone_of(report)
    if report.due_at is None:
        if report.status == Status.ON_HOLD and report.hold_until:
            return SlaState(
                _("ditunda sampai %(date)s") % {"date": format_local(report.hold_until, tz)}, ""
            )
        if report.status == Status.AWAITING_REPORTER:
            return SlaState(_("jam berhenti: menunggu pelapor"), "")
        return SlaState("—", "")
    if report.due_at < now or report.overdue_since is not None:
        late = working_days_between(report.due_at, now, tz)
        if late <= 0:
            return SlaState(_("terlambat hari ini"), "sla-late")
        return SlaState(
            ngettext("terlambat %(n)d hari kerja", "terlambat %(n)d hari kerja", late)
            % {"n": late},
            "sla-late",
        )
    left = working_days_between(now, report.due_at, tz)
    if left <= 0:
        return SlaState(_("batas waktu hari ini"), "sla-soon")
    return SlaState(
        ngettext("batas %(n)d hari kerja lagi", "batas %(n)d hari kerja lagi", left) % {"n": left},
        "sla-soon" if left <= 1 else "",
    )
