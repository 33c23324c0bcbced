"""Put a report into any lifecycle status for a test (set-up only: production code never writes
a status outside ``reports.services``)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from lapor.agencies.models import Agency
from lapor.reports.lifecycle import Status
from lapor.reports.models import Report
from tests.factories import submit


def report_in(
    status: str, *, agency: Agency, unit: Agency | None = None, **submit_kw
) -> tuple[Report, str]:
    sub = submit(**submit_kw)
    now = timezone.now()
    fields: dict = {"status": status}
    if status in (
        Status.DISPOSED,
        Status.IN_PROGRESS,
        Status.ANSWERED,
        Status.COMPLETED,
        Status.CLOSED,
    ):
        fields.update(agency=agency, disposed_at=now, due_at=now + timedelta(days=5))
    if status in (Status.IN_PROGRESS,):
        fields["unit"] = unit
    if status == Status.ANSWERED:
        fields.update(
            status_before=Status.DISPOSED,
            answered_at=now,
            autoclose_at=now + timedelta(days=14),
            due_at=None,
        )
    if status in (Status.COMPLETED, Status.CLOSED):
        fields.update(closed_at=now, rating=None, due_at=None)
    if status == Status.ON_HOLD:
        fields.update(status_before=Status.TRIAGE, hold_until=now + timedelta(days=3), due_at=None)
    if status == Status.AWAITING_REPORTER:
        fields.update(status_before=Status.TRIAGE, due_at=None)
    if status == Status.ARCHIVED:
        fields.update(archive_reason="Laporan tidak dapat ditindaklanjuti.", closed_at=now)
    if status == Status.MERGED:
        other = submit().report
        fields.update(merged_into=other, closed_at=now)
    Report.objects.filter(pk=sub.report.pk).update(**fields)
    sub.report.refresh_from_db()
    return sub.report, sub.secret
