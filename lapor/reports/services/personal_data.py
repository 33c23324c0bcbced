"""Erasing a reporter's identity (UU PDP): at their request, or when the retention period of a
finished report has passed.

What is erased: the name, e-mail and phone stored with the report, the copies of them on
supporter rows made from it (a merge) or, by retention, the addresses of the report's own
supporters, and the address and text of every message the outbox holds for those addresses.
What stays: the report's content (public interest) and its audit trail. The trail never held
contact data, and the erase event itself carries none (``data`` says only why), so every hash
chain still verifies. The report reads "Anonim" from then on.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from lapor.core.locks import lock_report, lock_reports
from lapor.notifications.models import Notification
from lapor.reports.lifecycle import Action
from lapor.reports.models import Report, Supporter
from lapor.reports.models.report import CONTACT_KEPT, RETAINED
from lapor.reports.services._base import REPORTER, SYSTEM, apply, precheck
from lapor.reports.services.reporter import _reporter_role

if TYPE_CHECKING:
    from lapor.accounts.models import User

PURGE_CHUNK = 200
REDACTED_ERROR = "recipient erased (UU PDP)"


class ErasedBy(StrEnum):
    REPORTER = "reporter"
    RETENTION = "retention"


def report_erase_identity(
    *,
    report: Report,
    user: User | None = None,
    secret: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
) -> Report:
    """The reporter (their account or the guest secret) erases their name and contact details
    from ``report``. Cannot be undone; the report and its history stay."""
    precheck(report, Action.ERASE_IDENTITY)
    _reporter_role(report, user, secret)
    with transaction.atomic():
        _erase(
            report,
            expected_version=expected_version,
            actor=user if report.reporter_id else None,
            role=REPORTER,
            by=ErasedBy.REPORTER,
            addresses=set(),
            at=at,
        )
    return report


def report_erase_for_account(
    *,
    report: Report,
    user: User,
    addresses: Iterable[str],
    at: datetime | None = None,
    expected_version: int | None = None,
) -> Report:
    """Part of erasing ``user``'s account: as ``report_erase_identity``, and the messages sent
    to the account's own ``addresses`` about this report are redacted too. The caller (the
    account erasure) holds the transaction and erases the account itself."""
    precheck(report, Action.ERASE_IDENTITY)
    _reporter_role(report, user, "")
    with transaction.atomic():
        _erase(
            report,
            expected_version=expected_version,
            actor=user,
            role=REPORTER,
            by=ErasedBy.REPORTER,
            addresses=set(addresses),
            at=at,
        )
    return report


def report_purge_contact(
    *, report: Report, retention_days: int, at: datetime | None = None
) -> bool:
    """Retention: the contact details of a report finished more than ``retention_days`` ago are
    erased by the system. False (nothing done) if, under the row lock, it is no longer due: the
    reporter appealed since it was selected, or another run purged it first."""
    now = at or timezone.now()
    with transaction.atomic():
        lock_report(report.pk)
        if not purge_due(now=now, retention_days=retention_days).filter(pk=report.pk).exists():
            return False
        _erase(report, actor=None, role=SYSTEM, by=ErasedBy.RETENTION, addresses=set(), at=now)
    return True


def _supporter_has_contact() -> Q:
    return ~Q(contact_email="") | ~Q(contact_phone="")


def purge_due(*, now: datetime, retention_days: int) -> QuerySet[Report]:
    """Finished reports past the retention period that still hold contact details: their own,
    or a supporter's (supporters' addresses are kept no longer than the report's)."""
    cutoff = now - timedelta(days=retention_days)
    supporter_contact = Supporter.objects.filter(_supporter_has_contact(), report=OuterRef("pk"))
    return Report.objects.filter(status__in=RETAINED, closed_at__lt=cutoff).filter(
        ~Q(contact_name="")
        | ~Q(contact_email="")
        | ~Q(contact_phone="")
        | Exists(supporter_contact)
    )


