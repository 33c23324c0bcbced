"""Whether a photo of a report is shown on its public page.

The reporter decides, from their private view of the report (the account that filed it or the
guest secret, proven like every reporter action): a photo may be shown only while the report
is public (never on a rahasia report, checked again under the row lock) and only if it is a
photo (cleaned of its location on arrival, ``core.files``; a PDF never). An officer whose
agency holds the report may only hide a shown photo, never show one: officers add protection,
they do not lift it (``report_set_privacy``); the agency desk's admins may, a unit officer
not. Each change is one internal event carrying the
attachment's id and the new setting, nothing else. The public page shows a photo only when
both the report and the photo are public (``privacy.may_see_attachment``)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from lapor.core.errors import NotAllowed, ValidationFailed
from lapor.reports import privacy
from lapor.reports.error_codes import ReportErrorCode
from lapor.reports.lifecycle import Action
from lapor.reports.models import Attachment, Report
from lapor.reports.permissions import authorize
from lapor.reports.services._base import REPORTER, apply, precheck
from lapor.reports.services.reporter import _reporter_role

if TYPE_CHECKING:
    from lapor.accounts.models import User


def attachment_set_public(
    *,
    attachment: Attachment,
    is_public: bool,
    user: User | None = None,
    secret: str = "",
    officer: User | None = None,
) -> Attachment:
    """Show (``is_public``) or hide ``attachment`` on its report's public page, as its reporter
    (``user`` or ``secret``) or, hiding only, as an ``officer``. Asking for the setting it
    already has changes nothing and writes no event (a double click)."""
    report = attachment.report
    precheck(report, Action.PHOTO_VISIBILITY)
    if officer is not None:
        if is_public:
            raise NotAllowed(
                _(
                    "Petugas hanya dapat menyembunyikan foto dari halaman publik. Foto "
                    "ditampilkan hanya atas pilihan pelapor sendiri."
                ),
                code=ReportErrorCode.PRIVACY_LIFT_NEEDS_REPORTER,
            )
    else:
        _reporter_role(report, user, secret)
    if is_public and attachment.content_type not in privacy.PUBLIC_ATTACHMENT_TYPES:
        raise ValidationFailed(
            _("Hanya foto yang dapat ditampilkan di halaman publik; dokumen PDF tidak pernah."),
            code=ReportErrorCode.NOT_A_PHOTO,
        )

    def mutate(r: Report, now: datetime) -> None:
        # Under the report's row lock: the report and the photo as they are now.
        if Attachment.objects.filter(pk=attachment.pk, is_public=is_public).exists():
            raise _Unchanged
        if is_public and r.is_confidential:
            raise ValidationFailed(
                _(
                    "Laporan ini rahasia, jadi fotonya tidak dapat ditampilkan untuk publik. "
                    "Lepaskan status rahasia lebih dulu bila Anda ingin laporan dan fotonya "
                    "terlihat publik."
                ),
                code=ReportErrorCode.PHOTO_OF_CONFIDENTIAL_REPORT,
            )
        Attachment.objects.filter(pk=attachment.pk).update(is_public=is_public)

    try:
        with transaction.atomic():
            role = authorize(officer, report, Action.PHOTO_VISIBILITY) if officer else REPORTER
            apply(
                report,
                Action.PHOTO_VISIBILITY,
                actor=officer or (user if report.reporter_id else None),
                role=role,
                mutate=mutate,
                is_internal=True,
                check_version=False,
                data={"attachment": attachment.pk, "public": is_public},
            )
    except _Unchanged:
        pass
    attachment.is_public = is_public
    return attachment


class _Unchanged(Exception):
    """The photo already has the asked setting: nothing to write."""
