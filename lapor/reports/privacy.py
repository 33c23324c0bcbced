"""The one place that decides what the public and the agency may see of a report and of its
reporter. Pages, feeds, APIs and exports ask here; none decides for itself.

- rahasia (``is_confidential``): the report is never public.
- anonim (``is_anonymous``): the reporter's identity is hidden from the public and from the
  agency; only the reporter (and the platform, to deliver messages) knows it.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lapor.reports.lifecycle import Status
from lapor.reports.models import Report


class Audience(StrEnum):
    PUBLIC = "public"
    OFFICER = "officer"
    REPORTER = "reporter"


def public_reports(queryset: QuerySet[Report] | None = None) -> QuerySet[Report]:
    """Reports the public may see: never rahasia, never merged-away duplicates."""
    qs = Report.objects.all() if queryset is None else queryset
    return qs.filter(is_confidential=False).exclude(status=Status.MERGED)


def is_public(report: Report) -> bool:
    return not report.is_confidential and report.status != Status.MERGED


def reporter_name(report: Report, audience: Audience) -> str:
    """The name to show for the reporter to ``audience``."""
    if audience == Audience.REPORTER or not report.is_anonymous:
        if report.reporter is not None:
            return report.reporter.display_name()
        return report.contact_name or _("Pelapor")
    return _("Anonim")


def reporter_contact(report: Report, audience: Audience) -> dict[str, str]:
    """Contact details an audience may see (officers only when the reporter is not anonim)."""
    if audience == Audience.PUBLIC:
        return {}
    if audience == Audience.OFFICER and report.is_anonymous:
        return {}
    email = report.contact_email or (report.reporter.email if report.reporter else "")
    phone = report.contact_phone or (report.reporter.phone if report.reporter else "")
    return {"email": email, "phone": phone}
