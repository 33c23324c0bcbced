"""Background jobs of the report flow."""

from __future__ import annotations

from django_tasks import task

from lapor.reports.lifecycle import Status
from lapor.reports.models import Report


@task()
def route_report(report_id: int) -> str:
    """Route a newly submitted report. Until automatic routing exists, every report goes to
    the national triage queue, where a national admin verifies and disposes it. Idempotent:
    a report that has already moved on is left alone."""
    from lapor.reports.services import report_send_to_triage

    report = Report.objects.select_related("region", "category").get(pk=report_id)
    if report.status != Status.SUBMITTED:
        return report.status
    report_send_to_triage(report=report, reason="Menunggu verifikasi admin nasional.")
    return report.status
