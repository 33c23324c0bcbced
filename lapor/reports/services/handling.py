"""What officers do with a report at their desk."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.categories.models import Category
from lapor.core.errors import NotAllowed, ValidationFailed
from lapor.core.locks import lock_reports
from lapor.notifications.services import notify_privacy_change
from lapor.reports import privacy, sla
from lapor.reports.error_codes import ReportErrorCode
from lapor.reports.events import write_events
from lapor.reports.lifecycle import Action
from lapor.reports.models import AccessRecord, Report, Supporter
from lapor.reports.permissions import authorize
from lapor.reports.services import changes
from lapor.reports.services._base import SYSTEM, apply, precheck
from lapor.reports.services.access import record_access
from lapor.reports.services.reporter import already_supports

if TYPE_CHECKING:
    from lapor.accounts.models import User
    from lapor.agencies.models import Agency


def _text(value: str, field: str, what: str, minimum: int = 10) -> str:
    """``value`` stripped, or a refusal naming ``what`` (already translated) and the minimum."""
    value = value.strip()
    if len(value) < minimum:
        raise ValidationFailed(
            _("%(what)s paling sedikit %(minimum)d karakter.") % {"what": what, "minimum": minimum},
            code=ReportErrorCode(f"{field}_required"),
            field=field,
        )
    return value


def report_hold(
    *,
    report: Report,
    actor: User,
    until: datetime,
    reason: str,
    expected_version: int | None = None,
) -> Report:
    """Tunda: pause the clock until a date, with a reason the reporter sees."""
    precheck(report, Action.HOLD)
    reason = _text(reason, "reason", _("Alasan penundaan"))

    def mutate(r: Report, now: datetime) -> None:
        if until <= now:
            raise ValidationFailed(
                _("Tanggal akhir penundaan harus di masa depan."),
                code=ReportErrorCode.HOLD_IN_PAST,
                field="until",
            )
        r.status_before = report.status
        r.hold_until = until
        sla.pause_clock(r)

    with transaction.atomic():
        role = authorize(actor, report, Action.HOLD)
        apply(
            report,
            Action.HOLD,
            expected_version=expected_version,
            actor=actor,
            role=role,
            mutate=mutate,
            message=reason,
            data={"until": until.isoformat()},
        )
    return report


def report_resume(
    *,
    report: Report,
    actor: User | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Report:
    """End a hold (an officer, or the sweep when the date has come); the clock runs again."""
    precheck(report, Action.RESUME)
    with transaction.atomic():
        role = authorize(actor, report, Action.RESUME) if actor else SYSTEM
        apply(
            report,
            Action.RESUME,
            expected_version=expected_version,
            actor=actor,
            role=role,
            mutate=changes.resume,
            message=reason,
            check_version=actor is not None,
        )
    return report


def report_request_info(
    *, report: Report, actor: User, question: str, expected_version: int | None = None
) -> Report:
    """Ask the reporter for clarification; the clock waits for the answer."""
    precheck(report, Action.REQUEST_INFO)
    question = _text(question, "question", _("Pertanyaan klarifikasi"))

    def mutate(r: Report, now: datetime) -> None:
        r.status_before = report.status
        sla.pause_clock(r)

    with transaction.atomic():
        role = authorize(actor, report, Action.REQUEST_INFO)
        apply(
            report,
            Action.REQUEST_INFO,
            expected_version=expected_version,
            actor=actor,
            role=role,
            mutate=mutate,
            message=question,
        )
    return report


def report_follow_up(
    *, report: Report, actor: User, message: str, expected_version: int | None = None
) -> Report:
    """The agency's answer to the reporter; the automatic-close timer starts."""
    precheck(report, Action.FOLLOW_UP)
    message = _text(message, "message", _("Tindak lanjut"), minimum=20)

    def mutate(r: Report, now: datetime) -> None:
        r.status_before = report.status
        r.answered_at = now
        sla.start_autoclose_timer(r, now)

    with transaction.atomic():
        role = authorize(actor, report, Action.FOLLOW_UP)
        apply(
            report,
            Action.FOLLOW_UP,
            expected_version=expected_version,
            actor=actor,
            role=role,
            mutate=mutate,
            message=message,
            agency_id=(report.unit or report.agency).pk if report.agency else None,
        )
    return report


