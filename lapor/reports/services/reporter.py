"""What the reporter does: reply, rate, appeal, and support someone else's report (a guest's
support counts once their address is confirmed).

The reporter is proven in one place (``_reporter_role``): the logged-in account that filed the
report, or the guest secret shown at submission."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.core import ids
from lapor.core.errors import NotAllowed, NotFound, ValidationFailed
from lapor.core.phones import InvalidPhone, normalize_phone
from lapor.notifications.services import notify_support_confirmation
from lapor.reports import lifecycle, sla
from lapor.reports.error_codes import ReportErrorCode
from lapor.reports.lifecycle import Action, Status
from lapor.reports.models import Report, Supporter
from lapor.reports.services._base import REPORTER, apply, precheck
from lapor.reports.services.follow_files import check_follow_files, storing

if TYPE_CHECKING:
    from lapor.accounts.models import User
    from lapor.reports.services.submit import Upload

POOR_RATING = 2


def is_reporter(
    report: Report, *, user: User | None = None, secret: str = "", contact: str = ""
) -> bool:
    """The account that filed ``report``, the guest holding its secret, or (``contact``) the
    phone number or e-mail address it was filed from, as a channel adapter proved it: an SMS
    from that number, a reply to a signed reply-to address (``lapor.channels``)."""
    if user is not None and user.is_authenticated and report.reporter_id == user.pk:
        return True
    if contact and contact in {report.contact_phone, report.contact_email.lower()} - {""}:
        return True
    return bool(secret) and ids.secret_matches(secret, report.guest_secret_hash)


def _reporter_role(report: Report, user: User | None, secret: str, contact: str = "") -> None:
    if not is_reporter(report, user=user, secret=secret, contact=contact):
        raise NotAllowed(
            _(
                "Hanya pelapor yang dapat melakukan ini. Masuk dengan akun Anda atau masukkan "
                "kode rahasia yang Anda terima saat mengirim laporan."
            ),
            code=ReportErrorCode.NOT_REPORTER,
        )


def report_reply(
    *,
    report: Report,
    message: str,
    user: User | None = None,
    secret: str = "",
    contact: str = "",
    expected_version: int | None = None,
    attachments: Sequence[Upload] = (),
) -> Report:
    """The reporter answers a clarification request or replies to a follow-up. A reply to a
    follow-up stops the automatic close and gives the report back to the agency. Photos or
    PDFs may come with it (``attachments``), checked like those of a new report."""
    precheck(report, Action.REPORTER_REPLY)
    _reporter_role(report, user, secret, contact)
    message = message.strip()
    if len(message) < 5:
        raise ValidationFailed(
            _("Tulis tanggapan Anda (paling sedikit 5 karakter)."),
            code=ReportErrorCode.MESSAGE_REQUIRED,
            field="message",
        )
    checked = check_follow_files(attachments)

    def mutate(r: Report, now: datetime) -> None:
        r.status_before = ""
        r.autoclose_at = None
        if r.status in (Status.DISPOSED, Status.IN_PROGRESS, Status.TRIAGE):
            sla.resume_clock(r, now)

    with transaction.atomic(), storing(report, checked) as store:
        apply(
            report,
            Action.REPORTER_REPLY,
            expected_version=expected_version,
            actor=user if report.reporter_id else None,
            role=REPORTER,
            mutate=mutate,
            message=message,
            data={"attachments": len(checked)} if checked else None,
            check_version=False,
        )
        store()
    return report


def report_rate(
    *,
    report: Report,
    rating: int,
    comment: str = "",
    user: User | None = None,
    secret: str = "",
    contact: str = "",
    expected_version: int | None = None,
) -> Report:
    precheck(report, Action.RATE)
    _reporter_role(report, user, secret, contact)
    if rating not in range(1, 6):
        raise ValidationFailed(
            _("Beri nilai 1 sampai 5."), code=ReportErrorCode.INVALID_RATING, field="rating"
        )
    if report.rating is not None:
        raise ValidationFailed(
            _("Laporan ini sudah Anda nilai."), code=ReportErrorCode.ALREADY_RATED, field="rating"
        )

    def mutate(r: Report, now: datetime) -> None:
        r.rating = rating
        r.rated_at = now

    with transaction.atomic():
        apply(
            report,
            Action.RATE,
            expected_version=expected_version,
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
    expected_version: int | None = None,
    attachments: Sequence[Upload] = (),
) -> Report:
    """Appeal: after a poor rating and within the window, the report goes back to the agency
    (with photos or PDFs showing the problem is still there, when given)."""
    precheck(report, Action.REOPEN)
    _reporter_role(report, user, secret)
    now = at or timezone.now()
    if report.rating is None or report.rating > POOR_RATING:
        raise ValidationFailed(
            _("Banding dapat diajukan setelah memberi nilai %(rating)d atau kurang.")
            % {"rating": POOR_RATING},
            code=ReportErrorCode.APPEAL_NEEDS_POOR_RATING,
            field="rating",
        )
    until = sla.appeal_open_until(report)
    if until is None or now > until:
        raise ValidationFailed(
            _("Batas waktu banding untuk laporan ini sudah lewat."),
            code=ReportErrorCode.APPEAL_WINDOW_PASSED,
            field="reason",
        )
    if len(reason.strip()) < 10:
        raise ValidationFailed(
            _("Jelaskan mengapa tindak lanjut belum menyelesaikan masalah."),
            code=ReportErrorCode.REASON_REQUIRED,
            field="reason",
        )
    checked = check_follow_files(attachments)

    def mutate(r: Report, now: datetime) -> None:
        r.reopen_count = F("reopen_count") + 1
        r.rating = None
        r.rated_at = None
        r.closed_at = None
        r.unit = None
        r.status_before = ""
        sla.start_followup_clock(r, now)

    with transaction.atomic(), storing(report, checked) as store:
        apply(
            report,
            Action.REOPEN,
            expected_version=expected_version,
            actor=user if report.reporter_id else None,
            role=REPORTER,
            mutate=mutate,
            message=reason.strip(),
            agency_id=report.agency_id,
            data={"attachments": len(checked)} if checked else None,
            check_version=False,
            at=now,
        )
        store()
        from lapor.routing.bands import band_again_on_commit  # offered as a duplicate again

        band_again_on_commit(report.pk)
        report.refresh_from_db(fields=["reopen_count"])
    return report


def already_supports(report: Report, *, user: User | None, email: str, phone: str) -> bool:
    """Whether this account or contact supports ``report`` already (a contact supports once)."""
    match = Q()
    if user is not None:
        match |= Q(user=user)
    if email:
        match |= Q(contact_email=email)
    if phone:
        match |= Q(contact_phone=phone)
    return bool(match) and Supporter.objects.filter(report=report).filter(match).exists()


def _support_contact(contact_email: str, contact_phone: str) -> tuple[str, str]:
    """The supporter's e-mail lower-cased and phone in E.164, or a refusal naming the field."""
    email = contact_email.strip().lower()
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            raise ValidationFailed(
                _("Alamat surel tidak valid."),
                code=ReportErrorCode.INVALID_EMAIL,
                field="contact_email",
            ) from None
    try:
        phone = normalize_phone(contact_phone)
    except InvalidPhone:
        raise ValidationFailed(
            _("Nomor telepon tidak valid. Tulis nomor ponsel aktif, misalnya 0812 3456 7890."),
            code=ReportErrorCode.INVALID_PHONE,
            field="contact_phone",
        ) from None
    return email, phone


