"""Photos and PDFs the reporter adds to a reply or an appeal: checked like those of a new
report (``core.files.check_upload``: photos re-encoded without location and camera data) and
stored with the step, all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import ngettext

from lapor.core.errors import ValidationFailed
from lapor.core.files import CheckedFile, check_upload
from lapor.core.thumbnails import delete_with_thumbnail
from lapor.reports.error_codes import ReportErrorCode
from lapor.reports.models import Report

if TYPE_CHECKING:
    from lapor.reports.services.submit import Upload


def check_follow_files(attachments: Sequence[Upload]) -> list[CheckedFile]:
    """Refuse too many files or a file that is not a photo or PDF, before anything is written."""
    limit = settings.LAPOR_MAX_ATTACHMENTS
    if len(attachments) > limit:
        raise ValidationFailed(
            ngettext(
                "Paling banyak %(count)d lampiran per laporan.",
                "Paling banyak %(count)d lampiran per laporan.",
                limit,
            )
            % {"count": limit},
            code=ReportErrorCode.TOO_MANY_FILES,
            field="attachments",
        )
    return [check_upload(u.content, u.name) for u in attachments]


@contextmanager
def storing(report: Report, checked: list[CheckedFile]) -> Iterator[Callable[[], int]]:
    """Inside the step's transaction: ``store()`` saves the files; if the block fails, the
    files already written are deleted (the rows roll back with the transaction)."""
    from lapor.reports.services.submit import _store

    stored: list[str] = []

    def store() -> int:
        for info in checked:
            stored.append(_store(report, info))
        return len(stored)

    try:
        yield store
    except BaseException:
        for path in stored:
            delete_with_thumbnail(path)
        raise
