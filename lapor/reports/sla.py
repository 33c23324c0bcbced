"""SLA: which policy applies, and the pure calculation of each deadline.

Policies are data (``categories.SlaPolicy``), versioned; a report keeps the version in force
when it arrived. Deadlines are counted in working days in the zone of the office whose clock is
running: the handling agency's once disposed, the region's before.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q

from lapor.agencies.models import Agency
from lapor.categories.models import Category, SlaPolicy
from lapor.core.workdays import add_working_days
from lapor.regions.models import WIB
from lapor.reports.models import Report

NATIONAL_ZONE = WIB


def policy_for(agency: Agency | None, category: Category | None, at: datetime) -> SlaPolicy:
    """The most specific policy in force at ``at``: agency+category, then agency, then
    category (or its parent), then the national default; the newest version of that scope."""
    categories = [c.pk for c in (category, category.parent if category else None) if c]
    agencies = [a.pk for a in (agency,) if a]
    scope = Q(agency__isnull=True, category__isnull=True)
    if agencies:
        scope |= Q(agency_id__in=agencies, category__isnull=True)
    if categories:
        scope |= Q(agency__isnull=True, category_id__in=categories)
    if agencies and categories:
        scope |= Q(agency_id__in=agencies, category_id__in=categories)
    candidates = list(SlaPolicy.objects.filter(scope, effective_from__lte=at))

    def rank(p: SlaPolicy) -> tuple[int, int, int]:
        specificity = (2 if p.agency_id else 0) + (1 if p.category_id else 0)
        exact_category = 1 if category and p.category_id == category.pk else 0
        return (specificity, exact_category, p.version)

    if not candidates:
        return SlaPolicy.objects.get_or_create(
            agency=None, category=None, version=1, defaults={"note": "Bawaan nasional"}
        )[0]
    return max(candidates, key=rank)


def clock_zone(report: Report) -> str:
    handler = report.unit or report.agency
    if handler is not None:
        return handler.timezone
    return report.region.timezone if report.region_id else NATIONAL_ZONE


def start_verify_clock(report: Report, now: datetime) -> None:
    policy = report.sla_policy
    report.verify_due_at = add_working_days(now, policy.verify_days, clock_zone(report))
    report.completion_due_at = now + timedelta(days=policy.completion_days)
    _run_clock(report, report.verify_due_at, now)


def start_followup_clock(report: Report, now: datetime) -> None:
    policy = report.sla_policy
    report.followup_due_at = add_working_days(now, policy.followup_days, clock_zone(report))
    _run_clock(report, report.followup_due_at, now)


def resume_clock(report: Report, now: datetime) -> None:
    """Back in a running status after a pause: the clock of that status starts afresh."""
    if report.agency_id:
        start_followup_clock(report, now)
    else:
        report.verify_due_at = add_working_days(
            now, report.sla_policy.verify_days, clock_zone(report)
        )
        _run_clock(report, report.verify_due_at, now)


def pause_clock(report: Report) -> None:
    report.due_at = None
    report.overdue_since = None
    report.escalate_at = None


def start_autoclose_timer(report: Report, now: datetime) -> None:
    pause_clock(report)
    report.autoclose_at = add_working_days(
        now, report.sla_policy.autoclose_days, clock_zone(report)
    )


def appeal_open_until(report: Report) -> datetime | None:
    if report.closed_at is None:
        return None
    return add_working_days(
        report.closed_at, report.sla_policy.appeal_window_days, clock_zone(report)
    )


def _run_clock(report: Report, due: datetime, now: datetime) -> None:
    report.due_at = due
    report.overdue_since = None
    report.escalation_level = 0
    report.escalate_at = None
    report.autoclose_at = None
