"""Recording who read a reporter's personal data or a confidential part of a report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lapor.reports.models import AccessRecord, Attachment, Report

if TYPE_CHECKING:
    from lapor.accounts.models import User
    from lapor.agencies.models import Agency


def record_access(
    *,
    report: Report,
    actor: User | None,
    kind: str,
    agency: Agency | None = None,
    attachment: Attachment | None = None,
) -> AccessRecord:
    """One row per reading; written in its own statement (no report lock, no audit chain),
    so reading never waits on writers."""
    return AccessRecord.objects.create(
        report=report, actor=actor, kind=kind, agency=agency, attachment=attachment
    )
