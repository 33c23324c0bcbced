"""An account claims the guest reports filed from a contact it has proved it holds.

A citizen who filed by SMS, e-mail, WhatsApp or at a desk is a guest: the report holds the
phone number or e-mail address it came from, and no account. Once a signed-in citizen proves
they hold that number or address (``lapor.accounts.verify``), the reports filed from it that
have no account become theirs: ``reporter`` is set, and each gets one audit event whose actor
is the account. The event carries which kind of contact matched, never the contact itself
(the audit chains are kept for good; ``services.personal_data``).

Only an exact match of the normalised contact counts; a report whose identity was erased
(at the reporter's request or by retention) holds no contact and matches nothing."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lapor.core.locks import lock_reports
from lapor.core.phones import normalize_phone
from lapor.reports.events import write_events
from lapor.reports.lifecycle import Action
from lapor.reports.models import Report, ReportEvent
from lapor.reports.services._base import REPORTER, apply

if TYPE_CHECKING:
    from lapor.accounts.models import User


def normalize_contact(contact: str) -> tuple[str, str]:
    """(kind, value): ``("email", lower-cased address)`` or ``("phone", E.164 number)``;
    raises ``InvalidPhone`` for what is neither."""
    value = contact.strip()
    if "@" in value:
        return "email", value.lower()
    return "phone", normalize_phone(value)


def _matching(kind: str, value: str) -> Q:
    if not value:
        return Q(pk__in=[])
    if kind == "email":
        return Q(contact_email__iexact=value)
    return Q(contact_phone=value)


def reports_claim_contact(*, user: User, contact: str, at: datetime | None = None) -> list[int]:
    """Make ``user`` the reporter of every report filed from ``contact`` (already verified by
    the caller) that has no reporter; the ids claimed, in order. Claiming again claims
    nothing twice."""
    kind, value = normalize_contact(contact)
    now = at or timezone.now()
    guest = Q(reporter__isnull=True, identity_erased_at__isnull=True) & _matching(kind, value)
    with transaction.atomic():
        ids = list(Report.objects.filter(guest).values_list("pk", flat=True))
        # Every row first, in id order, before any event is chained (``core.locks``).
        locked = lock_reports(ids)
        events: list[ReportEvent] = []
        claimed: list[int] = []
        for report in locked.values():
            # Read again under the lock: another claim or an erasure may have come first.
            if report.reporter_id is not None or report.identity_erased_at is not None:
                continue
            found = report.contact_email.lower() if kind == "email" else report.contact_phone
            if found != value:
                continue

            def mutate(r: Report, _now: datetime) -> None:
                r.reporter = user

            events.append(
                apply(
                    report,
                    Action.CLAIM_CONTACT,
                    actor=user,
                    role=REPORTER,
                    mutate=mutate,
                    is_internal=True,  # no message to send, and nothing for the public timeline
                    data={"contact": kind},  # which kind matched, never the contact itself
                    at=now,
                    check_version=False,
                    link=False,
                )
            )
            claimed.append(report.pk)
        write_events(events)
    return claimed
