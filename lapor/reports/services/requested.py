"""The agency the citizen named: routing's decision on it, as a disposition with its reason."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from lapor.agencies.models import Agency
from lapor.reports.lifecycle import Action
from lapor.reports.models import Report
from lapor.reports.services._base import SYSTEM, apply, precheck
from lapor.reports.services.triage import _receiving, _to_agency


def report_dispose_requested(
    *,
    report: Report,
    to_agency: Agency,
    decision: dict[str, Any],
    note: str,
    data: dict[str, Any] | None = None,
) -> Report:
    """Dispose a report whose reporter named an agency, to the agency routing decided on
    (the named one, its unit, or another one), keeping the decision on the report for the
    track page and, with routing's ranking, in the event (``routing.requested``)."""
    precheck(report, Action.DISPOSE)
    agency = _receiving(to_agency)
    dispose = _to_agency(agency)

    def mutate(r: Report, now: datetime) -> None:
        dispose(r, now)
        r.requested_decision = decision

    with transaction.atomic():
        apply(
            report,
            Action.DISPOSE,
            actor=None,
            role=SYSTEM,
            mutate=mutate,
            agency_id=agency.pk,
            message=note,
            data={"to": agency.code, **(data or {}), "requested": decision},
        )
    return report
