"""The reporter's own say over the protection of their report.

Officers may only add anonim or rahasia (``report_set_privacy``); lifting either takes the
reporter's consent, given here from their private view of the report (the account that filed it
or the guest secret, proven like every reporter action). The reporter may add protection here
too. Either way the change is an event of its own (carrying the new settings, nothing personal)
and the reporter is sent a confirmation, so a change they did not make does not go unnoticed."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from lapor.core.errors import ValidationFailed
from lapor.notifications.services import notify_privacy_change
from lapor.reports import privacy
from lapor.reports.error_codes import ReportErrorCode
from lapor.reports.lifecycle import Action
from lapor.reports.models import Report
from lapor.reports.services._base import REPORTER, apply, precheck
from lapor.reports.services.reporter import _reporter_role

if TYPE_CHECKING:
    from lapor.accounts.models import User


def report_privacy_consent(
    *,
    report: Report,
    is_anonymous: bool,
    is_confidential: bool,
    user: User | None = None,
    secret: str = "",
    expected_version: int | None = None,
) -> Report:
    """Set anonim and rahasia as the reporter chooses. Lifting a protection is recorded as
    ``PRIVACY_CONSENT``; only adding, as ``SET_PRIVACY`` by the reporter. The settings are
    compared with the report as it is under the lock: had it changed since the reporter loaded
    it, they get ``Conflict`` and decide again."""
    precheck(report, Action.PRIVACY_CONSENT)
    _reporter_role(report, user, secret)
    wanted = (is_anonymous, is_confidential)
    if (report.is_anonymous, report.is_confidential) == wanted:
        raise ValidationFailed(
            _("Pengaturan privasi tidak berubah. Ubah pilihan anonim atau rahasia lebih dulu."),
            code=ReportErrorCode.PRIVACY_UNCHANGED,
        )
    lifts = privacy.lifts_protection(
        report, is_anonymous=is_anonymous, is_confidential=is_confidential
    )

    def mutate(r: Report, now: datetime) -> None:
        r.is_anonymous, r.is_confidential = wanted

    with transaction.atomic():
        event = apply(
            report,
            Action.PRIVACY_CONSENT if lifts else Action.SET_PRIVACY,
            expected_version=expected_version,
            actor=user if report.reporter_id else None,
            role=REPORTER,
            mutate=mutate,
            is_internal=True,
            data={"anonymous": is_anonymous, "confidential": is_confidential},
        )
        notify_privacy_change(report, event)
    return report