def report_complete(
    *, report: Report, actor: User, message: str = "", expected_version: int | None = None
) -> Report:
    precheck(report, Action.COMPLETE)
    with transaction.atomic():
        role = authorize(actor, report, Action.COMPLETE)
        apply(
            report,
            Action.COMPLETE,
            expected_version=expected_version,
            actor=actor,
            role=role,
            mutate=changes.close,
            message=message,
        )
    return report


def report_archive(
    *, report: Report, actor: User, reason: str, expected_version: int | None = None
) -> Report:
    """Archive with a reason the reporter sees (never a silent disappearance)."""
    precheck(report, Action.ARCHIVE)
    reason = _text(reason, "reason", _("Alasan pengarsipan"))

    def mutate(r: Report, now: datetime) -> None:
        r.archive_reason = reason
        r.closed_at = now
        r.status_before = ""
        r.hold_until = None
        sla.pause_clock(r)

    with transaction.atomic():
        role = authorize(actor, report, Action.ARCHIVE)
        apply(
            report,
            Action.ARCHIVE,
            expected_version=expected_version,
            actor=actor,
            role=role,
            mutate=mutate,
            message=reason,
        )
    return report


def report_merge(
    *,
    report: Report,
    into: Report,
    actor: User,
    reason: str = "",
    expected_version: int | None = None,
) -> Report:
    """Merge ``report`` into ``into`` as its duplicate: its reporter becomes a supporter of
    ``into`` and hears of its later public steps, while it is public."""
    precheck(report, Action.MERGE)
    if into.pk == report.pk:
        raise ValidationFailed(
            _("Laporan tidak dapat digabung dengan dirinya sendiri."),
            code=ReportErrorCode.MERGE_SELF,
            field="into",
        )
    if not into.is_open or into.merged_into_id is not None:
        raise ValidationFailed(
            _("Laporan tujuan penggabungan harus masih terbuka."),
            code=ReportErrorCode.MERGE_TARGET_CLOSED,
            field="into",
        )
    authorize(actor, into, Action.MERGE)

    def mutate(r: Report, now: datetime) -> None:
        r.merged_into = into
        r.closed_at = now
        r.status_before = ""
        sla.pause_clock(r)

    with transaction.atomic():
        # Both rows first, in id order (``core.locks``), then the audit chain once for both
        # events: a merge racing an action on either report waits, it cannot deadlock.
        locked_into = lock_reports([report.pk, into.pk])[into.pk]
        if not locked_into.is_open or locked_into.merged_into_id is not None:
            raise ValidationFailed(
                _("Laporan tujuan penggabungan harus masih terbuka."),
                code=ReportErrorCode.MERGE_TARGET_CLOSED,
                field="into",
            )
        role = authorize(actor, report, Action.MERGE)
        events = [
            apply(
                report,
                Action.MERGE,
                expected_version=expected_version,
                actor=actor,
                role=role,
                mutate=mutate,
                message=reason or f"Digabung dengan laporan {into.tracking_id}.",
                data={"into": into.tracking_id},
                link=False,
            )
        ]
        # The duplicate's reporter proved their address when they reported: confirmed at once.
        # As every supporter they hear only the public steps of ``into``, none while it is
        # rahasia (``notifications.services``); a contact already supporting it is not added
        # twice.
        email = report.contact_email.strip().lower()
        if not already_supports(
            into, user=report.reporter, email=email, phone=report.contact_phone
        ):
            Supporter.objects.create(
                report=into,
                user=report.reporter,
                contact_email=email,
                contact_phone=report.contact_phone,
                source_report=report,
                confirmed_at=timezone.now(),
            )
            events.append(
                apply(
                    into,
                    Action.SUPPORT,
                    actor=actor,
                    role=role,
                    check_version=False,
                    mutate=lambda r, now: setattr(r, "support_count", F("support_count") + 1),
                    message="",
                    is_internal=True,
                    data={"merged": report.tracking_id},
                    link=False,
                )
            )
        write_events(events)
        into.refresh_from_db(fields=["support_count"])
    return report


