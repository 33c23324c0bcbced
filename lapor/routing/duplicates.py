"""Finding open reports that a new report repeats: MinHash bands in an indexed table,
restricted to the same province and a recent window, confirmed on the full signature."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.db.models import Q

from lapor.reports.lifecycle import OPEN
from lapor.reports.models import Report
from lapor.routing.minhash import DUPLICATE_AT, bands, signature, similarity
from lapor.routing.models import DuplicateBand, DuplicateSignature

WINDOW = timedelta(days=60)


@dataclass(frozen=True)
class Match:
    report_id: int
    tracking_id: str
    similarity: float


def _province(region_code: str) -> str:
    return region_code.split(".")[0]


def index_report(report: Report) -> None:
    """Store the report's signature and band keys (once; a second call changes nothing)."""
    if DuplicateSignature.objects.filter(pk=report.pk).exists():
        return
    sig = signature(f"{report.title}. {report.body}")
    DuplicateSignature.objects.create(
        report=report,
        signature=sig.tobytes(),
        region_code=report.region_id or "",
        submitted_at=report.submitted_at,
    )
    DuplicateBand.objects.bulk_create(
        DuplicateBand(report=report, band=i, key=k) for i, k in enumerate(bands(sig))
    )


def find_duplicates(report: Report, *, limit: int = 5) -> list[Match]:
    """Open reports in the same province, submitted in the last 60 days, that this one
    repeats, most similar first."""
    sig = signature(f"{report.title}. {report.body}")
    match = Q()
    for i, k in enumerate(bands(sig)):
        match |= Q(band=i, key=k)
    candidates = set(
        DuplicateBand.objects.filter(match)
        .exclude(report_id=report.pk)
        .values_list("report_id", flat=True)
    )
    if not candidates:
        return []
    province = _province(report.region_id or "")
    rows = DuplicateSignature.objects.filter(
        report_id__in=candidates,
        submitted_at__gte=report.submitted_at - WINDOW,
        region_code__startswith=province,
        report__status__in=OPEN,
    ).values_list("report_id", "report__tracking_id", "signature")
    found = []
    for report_id, tracking_id, raw in rows:
        score = similarity(sig, np.frombuffer(bytes(raw), dtype=np.uint64))
        if score >= DUPLICATE_AT:
            found.append(Match(report_id, tracking_id, round(score, 3)))
    return sorted(found, key=lambda m: -m.similarity)[:limit]