def _count_support(report: Report, user: User | None) -> None:
    apply(
        report,
        Action.SUPPORT,
        actor=user,
        role=REPORTER,
        mutate=lambda r, now: setattr(r, "support_count", F("support_count") + 1),
        is_internal=True,
        check_version=False,
    )
    report.refresh_from_db(fields=["support_count"])


def report_support(
    *,
    report: Report,
    user: User | None = None,
    contact_email: str = "",
    contact_phone: str = "",
    absolute_url: Callable[[str], str] | None = None,
) -> Report:
    """ "Dukung": a citizen with the same problem joins an open report instead of filing anew.

    A signed-in account supports at once. A guest's address must be confirmed first (double
    opt-in): it gets one message with a link holding a random token (only its hash is kept;
    ``absolute_url`` makes the link's path a full address, as the view knows it), and is
    counted and told of the report's public steps only once the link is opened
    (``report_support_confirm``). A contact supports a report once; a guest supporting again is
    answered as the first time (neither the answer nor the count shows whether the address
    supported before) and nothing is sent again."""
    precheck(report, Action.SUPPORT)
    if user is not None:
        return _support_by_account(report, user)
    email, phone = _support_contact(contact_email, contact_phone)
    if not (email or phone):
        raise ValidationFailed(
            _("Masuk atau isi surel/telepon untuk mendukung laporan ini."),
            code=ReportErrorCode.CONTACT_REQUIRED,
            field="contact_email",
        )
    if already_supports(report, user=None, email=email, phone=phone):
        return report
    token = ids.new_secret()
    path = reverse(
        "portal:support_confirm", kwargs={"tracking_id": report.tracking_id, "token": token}
    )
    link = absolute_url(path) if absolute_url is not None else path
    try:
        with transaction.atomic():
            Supporter.objects.create(
                report=report,
                contact_email=email,
                contact_phone=phone,
                confirm_token_hash=ids.hash_secret(token),
            )
            notify_support_confirmation(report=report, email=email, phone=phone, link=link)
    except IntegrityError:  # the same address at the same moment: once is enough
        pass
    return report


