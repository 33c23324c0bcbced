"""The reporter withdraws a report no agency has acted on yet.

No new status or action: a withdrawal is the lifecycle's ``archive`` taken by the reporter
(``actor_role`` ``reporter``), with the reporter's reason, and only while the report is still
before any agency (submitted or in national triage, never disposed). Once an agency holds it,
the reporter asks it to stop through a reply instead, and the agency archives it with a reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from lapor.core.errors import ValidationFailed
from lapor.reports import sla
from lapor.reports.error_codes import ReportErrorCode
from lapor.reports.lifecycle import BEFORE_AGENCY, Action, TransitionError
from lapor.reports.models import Report
from lapor.reports.services._base import REPORTER, apply, precheck
from lapor.reports.services.reporter import _reporter_role

if TYPE_CHECKING:
    from lapor.accounts.models import User

WITHDRAWN = "withdrawn"  # the event's data: {"withdrawn": true}


def can_withdraw(report: Report) -> bool:
    """Whether the report is still before any agency (nobody has acted on it)."""
    return report.status in BEFORE_AGENCY and report.agency_id is None


def report_withdraw(
    *,
    report: Report,
    reason: str,
    user: User | None = None,
    secret: str = "",
    expected_version: int | None = None,
) -> Report:
    """Archive the reporter's own report at their request, before any agency acted on it."""
    precheck(report, Action.ARCHIVE)
    _reporter_role(report, user, secret)
    if not can_withdraw(report):
        raise TransitionError(Action.ARCHIVE, report.status)
    reason = " ".join(reason.split())
    if len(reason) < 5:
        raise ValidationFailed(
            _("Tulis alasan singkat mengapa laporan ditarik (paling sedikit 5 karakter)."),
            code=ReportErrorCode.REASON_REQUIRED,
            field="reason",
        )
    message = _("Ditarik oleh pelapor: %(reason)s") % {"reason": reason}

    def mutate(r: Report, now: datetime) -> None:
        # Re-checked under the row lock (the status is already the new one here): an officer
        # may have disposed the report since the reporter loaded the page.
        if r.agency_id is not None:
            raise TransitionError(Action.ARCHIVE, report.status)
        r.archive_reason = message
        r.closed_at = now
        r.status_before = ""
        r.hold_until = None
        sla.pause_clock(r)

    with transaction.atomic():
        apply(
            report,
            Action.ARCHIVE,
            expected_version=expected_version,
            actor=user if report.reporter_id else None,
            role=REPORTER,
            mutate=mutate,
            message=message,
            data={WITHDRAWN: True},
        )
    return report
