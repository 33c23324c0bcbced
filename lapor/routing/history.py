"""Training data: imported history (``lapor routing import-history``) and officer
corrections (a human disposition, a forward, a bukan wewenang naming the right agency)."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from lapor.agencies.models import Agency
from lapor.regions.models import Region
from lapor.reports.lifecycle import Action
from lapor.reports.models import ReportEvent
from lapor.routing.labels import LabelIndex, agency_for_label, label_key, main_province
from lapor.routing.models import LabelAlias, TrainingExample


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
class Mapped:
    label: str
    agency: str  # code
    rows: int
    how: str  # labels.BY_* or labels.UNMATCHED


@dataclass
class Imported:
    rows: int = 0
    matched: int = 0
    imported_agencies: int = 0
    remapped: int = 0  # rows of an earlier import of the same source now mapped elsewhere
    mapping: list[Mapped] = field(default_factory=list)  # most rows first


def read_aliases(path: Path) -> list[tuple[str, Agency]]:
    """An operator's alias file: lines ``label,agency_code`` (a header line ``label,
    agency_code`` is allowed). Every code must name an active agency that receives reports."""
    aliases = []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        for number, row in enumerate(csv.reader(fh), start=1):
            if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
                continue
            if number == 1 and [c.strip().lower() for c in row[:2]] == ["label", "agency_code"]:
                continue
            if len(row) < 2 or not row[0].strip() or not row[1].strip():
                raise HistoryRefused(f"Baris {number} berkas alias: tulis label,kode_instansi.")
            agency = Agency.objects.filter(
                code=row[1].strip(), is_active=True, accepts_reports=True
            ).first()
            if agency is None:
                raise HistoryRefused(
                    f"Baris {number} berkas alias: tidak ada instansi aktif penerima laporan "
                    f"dengan kode {row[1].strip()!r}."
                )
            aliases.append((row[0].strip(), agency))
    return aliases


def save_aliases(aliases: list[tuple[str, Agency]]) -> None:
    for label, agency in aliases:
        LabelAlias.objects.update_or_create(
            key=label_key(label)[:200], defaults={"label": label[:200], "agency": agency}
        )


def import_history(
    path: Path,
    *,
    source: str = "",
    aliases: Path | None = None,
    province: str | None = None,
) -> Imported:
    """Store each row with the agency its label names; unmatched labels become imported
    agencies. Re-importing the same file adds no rows; it maps the rows already stored again
    (after an alias file, or a richer agency tree). ``province``: the province labels without
    one belong to (default: the province most rows' ``region_code`` names)."""
    rows = read_rows(path)
    source = source or path.name
    if aliases is not None:
        save_aliases(read_aliases(path=aliases))
    province = province or labels_province(rows)
    index = LabelIndex(province)
    again = TrainingExample.objects.filter(source=source).exists()
    result = Imported(rows=0 if again else len(rows))
    counts = Counter(row["label"].strip() for row in rows)
    by_label: dict[str, Agency] = {}
    for label, n in counts.most_common():
        code, how = index.explain(label)
        agency = agency_for_label(label, index)
        by_label[label] = agency
        result.mapping.append(Mapped(label, agency.code, n, how))
        if code is not None:
            result.matched += n
        else:
            result.imported_agencies += 1
    if again:
        for label, agency in by_label.items():
            result.remapped += (
                TrainingExample.objects.filter(source=source, label=label[:200])
                .exclude(agency=agency)
                .update(agency=agency)
            )
        return result
    regions = set(Region.objects.values_list("code", flat=True))
    examples = []
    for row in rows:
        region = (row.get("region_code") or "").strip()
        examples.append(
            TrainingExample(
                text=row["text"],
                label=row["label"].strip()[:200],
                agency=by_label[row["label"].strip()],
                region_id=region if region in regions else None,
                category=(row.get("category") or "")[:120],
                occurred_at=parse_when(row.get("date", "")),
                source=source,
            )
        )
    TrainingExample.objects.bulk_create(examples, batch_size=1000)
    return result


def labels_province(rows: list[dict[str, str]]) -> str | None:
    """The province a file's labels without one belong to: the one most of its rows'
    ``region_code`` names, else the one most imported history names, else the one its labels
    naming a regional agency outright point at ("Kota Semarang")."""
    found = main_province(r.get("region_code") for r in rows)
    if found is None:
        found = main_province(
            TrainingExample.objects.exclude(region__isnull=True)
            .values_list("region_id", flat=True)
            .order_by("-id")[:5000]
        )
    if found is None:
        found = LabelIndex().guess_province(r["label"].strip() for r in rows)
    return found


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
