"""What the reporter does: reply, rate, appeal, and support someone else's report.

The reporter is proven in one place (``_reporter_role``): the logged-in account that filed the
report, or the guest secret shown at submission."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.core import ids
from lapor.core.errors import NotAllowed, ValidationFailed
from lapor.reports import sla
from lapor.reports.lifecycle import Action, Status
from lapor.reports.models import Report, Supporter
from lapor.reports.services._base import REPORTER, apply, precheck

if TYPE_CHECKING:
    from lapor.accounts.models import User

POOR_RATING = 2


def is_reporter(report: Report, *, user: User | None = None, secret: str = "") -> bool:
    if user is not None and user.is_authenticated and report.reporter_id == user.pk:
        return True
    return bool(secret) and ids.secret_matches(secret, report.guest_secret_hash)


def _reporter_role(report: Report, user: User | None, secret: str) -> None:
    if not is_reporter(report, user=user, secret=secret):
        raise NotAllowed(
            _(
                "Hanya pelapor yang dapat melakukan ini. Masuk dengan akun Anda atau masukkan "
                "kode rahasia yang Anda terima saat mengirim laporan."
            ),
            code="not_reporter",
        )


def report_reply(
    *, report: Report, message: str, user: User | None = None, secret: str = ""
) -> Report:
    """The reporter answers a clarification request or replies to a follow-up. A reply to a
    follow-up stops the automatic close and gives the report back to the agency."""
    precheck(report, Action.REPORTER_REPLY)
    _reporter_role(report, user, secret)
    message = message.strip()
    if len(message) < 5:
        raise ValidationFailed(
            _("Tulis tanggapan Anda (paling sedikit 5 karakter)."),
            code="message_required",
            field="message",
        )

    def mutate(r: Report, now: datetime) -> None:
        r.status_before = ""
        r.autoclose_at = None
        if r.status in (Status.DISPOSED, Status.IN_PROGRESS, Status.TRIAGE):
            sla.resume_clock(r, now)

    with transaction.atomic():
        apply(
            report,
            Action.REPORTER_REPLY,
            actor=user if report.reporter_id else None,
            role=REPORTER,
            mutate=mutate,
            message=message,
            check_version=False,
        )
    return report


def report_rate(
    *, report: Report, rating: int, comment: str = "", user: User | None = None, secret: str = ""
) -> Report:
    precheck(report, Action.RATE)
    _reporter_role(report, user, secret)
    if rating not in range(1, 6):
        raise ValidationFailed(_("Beri nilai 1 sampai 5."), code="invalid_rating", field="rating")
    if report.rating is not None:
        raise ValidationFailed(
            _("Laporan ini sudah Anda nilai."), code="already_rated", field="rating"
        )

    def mutate(r: Report, now: datetime) -> None:
        r.rating = rating
        r.rated_at = now

    with transaction.atomic():
        apply(
            report,
            Action.RATE,
            actor=user if report.reporter_id else None,
            role=REPORTER,
            mutate=mutate,
            message=comment.strip(),
            data={"rating": rating},
            check_version=False,
        )
    return report


def report_reopen(
    *,
    report: Report,
    reason: str,
    user: User | None = None,
    secret: str = "",
    at: datetime | None = None,
) -> Report:
    """Appeal: after a poor rating and within the window, the report goes back to the agency."""
    precheck(report, Action.REOPEN)
    _reporter_role(report, user, secret)
    now = at or timezone.now()
    if report.rating is None or report.rating > POOR_RATING:
        raise ValidationFailed(
            _("Banding dapat diajukan setelah memberi nilai %(rating)d atau kurang.")
            % {"rating": POOR_RATING},
            code="appeal_needs_poor_rating",
            field="rating",
        )
    until = sla.appeal_open_until(report)
    if until is None or now > until:
        raise ValidationFailed(
            _("Batas waktu banding untuk laporan ini sudah lewat."),
            code="appeal_window_passed",
            field="reason",
        )
    if len(reason.strip()) < 10:
        raise ValidationFailed(
            _("Jelaskan mengapa tindak lanjut belum menyelesaikan masalah."),
            code="reason_required",
            field="reason",
        )

    def mutate(r: Report, now: datetime) -> None:
        r.reopen_count = F("reopen_count") + 1
        r.rating = None
        r.rated_at = None
        r.closed_at = None
        r.unit = None
        r.status_before = ""
        sla.start_followup_clock(r, now)

    with transaction.atomic():
        apply(
            report,
            Action.REOPEN,
            actor=user if report.reporter_id else None,
            role=REPORTER,
            mutate=mutate,
            message=reason.strip(),
            agency_id=report.agency_id,
            check_version=False,
            at=now,
        )
        from lapor.routing.bands import band_again_on_commit  # offered as a duplicate again

        band_again_on_commit(report.pk)
        report.refresh_from_db(fields=["reopen_count"])
    return report


def report_support(
    *, report: Report, user: User | None = None, contact_email: str = "", contact_phone: str = ""
) -> Report:
    """ "Dukung": a citizen with the same problem joins an open report instead of filing anew."""
    precheck(report, Action.SUPPORT)
    if user is None and not (contact_email or contact_phone):
        raise ValidationFailed(
            _("Masuk atau isi surel/telepon untuk mendukung laporan ini."),
            code="contact_required",
            field="contact_email",
        )
    if user is not None and Supporter.objects.filter(report=report, user=user).exists():
        raise ValidationFailed(_("Anda sudah mendukung laporan ini."), code="already_supported")

    def mutate(r: Report, now: datetime) -> None:
        r.support_count = F("support_count") + 1

    with transaction.atomic():
        Supporter.objects.create(
            report=report, user=user, contact_email=contact_email, contact_phone=contact_phone
        )
        apply(
            report,
            Action.SUPPORT,
            actor=user,
            role=REPORTER,
            mutate=mutate,
            is_internal=True,
            check_version=False,
        )
        report.refresh_from_db(fields=["support_count"])
    return report
