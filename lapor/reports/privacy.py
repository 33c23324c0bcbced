"""The one place that decides what the public and the agency may see of a report and of its
reporter. Pages, feeds, APIs and exports ask here; none decides for itself.

- rahasia (``is_confidential``): the report is never public.
- anonim (``is_anonymous``): the reporter's identity is hidden from the public and from the
  agency; only the reporter (and the platform, to deliver messages) knows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lapor.reports.lifecycle import Action, Status
from lapor.reports.models import Attachment, Report, ReportEvent


class Audience(StrEnum):
    PUBLIC = "public"
    OFFICER = "officer"
    REPORTER = "reporter"
    # Somebody holding only the tracking ID (the track page without the secret): the steps of
    # any report, but the public's view of its content and nothing of its reporter.
    TRACKER = "tracker"


def public_reports(queryset: QuerySet[Report] | None = None) -> QuerySet[Report]:
    """Reports the public may see: never rahasia, never merged-away duplicates."""
    qs = Report.objects.all() if queryset is None else queryset
    return qs.filter(is_confidential=False).exclude(status=Status.MERGED)


def is_public(report: Report) -> bool:
    return is_public_state(report.is_confidential, report.status)


def is_public_state(is_confidential: bool, status: str) -> bool:
    """``is_public`` from the two columns it reads (for a caller holding a raw row)."""
    return not is_confidential and status != Status.MERGED


# A public point is the stored one rounded to about 110 m, so no public pin, feed or API points
# at the house a report was sent from (ADR 0021). Officers and the reporter see the point as
# stored.
PUBLIC_POINT_STEP = Decimal("0.001")


def public_coordinate(value: Decimal | float | None) -> float | None:
    """A latitude or longitude as the public may see it."""
    if value is None:
        return None
    return float(Decimal(str(value)).quantize(PUBLIC_POINT_STEP, rounding=ROUND_HALF_EVEN))


def reporter_name(report: Report, audience: Audience) -> str:
    """The name to show for the reporter to ``audience``."""
    if audience == Audience.TRACKER:
        return _("Pelapor")
    if audience == Audience.REPORTER or not report.is_anonymous:
        if report.reporter is not None:
            return report.reporter.display_name()
        return report.contact_name or _("Pelapor")
    return _("Anonim")


def reporter_contact(report: Report, audience: Audience) -> dict[str, str]:
    """Contact details an audience may see (officers only when the reporter is not anonim)."""
    if audience in (Audience.PUBLIC, Audience.TRACKER):
        return {}
    if audience == Audience.OFFICER and report.is_anonymous:
        return {}
    email = report.contact_email or (report.reporter.email if report.reporter else "")
    phone = report.contact_phone or (report.reporter.phone if report.reporter else "")
    return {"email": email, "phone": phone}


# What the history of a report shows. The public sees the steps of a public report and the
# agency's answers; a tracking-ID holder sees the steps of any report, and the answers only of a
# public one; the reporter also sees every message meant for them: clarification requests,
# their own replies, ratings and appeals.
PUBLIC_MESSAGE_ACTIONS = frozenset({Action.FOLLOW_UP, Action.COMPLETE})

# What a supporter hears by e-mail or SMS: the public steps of a report while it is public, with
# the text only of the agency's answers (``PUBLIC_MESSAGE_ACTIONS``); never what is addressed to
# the reporter (a clarification request, which may name them or ask for their KTP).
SUPPORTER_ACTIONS = frozenset(
    {
        Action.DISPOSE,
        Action.FORWARD,
        Action.NOT_AUTHORITY,
        Action.HOLD,
        Action.RESUME,
        Action.FOLLOW_UP,
        Action.COMPLETE,
        Action.AUTO_CLOSE,
        Action.ARCHIVE,
        Action.REOPEN,
    }
)


def tells_supporters(report: Report, event: ReportEvent) -> bool:
    """Whether the supporters of ``report`` may hear of ``event`` (the report as it is after it)."""
    return is_public(report) and not event.is_internal and event.action in SUPPORTER_ACTIONS


def lifts_protection(report: Report, *, is_anonymous: bool, is_confidential: bool) -> bool:
    """Whether these settings would take away anonim or rahasia: only the reporter may."""
    return (report.is_anonymous and not is_anonymous) or (
        report.is_confidential and not is_confidential
    )


@dataclass(frozen=True)
class TimelineEntry:
    action: str
    label: str
    at: datetime
    message: str
    agency_name: str
    from_reporter: bool


def timeline(
    report: Report, events: Iterable[ReportEvent], audience: Audience
) -> list[TimelineEntry]:
    """The entries of ``events`` (the report's, in order) that ``audience`` may see."""
    if audience == Audience.PUBLIC and not is_public(report):
        return []
    entries = []
    for event in events:
        if event.is_internal:
            continue
        show_message = audience in (Audience.REPORTER, Audience.OFFICER) or (
            event.action in PUBLIC_MESSAGE_ACTIONS and is_public(report)
        )
        entries.append(
            TimelineEntry(
                action=event.action,
                label=str(Action(event.action).label),
                at=event.created_at,
                message=event.message if show_message else "",
                agency_name=event.agency.name if event.agency_id and event.agency else "",
                from_reporter=event.actor_role == "reporter",
            )
        )
    return entries


def shows_content(report: Report, audience: Audience) -> bool:
    """Whether ``audience`` may read the title and text: the reporter always; everyone else
    (including a visitor holding only the tracking ID) only for a public report."""
    return audience == Audience.REPORTER or is_public(report)


def shows_requested_agency(report: Report, audience: Audience) -> bool:
    """Whether ``audience`` may see which agency the reporter named and routing's decision on
    it: the reporter and officers always; anyone else only for a public report. The choice is
    the reporter's own words about the case (naming the KPK or an Inspektorat tells what a
    rahasia report is about), so it is treated like the report's content."""
    return audience in (Audience.REPORTER, Audience.OFFICER) or is_public(report)


# Attachments the public may ever see: photos, which are cleaned of their location and camera
# data when they are stored (``core.files``). A PDF is stored as sent, author and all.
PUBLIC_ATTACHMENT_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})


def may_see_attachment(attachment: Attachment, audience: Audience) -> bool:
    """Whether ``audience`` may open ``attachment``: the reporter and the officers reaching the
    report always; anyone else only a photo marked public of a public report."""
    if audience in (Audience.REPORTER, Audience.OFFICER):
        return True
    return (
        attachment.is_public
        and attachment.content_type in PUBLIC_ATTACHMENT_TYPES
        and is_public(attachment.report)
    )


def public_attachments(report: Report) -> list[Attachment]:
    """The attachments of ``report`` its public page lists (none of a report not public)."""
    if not is_public(report):
        return []
    return [
        a
        for a in report.attachments.filter(is_public=True).order_by("pk")
        if may_see_attachment(a, Audience.PUBLIC)
    ]
