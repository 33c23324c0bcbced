"""Keeping the band table to what a lookup can find: the band rows of open reports.

Every caller of ``duplicates.lookup`` asks for open reports only (the portal, the back office's
similar list, the routing job; ``open_only=False`` is a measuring aid), so a band row is needed
exactly while its report is open. There is no age limit on top of that: the back office's list
for an open report reads from 60 days before *that* report, however old it is, so an open
report of any age can still be offered there; and every report older than the oldest open one
is closed, so an age rule would remove nothing the status rule does not.

- ``prune_bands``: remove the band rows of reports no longer open (closed, completed, merged,
  archived). Run by the periodic job ``prune_duplicate_bands`` (every sweep interval) and by
  ``lapor duplicates prune``. Signatures stay: one row per report, enough to band it again.
- ``band_again``: band rows for reports open again, from their stored signature (a report
  without a current one is indexed afresh); ``band_again_on_commit`` is the reopen service's
  hook, and ``restore_missing_bands`` the periodic safety net for a hook lost in a crash.

A report that closes keeps its rows until the next prune; the lookup already leaves it out, and
one sweep interval of closed rows is too little to crowd a key's newest rows.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import numpy as np
from django.db import transaction
from django.db.models import Exists, OuterRef

from lapor.reports.lifecycle import OPEN
from lapor.reports.models import Report
from lapor.routing.minhash import SCHEME, SIGNATURE_TYPE
from lapor.routing.models import DuplicateBand, DuplicateSignature

logger = logging.getLogger("lapor.routing")

BATCH = 500  # reports per DELETE statement: at most 32,000 rows, a short transaction each
PERIODIC_ROWS = 1_000_000  # a periodic run stops after about this many rows (~15,600 reports)


def prune_bands(*, batch: int = BATCH, max_rows: int | None = None) -> int:
    """Delete the band rows of reports that are no longer open; the number of rows deleted.

    Walks the reports that have band rows in id order (the ``report_id`` index), ``batch`` at a
    time; each batch is one DELETE in its own transaction, whose subquery checks the status
    itself, so a report reopened while the prune runs keeps (or gets back) its rows. Stops
    after ``max_rows`` rows (the periodic job's bound; the next run goes on). Running it again
    right away deletes nothing."""
    closed = Report.objects.exclude(status__in=sorted(OPEN))
    deleted = 0
    last = 0
    while max_rows is None or deleted < max_rows:
        ids = list(
            DuplicateBand.objects.filter(report_id__gt=last)
            .order_by("report_id")
            .values_list("report_id", flat=True)
            .distinct()[:batch]
        )
        if not ids:
            break
        last = ids[-1]
        with transaction.atomic():
            rows, _ = DuplicateBand.objects.filter(
                report_id__in=closed.filter(pk__in=ids).values("pk")
            ).delete()
        deleted += rows
    return deleted


def band_again(report_ids: Iterable[int]) -> int:
    """Band rows for those of ``report_ids`` that are open, from their stored signature; a
    report without a signature of the current scheme is indexed afresh. Rows already there
    stay as they are. Returns the number of reports banded."""
    from lapor.routing.duplicates import band_rows, index_reports

    opened = set(
        Report.objects.filter(pk__in=set(report_ids), status__in=sorted(OPEN)).values_list(
            "pk", flat=True
        )
    )
    signed = DuplicateSignature.objects.filter(report_id__in=opened, scheme=SCHEME)
    rows: list[DuplicateBand] = []
    banded: set[int] = set()
    for report_id, raw, region_code, submitted_at in signed.values_list(
        "report_id", "signature", "region_code", "submitted_at"
    ):
        sig = np.frombuffer(bytes(raw), dtype=SIGNATURE_TYPE)
        rows.extend(band_rows(report_id, sig, region_code, submitted_at))
        banded.add(report_id)
    DuplicateBand.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    unsigned = opened - banded
    if unsigned:
        indexed, _ = index_reports(Report.objects.filter(pk__in=unsigned))
        return len(banded) + indexed
    return len(banded)


def band_again_on_commit(report_id: int) -> None:
    """Inside the transaction that opens a report again: band it once that commits. A failure
    is logged, not raised (the reopen stands); ``restore_missing_bands`` repairs it."""
    transaction.on_commit(lambda: band_again([report_id]), robust=True)


def restore_missing_bands(*, batch: int = BATCH) -> int:
    """Band again every open report that has a current signature but no band rows (a reopen
    whose on-commit step was lost). One query finds them, normally none; the number banded."""
    missing = list(
        Report.objects.filter(status__in=sorted(OPEN))
        .filter(Exists(DuplicateSignature.objects.filter(report=OuterRef("pk"), scheme=SCHEME)))
        .exclude(Exists(DuplicateBand.objects.filter(report=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )
    restored = 0
    for start in range(0, len(missing), batch):
        restored += band_again(missing[start : start + batch])
    if restored:
        logger.warning("Banded again %d open reports that had lost their band rows", restored)
    return restored
