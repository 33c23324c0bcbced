"""The archive: one ``PolicyReport`` row per month and region, its files in the default storage.

``make`` is idempotent: a month and region already archived is returned as it is (``force``
makes it again, replacing the files). The monthly job (``tasks.policy_reports``) makes last
month's national and provincial reports once the month is over; run twice it makes nothing new.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from lapor.analytics.automation import previous_month
from lapor.analytics.facts import DAY_ZONE
from lapor.analytics.policy_report.content import scope_of
from lapor.analytics.policy_report.render import render
from lapor.analytics.report_models import PolicyReport
from lapor.regions.models import Region

logger = logging.getLogger("lapor.analytics")
FOLDER = "laporan-kebijakan"
# The rollups lag the events by a few minutes: a month is reported this long after it ends.
SETTLE = timedelta(hours=1)


def _name(month: date, region: str, language: str, ext: str) -> str:
    slug = region or "nasional"
    suffix = "" if language == "id" else f"-{language}"
    return f"{FOLDER}/{month:%Y-%m}/suara-rakyat-{month:%Y-%m}-{slug}{suffix}.{ext}"


def _save(name: str, data: bytes) -> str:
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(data))


def make(month: date, region: str = "", *, force: bool = False) -> tuple[PolicyReport, bool]:
    """The month's report for ``region`` ("" national): (the row, whether it was made now)."""
    month = month.replace(day=1)
    found = PolicyReport.objects.filter(month=month, region=region).first()
    if found is not None and not force:
        return found, False
    scope = scope_of(region)  # LookupError for an unknown province
    id_, en = render(month, region, "id"), render(month, region, "en")
    files = {
        "html": _save(_name(month, region, "id", "html"), id_.html),
        "pdf": _save(_name(month, region, "id", "pdf"), id_.pdf),
        "html_en": _save(_name(month, region, "en", "html"), en.html),
        "pdf_en": _save(_name(month, region, "en", "pdf"), en.pdf),
    }
    fields = {
        **files,
        "region_name": scope.name,
        "pdf_pages": id_.pages,
        "examples": sorted(set(id_.content.example_ids) | set(en.content.example_ids)),
        "created_at": timezone.now(),
    }
    try:
        with transaction.atomic():
            row, created = PolicyReport.objects.update_or_create(
                month=month, region=region, defaults=fields
            )
    except IntegrityError:  # another worker archived it at the same moment: theirs stands
        return PolicyReport.objects.get(month=month, region=region), False
    return row, created or force


def regions() -> list[str]:
    """Every report of a month: the national one and one per province."""
    return [
        "",
        *Region.objects.filter(level=Region.Level.PROVINSI)
        .order_by("code")
        .values_list("code", flat=True),
    ]


def last_month(now: datetime | None = None) -> date | None:
    """The month to report at ``now``: the previous one (WIB), once it is ``SETTLE`` over."""
    moment = (now or timezone.now()).astimezone(DAY_ZONE)
    if moment - SETTLE < moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0):
        return None  # the rollups may not have counted the month's last minutes yet
    return previous_month(moment.date())


def make_month(month: date) -> int:
    """Every report of ``month`` not archived yet; the number made."""
    made = 0
    for region in regions():
        _row, created = make(month, region)
        made += created
    return made


def refresh_hidden() -> int:
    """Make again every archived report quoting a report no longer public (made rahasia or
    merged since): the number made again."""
    from lapor.reports.privacy import public_reports

    rows = [r for r in PolicyReport.objects.only("pk", "month", "region", "examples") if r.examples]
    quoted = {pk for r in rows for pk in r.examples}
    shown = set(public_reports().filter(pk__in=quoted).values_list("pk", flat=True))
    redone = 0
    for row in rows:
        if not set(row.examples) <= shown:
            logger.info("Policy report %s quoted a report no longer public: made again", row)
            make(row.month, row.region, force=True)
            redone += 1
    return redone
