"""Background jobs of the report flow."""

from __future__ import annotations

from django_tasks import task

from lapor.reports.lifecycle import Status
from lapor.reports.models import Report


@task()
def route_report(report_id: int) -> str:
    """Route a newly submitted report: dispose it when the router is confident, otherwise
    send it to the national triage queue with the ranked suggestions and their reasons.
    Idempotent: a report that has already moved on is left alone."""
    from lapor.agencies.models import Agency
    from lapor.reports.services import report_dispose, report_send_to_triage
    from lapor.routing.router import route

    report = Report.objects.select_related("region", "category").get(pk=report_id)
    if report.status != Status.SUBMITTED:
        return report.status
    from lapor.routing.duplicates import find_duplicates, index_report

    duplicates = find_duplicates(report)
    index_report(report)
    routing = route(
        title=report.title,
        body=report.body,
        region_code=report.region_id,
        latitude=report.latitude,
        longitude=report.longitude,
    )
    data: dict = {"routing": routing.as_data()}
    if duplicates:
        # Officers see the open reports this one repeats, to merge (report_merge).
        data["duplicates"] = [
            {"report": d.report_id, "tracking_id": d.tracking_id, "similarity": d.similarity}
            for d in duplicates
        ]
    best = routing.best
    if best is not None and routing.confident:
        agency = Agency.objects.get(code=best.agency)
        report_dispose(
            report=report,
            to_agency=agency,
            actor=None,
            note="Didisposisikan otomatis: " + "; ".join(best.reasons),
            data=data,
        )
        return report.status
    reason = "Menunggu verifikasi admin nasional."
    if best is not None:
        reason += f" Saran perutean: {best.name} (keyakinan {best.confidence:.0%})."
    report_send_to_triage(report=report, reason=reason, data=data)
    return report.status
