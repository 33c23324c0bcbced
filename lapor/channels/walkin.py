"""A report an officer records for a citizen at a service counter (loket) or on a call to the
call centre (telepon): the citizen stays the reporter (a guest with their own secret), the
officer is named in the submit event and gains none of the reporter's rights."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from lapor.channels import intake, replies, texts
from lapor.channels.error_codes import ChannelErrorCode
from lapor.channels.models import Channel
from lapor.core.errors import ValidationFailed
from lapor.core.ids import display
from lapor.core.phones import InvalidPhone, normalize_phone
from lapor.reports.models import Report
from lapor.reports.services import Submitted

if TYPE_CHECKING:
    from lapor.accounts.models import User
    from lapor.regions.models import Region

# The report is filed with the same value as its own channel (Report.Channel.LOKET, TELEPON).
WALKIN_CHANNELS = (Channel.LOKET, Channel.TELEPON)
OFFICER_ROLE = "petugas_loket"


@dataclass(frozen=True)
class Recorded:
    submitted: Submitted
    channel: Channel

    @property
    def report(self) -> Report:
        return self.submitted.report


def walkin_submit(
    *,
    officer: User,
    channel: str,
    title: str,
    body: str,
    region: Region,
    contact_name: str,
    contact_phone: str,
    contact_email: str,
    is_anonymous: bool,
    is_confidential: bool,
    consent: bool,
) -> Recorded:
    """File the citizen's report; the receipt (tracking ID and secret) goes to their phone by
    SMS, else to their e-mail. The citizen must have agreed to the privacy choice the officer
    recorded (read out at the counter or on the call)."""
    if channel not in WALKIN_CHANNELS:
        raise ValidationFailed(
            _("Pilih kanal: loket layanan atau telepon."),
            code=ChannelErrorCode.CHANNEL_OFF,
            field="channel",
        )
    if not consent:
        raise ValidationFailed(
            _(
                "Bacakan pilihan privasi kepada warga dan centang persetujuannya sebelum "
                "menyimpan laporan."
            ),
            code=ChannelErrorCode.WALKIN_CONSENT_REQUIRED,
            field="consent",
        )
    try:
        phone = normalize_phone(contact_phone)
    except InvalidPhone:
        raise ValidationFailed(
            _("Nomor ponsel tidak valid. Tulis nomor warga, misalnya 0812 3456 7890."),
            code=ChannelErrorCode.WALKIN_CONTACT_REQUIRED,
            field="contact_phone",
        ) from None
    email = contact_email.strip().lower()
    if not (phone or email):
        raise ValidationFailed(
            _(
                "Isi nomor ponsel warga (untuk SMS nomor pelacakan dan kode rahasia) atau "
                "alamat surelnya."
            ),
            code=ChannelErrorCode.WALKIN_CONTACT_REQUIRED,
            field="contact_phone",
        )
    with transaction.atomic(durable=True):
        filed = intake.file_report(
            channel=Channel(channel),
            text=body,
            title=title,
            region=region,
            address=phone or email,
            contact_name=contact_name,
            contact_phone=phone,
            contact_email=email,
            is_anonymous=is_anonymous,
            is_confidential=is_confidential,
            actor=officer,
            actor_role=OFFICER_ROLE,
        )
        report = filed.submitted.report
        secret = filed.submitted.secret
        if phone:
            replies.replace_receipt(
                channel=Channel.SMS,
                report=report,
                to=phone,
                body=texts.filed(report.tracking_id, secret),
            )
        else:
            tid = display(report.tracking_id)
            replies.replace_receipt(
                channel=Channel.EMAIL,
                report=report,
                to=email,
                subject=texts.FILED_EMAIL_SUBJECT.format(tid=tid),
                body=texts.filed_email(report, secret),
            )
    return Recorded(submitted=filed.submitted, channel=Channel(channel))