def report_add_note(
    *, report: Report, actor: User, note: str, expected_version: int | None = None
) -> Report:
    precheck(report, Action.NOTE)
    note = _text(note, "note", _("Catatan"), minimum=2)
    with transaction.atomic():
        role = authorize(actor, report, Action.NOTE)
        apply(
            report,
            Action.NOTE,
            expected_version=expected_version,
            actor=actor,
            role=role,
            message=note,
            is_internal=True,
            check_version=False,
        )
    return report


def report_change_category(
    *, report: Report, actor: User, category: Category, expected_version: int | None = None
) -> Report:
    precheck(report, Action.CHANGE_CATEGORY)
    if not category.is_active:
        raise ValidationFailed(
            _("Kategori ini tidak lagi dipakai."),
            code=ReportErrorCode.UNKNOWN_CATEGORY,
            field="category",
        )
    old = report.category.code if report.category else None

    def mutate(r: Report, now: datetime) -> None:
        r.category = category

    with transaction.atomic():
        role = authorize(actor, report, Action.CHANGE_CATEGORY)
        apply(
            report,
            Action.CHANGE_CATEGORY,
            expected_version=expected_version,
            actor=actor,
            role=role,
            mutate=mutate,
            is_internal=True,
            data={"from": old, "to": category.code},
        )
    return report


def report_set_privacy(
    *,
    report: Report,
    actor: User,
    is_anonymous: bool,
    is_confidential: bool,
    reason: str = "",
    expected_version: int | None = None,
) -> Report:
    """An officer (any role, national admin included) adds anonim or rahasia; never lifts
    either: that takes the reporter's own consent (``report_privacy_consent``). The reporter is
    told of the change."""
    precheck(report, Action.SET_PRIVACY)

    def mutate(r: Report, now: datetime) -> None:
        if privacy.lifts_protection(r, is_anonymous=is_anonymous, is_confidential=is_confidential):
            raise NotAllowed(
                _(
                    "Petugas hanya dapat menambah perlindungan (anonim atau rahasia), tidak "
                    "melepasnya. Perlindungan hanya dilepas atas persetujuan pelapor sendiri, "
                    "melalui halaman laporannya."
                ),
                code=ReportErrorCode.PRIVACY_LIFT_NEEDS_REPORTER,
            )
        if (r.is_anonymous, r.is_confidential) == (is_anonymous, is_confidential):
            raise ValidationFailed(
                _("Pilih perlindungan yang ingin ditambahkan."),
                code=ReportErrorCode.PRIVACY_UNCHANGED,
            )
        r.is_anonymous = is_anonymous
        r.is_confidential = is_confidential

    with transaction.atomic():
        role = authorize(actor, report, Action.SET_PRIVACY)
        event = apply(
            report,
            Action.SET_PRIVACY,
            expected_version=expected_version,
            actor=actor,
            role=role,
            mutate=mutate,
            is_internal=True,
            message=reason,
            data={"anonymous": is_anonymous, "confidential": is_confidential},
        )
        notify_privacy_change(report, event)
    return report


def report_record_confidential_view(
    *, report: Report, actor: User, agency: Agency | None = None
) -> None:
    """Opening a rahasia report is recorded in its access log (``AccessRecord``), which the
    reporter can read; it is a reading, not a change, so it writes no event, takes no lock and
    leaves the report's version (``event_count``) as it was: an officer's open form does not
    go stale because a colleague looked at the report."""
    authorize(actor, report, Action.VIEW_CONFIDENTIAL)
    record_access(report=report, actor=actor, kind=AccessRecord.Kind.CONFIDENTIAL, agency=agency)