def _support_by_account(report: Report, user: User) -> Report:
    refused = ValidationFailed(
        _("Anda sudah mendukung laporan ini."), code=ReportErrorCode.ALREADY_SUPPORTED
    )
    if report.reporter_id == user.pk:
        raise ValidationFailed(
            _("Ini laporan Anda sendiri: Anda sudah menerima setiap kabarnya."),
            code=ReportErrorCode.OWN_REPORT,
        )
    if already_supports(report, user=user, email="", phone=""):
        raise refused
    try:
        with transaction.atomic():
            Supporter.objects.create(report=report, user=user, confirmed_at=timezone.now())
            _count_support(report, user)
    except IntegrityError:
        raise refused from None
    return report


def report_support_confirm(*, report: Report, token: str) -> Report:
    """The guest opened the link sent to their address: from now on they are a supporter, are
    counted, and hear of the report's public steps. The link works once."""
    invalid = NotFound(
        _(
            "Tautan konfirmasi ini tidak berlaku: mungkin sudah dipakai, atau tidak tersalin "
            "utuh. Bila Anda sudah mengonfirmasi, Anda akan menerima kabar laporan ini."
        ),
        code=ReportErrorCode.SUPPORT_LINK_INVALID,
    )
    digest = ids.hash_secret(token) if token else ""
    supporter = Supporter.objects.filter(
        report=report, confirm_token_hash=digest, confirmed_at__isnull=True
    ).first()
    if not digest or supporter is None:
        raise invalid
    if not lifecycle.allowed(Action.SUPPORT, report.status):
        raise ValidationFailed(
            _("Laporan ini sudah tidak dalam proses, jadi dukungan tidak lagi dicatat."),
            code=ReportErrorCode.SUPPORT_CLOSED,
        )
    with transaction.atomic():
        confirmed = Supporter.objects.filter(pk=supporter.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now(), confirm_token_hash=""
        )
        if not confirmed:  # the same link opened twice at the same moment
            raise invalid
        _count_support(report, None)
    return report