def due_ids(*, now: datetime, retention_days: int, after: int = 0, limit: int) -> list[int]:
    """The first ``limit`` ids above ``after`` of ``purge_due``, found through two small
    searches instead of a scan of every finished report: the partial index of the reports still
    holding contact details (``report_contact_kept``), and the supporters holding an address."""
    cutoff = now - timedelta(days=retention_days)
    own = (
        Report.objects.filter(CONTACT_KEPT, closed_at__lt=cutoff, pk__gt=after)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    supported = (
        Supporter.objects.filter(
            _supporter_has_contact(),
            report__status__in=RETAINED,
            report__closed_at__lt=cutoff,
            report_id__gt=after,
        )
        .order_by("report_id")
        .values_list("report_id", flat=True)
        .distinct()[:limit]
    )
    return sorted(set(own) | set(supported))[:limit]


def reports_purge_contact(
    *, retention_days: int, now: datetime | None = None, chunk: int = PURGE_CHUNK
) -> int:
    """Erase the contact details of every report ``purge_due`` finds, ``chunk`` reports per
    transaction (a crash loses at most one chunk's work, which the next run does again). A
    purged report no longer matches, so running twice erases nothing twice; the number purged."""
    now = now or timezone.now()
    purged = 0
    last = 0
    while True:
        ids = due_ids(now=now, retention_days=retention_days, after=last, limit=chunk)
        if not ids:
            return purged
        with transaction.atomic():
            # Every row of the chunk first, in id order, before any event is chained
            # (``core.locks``): an officer acting on one of them meanwhile waits, never
            # deadlocks with the chunk.
            for report in lock_reports(ids).values():
                purged += report_purge_contact(report=report, retention_days=retention_days, at=now)
        last = ids[-1]


def _erase(
    report: Report,
    *,
    actor: User | None,
    role: str,
    by: ErasedBy,
    addresses: set[str],
    at: datetime | None,
    expected_version: int | None = None,
) -> None:
    supporters = Supporter.objects.filter(_supporter_has_contact())
    if by == ErasedBy.RETENTION:
        # The report's own supporters. A merged reporter's copy on the report it was merged
        # into is kept while that one runs, and goes with it once it is finished and past due.
        supporters = supporters.filter(report=report)
    else:  # the reporter's own copies only: another supporter's address is not theirs
        supporters = supporters.filter(source_report=report)
    # Read under the row lock ``apply`` takes, before ``mutate`` blanks them.
    found: set[str] = set(addresses)
    told: set[int] = {report.pk}  # the reports whose messages went to those addresses

    def mutate(r: Report, now: datetime) -> None:
        found.update({r.contact_email, r.contact_phone})
        for email, phone, on in supporters.values_list(
            "contact_email", "contact_phone", "report_id"
        ):
            found.update({email, phone})
            told.add(on)
        r.contact_name = ""
        r.contact_email = ""
        r.contact_phone = ""
        r.is_anonymous = True
        r.identity_erased_at = now

    apply(
        report,
        Action.ERASE_IDENTITY,
        actor=actor,
        role=role,
        mutate=mutate,
        is_internal=True,  # no message to send, and nothing for the public timeline
        data={"by": str(by)},  # why, never what: the event is hashed into the chains for good
        at=at,
        check_version=False,
        expected_version=expected_version,
    )
    supporters.update(contact_email="", contact_phone="")
    redact_notifications(Notification.objects.filter(report_id__in=told), found)


def redact_notifications(rows: QuerySet[Notification], addresses: Iterable[str]) -> int:
    """Blank the address and text of the messages in ``rows`` sent to ``addresses``; a message
    not yet sent is given up (FAILED), never sent to an address that was erased."""
    wanted = {a for a in addresses if a}
    if not wanted:
        return 0
    rows = rows.filter(recipient__in=wanted)
    rows.filter(status__in=[Notification.Status.PENDING, Notification.Status.SENDING]).update(
        status=Notification.Status.FAILED, last_error=REDACTED_ERROR, claimed_at=None
    )
    return rows.update(recipient="", body="")


def supports_erase_for_user(*, user: User, addresses: Iterable[str]) -> int:
    """Part of erasing ``user``'s account: the addresses on the supports it gave, and the
    messages sent to ``addresses`` about those reports (or about no report), are erased. The
    number of supports."""
    mine = Supporter.objects.filter(user=user)
    redact_notifications(
        Notification.objects.filter(
            Q(report_id__in=mine.values("report_id")) | Q(report__isnull=True)
        ),
        addresses,
    )
    return mine.update(contact_email="", contact_phone="")
