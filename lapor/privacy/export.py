"""The reporter's copy of their personal data (UU PDP: the right to access and to a copy in a
machine-readable form): one JSON document per account, or per report for a guest.

It holds what the platform stores of them, as stored: identity and contact, each report's fields
and attachments' descriptions, the report's history as the reporter sees it
(``reports.privacy``), the supports they gave, the messages sent to them, and who read their
personal data (``AccessRecord``). Each download is itself recorded as an access (kind EXPORT), so
the reporter sees if somebody else used their secret to take a copy.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from lapor.notifications.models import Notification
from lapor.privacy.notice import NOTICE_VERSION
from lapor.reports import privacy
from lapor.reports.models import AccessRecord, Report, Supporter
from lapor.reports.selectors import report_events
from lapor.reports.services import record_access

if TYPE_CHECKING:
    from lapor.accounts.models import User

FORMAT = "lapor-personal-data/1"


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _report(report: Report, addresses: set[str]) -> dict[str, Any]:
    audience = privacy.Audience.REPORTER
    return {
        "tracking_id": report.tracking_id,
        "type": report.type,
        "title": report.title,
        "body": report.body,
        "category": report.category.name if report.category else None,
        "region": report.region.name,
        "latitude": str(report.latitude) if isinstance(report.latitude, Decimal) else None,
        "longitude": str(report.longitude) if isinstance(report.longitude, Decimal) else None,
        "incident_date": _when(report.incident_date),
        "channel": report.channel,
        "is_anonymous": report.is_anonymous,
        "is_confidential": report.is_confidential,
        "contact": {
            "name": report.contact_name,
            "email": report.contact_email,
            "phone": report.contact_phone,
        },
        "consent_version": report.consent_version,
        "identity_erased_at": _when(report.identity_erased_at),
        "status": report.status,
        "agency": report.agency.name if report.agency else None,
        "unit": report.unit.name if report.unit else None,
        "submitted_at": _when(report.submitted_at),
        "closed_at": _when(report.closed_at),
        "rating": report.rating,
        "attachments": [
            {
                "name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "uploaded_at": _when(a.created_at),
            }
            for a in report.attachments.order_by("pk")
        ],
        "timeline": [
            {
                "action": e.action,
                "label": e.label,
                "at": _when(e.at),
                "message": e.message,
                "agency": e.agency_name,
                "from_you": e.from_reporter,
            }
            for e in privacy.timeline(report, report_events(report), audience)
        ],
        "notifications": _notifications(
            Notification.objects.filter(report=report, recipient__in=addresses).order_by("pk")
        ),
        "access_log": access_log(report),
    }


def _notifications(rows: Iterable[Notification]) -> list[dict[str, Any]]:
    return [
        {
            "channel": n.channel,
            "to": n.recipient,
            "subject": n.subject,
            "body": n.body,
            "status": n.status,
            "created_at": _when(n.created_at),
            "sent_at": _when(n.sent_at),
        }
        for n in rows
    ]


def access_log(report: Report) -> list[dict[str, Any]]:
    """Who read the reporter's personal data, at which agency, when (oldest first)."""
    rows = report.access_records.select_related("actor", "agency").order_by("created_at", "pk")
    return [
        {
            "kind": r.kind,
            "label": str(AccessRecord.Kind(r.kind).label),
            "who": officer_name(r),
            "agency": r.agency.name if r.agency else None,
            "at": _when(r.created_at),
        }
        for r in rows
    ]


def officer_name(record: AccessRecord) -> str:
    """The reader's full name; never their user name (an officer's e-mail address)."""
    if record.kind == AccessRecord.Kind.EXPORT:
        return "pelapor"
    if record.actor is None:
        return ""
    return record.actor.get_full_name()


def _supports(rows: Iterable[Supporter]) -> list[dict[str, Any]]:
    found = []
    for s in rows:
        shown = privacy.is_public(s.report)
        found.append(
            {
                "tracking_id": s.report.tracking_id,
                "title": s.report.title if shown else None,
                "email": s.contact_email,
                "phone": s.contact_phone,
                "from_merged_report": s.source_report.tracking_id if s.source_report else None,
                "at": _when(s.created_at),
            }
        )
    return found


def _addresses(*values: str) -> set[str]:
    return {v for v in values if v}


def _document(**parts: Any) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "generated_at": _when(timezone.now()),
        "privacy_notice_version": NOTICE_VERSION,
        **parts,
    }


def _supporter_rows(query: Q) -> Iterable[Supporter]:
    return (
        Supporter.objects.filter(query)
        .select_related("report", "source_report")
        .order_by("created_at", "pk")
    )


def for_account(user: User) -> dict[str, Any]:
    """Everything of an account: the account, all its reports, the supports it gave."""
    reports = list(
        Report.objects.filter(reporter=user)
        .select_related("category", "region", "agency", "unit")
        .order_by("submitted_at", "pk")
    )
    own = _addresses(user.email, user.phone)
    supported = _supporter_rows(Q(user=user) | Q(source_report__in=reports))
    supported_ids = [s.report_id for s in supported]
    document = _document(
        account={
            "username": user.username,
            "name": user.get_full_name(),
            "email": user.email,
            "phone": user.phone,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        reports=[_report(r, own | _addresses(r.contact_email, r.contact_phone)) for r in reports],
        supports=_supports(supported),
        support_notifications=_notifications(
            Notification.objects.filter(report_id__in=supported_ids, recipient__in=own).order_by(
                "pk"
            )
        ),
    )
    for report in reports:
        record_access(report=report, actor=user, kind=AccessRecord.Kind.EXPORT)
    return document


def for_report(report: Report, *, user: User | None = None) -> dict[str, Any]:
    """A guest's copy, for the one report their secret proves."""
    addresses = _addresses(report.contact_email, report.contact_phone)
    if report.reporter is not None:
        addresses |= _addresses(report.reporter.email, report.reporter.phone)
    document = _document(
        reports=[_report(report, addresses)],
        supports=_supports(_supporter_rows(Q(source_report=report))),
    )
    record_access(report=report, actor=user, kind=AccessRecord.Kind.EXPORT)
    return document


def as_json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode()
