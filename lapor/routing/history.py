"""Training data: imported history (``lapor routing import-history``) and officer
corrections (a human disposition, a forward, a bukan wewenang naming the right agency)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from lapor.agencies.models import Agency
from lapor.regions.models import Region
from lapor.reports.lifecycle import Action
from lapor.reports.models import ReportEvent
from lapor.routing.labels import LabelIndex, agency_for_label
from lapor.routing.models import TrainingExample


@dataclass(frozen=True)
class Example:
    text: str
    agency: str  # agency code
    at: datetime | None
    region: str | None = None


class HistoryRefused(Exception):
    """The file cannot be imported; the message says why."""


def parse_when(raw: str) -> datetime | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    when = parse_datetime(raw)
    if when is None:
        day = parse_date(raw[:10])
        if day is None:
            return None
        when = datetime(day.year, day.month, day.day)
    return when if timezone.is_aware(when) else timezone.make_aware(when, UTC)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = {"text", "label"} - set(reader.fieldnames or [])
        if missing:
            raise HistoryRefused(f"Kolom wajib tidak ada: {', '.join(sorted(missing))}.")
        return [r for r in reader if (r.get("text") or "").strip() and (r.get("label") or "")]


@dataclass
class Imported:
    rows: int = 0
    matched: int = 0
    imported_agencies: int = 0


def import_history(path: Path, *, source: str = "") -> Imported:
    """Store each row with the agency its label names; unmatched labels become imported
    agencies. Re-importing the same file adds nothing (rows are keyed by source)."""
    rows = read_rows(path)
    source = source or path.name
    result = Imported(rows=len(rows))
    if TrainingExample.objects.filter(source=source).exists():
        return Imported()
    index = LabelIndex()
    regions = set(Region.objects.values_list("code", flat=True))
    by_label: dict[str, tuple[str, bool]] = {}
    examples = []
    pks: dict[str, int] = {}
    for row in rows:
        label = row["label"].strip()
        if label not in by_label:
            matched = index.match(label) is not None
            by_label[label] = (agency_for_label(label, index).code, matched)
            result.imported_agencies += not matched
        code, matched = by_label[label]
        if code not in pks:
            pks[code] = Agency.objects.values_list("pk", flat=True).get(code=code)
        result.matched += matched
        region = (row.get("region_code") or "").strip()
        examples.append(
            TrainingExample(
                text=row["text"],
                label=label[:200],
                agency_id=pks[code],
                region_id=region if region in regions else None,
                category=(row.get("category") or "")[:120],
                occurred_at=parse_when(row.get("date", "")),
                source=source,
            )
        )
    TrainingExample.objects.bulk_create(examples, batch_size=1000)
    return result


def imported_examples() -> list[Example]:
    rows = TrainingExample.objects.values_list("text", "agency__code", "occurred_at", "region_id")
    return [Example(t, a, w, r) for t, a, w, r in rows]


CORRECTING = (Action.DISPOSE, Action.FORWARD, Action.NOT_AUTHORITY)


def correction_examples() -> list[Example]:
    """The agency an officer finally chose for each report, from its events: a disposition
    by a person (not by the router), a forward, or the agency a bukan wewenang names."""
    chosen: dict[int, tuple[str, datetime]] = {}
    events = (
        ReportEvent.objects.filter(action__in=CORRECTING)
        .exclude(actor__isnull=True)
        .order_by("report_id", "seq")
        .values_list("report_id", "action", "data", "created_at")
    )
    for report_id, action, data, at in events:
        code = (data or {}).get("suggested" if action == Action.NOT_AUTHORITY else "to")
        if code:
            chosen[report_id] = (code, at)
    from lapor.reports.models import Report

    texts = Report.objects.filter(pk__in=chosen).values_list("pk", "title", "body", "region_id")
    return [Example(f"{t}. {b}", chosen[pk][0], chosen[pk][1], r) for pk, t, b, r in texts]
