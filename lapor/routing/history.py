"""Training data: imported history (``lapor routing import-history``) and officer
corrections (a human disposition, a forward, a bukan wewenang naming the right agency)."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Case, F, QuerySet, When, Window
from django.db.models.fields.json import KT
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from lapor.agencies.models import Agency
from lapor.regions.models import Region
from lapor.reports.lifecycle import Action
from lapor.reports.models import Report, ReportEvent
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


def training_bound() -> tuple[int, int]:
    """``(per_agency, total)``: training reads at most the newest ``per_agency`` examples of
    each agency and ``total`` in all (``LAPOR_ROUTING_TRAIN_PER_AGENCY``,
    ``LAPOR_ROUTING_TRAIN_MAX_EXAMPLES``), so its memory does not grow with the history."""
    from lapor.config import DEFAULT_TRAIN_MAX_EXAMPLES, DEFAULT_TRAIN_PER_AGENCY

    bound = []
    for name, default in (
        ("LAPOR_ROUTING_TRAIN_PER_AGENCY", DEFAULT_TRAIN_PER_AGENCY),
        ("LAPOR_ROUTING_TRAIN_MAX_EXAMPLES", DEFAULT_TRAIN_MAX_EXAMPLES),
    ):
        value = getattr(settings, name, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(
                _("%(name)s harus bilangan bulat 1 atau lebih, bukan %(value)r.")
                % {"name": name, "value": value}
            )
        bound.append(value)
    return bound[0], bound[1]


# Rows fetched from the database at a time (a server-side cursor on PostgreSQL).
CHUNK = 5000
Progress = Callable[[int], None]  # examples read so far


def _stream(sql: str, params: Sequence[Any], progress: Progress | None) -> Iterator[tuple]:
    """The rows of ``sql``, fetched ``CHUNK`` at a time through a server-side cursor (on
    PostgreSQL: only ``CHUNK`` rows are ever held in memory by the driver)."""
    read = 0
    server_side = not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    with connection.chunked_cursor() if server_side else connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            yield from rows
            read += len(rows)
            if progress is not None:
                progress(read)
    if progress is not None and read == 0:
        progress(0)


def imported_examples(
    *,
    per_agency: int | None = None,
    limit: int | None = None,
    progress: Progress | None = None,
) -> list[Example]:
    """Imported history: the newest ``per_agency`` rows of each agency, and of those the
    newest ``limit`` (default ``training_bound()``), chosen by the database."""
    bound = training_bound()
    per_agency = bound[0] if per_agency is None else per_agency
    limit = bound[1] if limit is None else limit
    newest = [F("occurred_at").desc(nulls_last=True), F("id").desc()]
    rows = (
        TrainingExample.objects.annotate(
            k=Window(RowNumber(), partition_by=[F("agency_id")], order_by=newest)
        )
        .filter(k__lte=per_agency)
        .order_by(*newest)
        .values_list("text", "agency__code", "occurred_at", "region_id")[:limit]
    )
    examples = []
    for t, a, w, r in rows.iterator(chunk_size=CHUNK):
        examples.append(Example(t, a, w, r))
        if progress is not None and len(examples) % CHUNK == 0:
            progress(len(examples))
    if progress is not None:
        progress(len(examples))
    return examples


# An officer's choice of who handles a report: a disposition, the unit an agency admin chose
# inside the agency, a forward, a bukan wewenang naming the right agency.
CORRECTING = (Action.DISPOSE, Action.DISPOSE_UNIT, Action.FORWARD, Action.NOT_AUTHORITY)


def _final_choices() -> QuerySet[Any, Any]:
    """Per report, the agency an officer chose last: its latest correcting event by a person
    that names an agency (``rn`` = 1), with the event's time."""
    code = Case(
        When(action=Action.NOT_AUTHORITY, then=KT("data__suggested")), default=KT("data__to")
    )
    return (
        ReportEvent.objects.filter(action__in=CORRECTING, actor__isnull=False)
        .annotate(code=code)
        .exclude(code__isnull=True)
        .exclude(code="")
        .annotate(rn=Window(RowNumber(), partition_by=[F("report_id")], order_by=F("seq").desc()))
        .order_by()
        .values("report_id", "code", "created_at", "rn")
    )


def correction_examples(
    *,
    per_agency: int | None = None,
    limit: int | None = None,
    progress: Progress | None = None,
) -> list[Example]:
    """The agency an officer finally chose for each report, from its events: a disposition
    by a person (not by the router), the unit an agency admin disposed it to, a forward, or
    the agency a bukan wewenang names. Only the newest ``per_agency`` reports of each agency,
    and of those the newest ``limit`` (default ``training_bound()``): the database picks them
    (window functions, also on SQLite ≥ 3.25) and they are streamed with only the columns
    training needs."""
    bound = training_bound()
    per_agency = bound[0] if per_agency is None else per_agency
    limit = bound[1] if limit is None else limit
    chosen, params = _final_choices().query.sql_with_params()
    report = connection.ops.quote_name(Report._meta.db_table)
    sql = f"""
        SELECT r.id, r.title, r.body, r.region_id, c.code, c.created_at
        FROM (
            SELECT report_id, code, created_at FROM (
                SELECT report_id, code, created_at, ROW_NUMBER() OVER (
                    PARTITION BY code ORDER BY created_at DESC, report_id DESC
                ) AS k
                FROM ({chosen}) AS last
                WHERE rn = 1
            ) AS ranked
            WHERE k <= %s
            ORDER BY created_at DESC, report_id DESC
            LIMIT %s
        ) AS c
        JOIN {report} AS r ON r.id = c.report_id
        """  # noqa: S608 - only the ORM's own SQL and a quoted table name are interpolated
    rows = _stream(sql, [*params, per_agency, limit], progress)
    return [Example(f"{t}. {b}", code, _when(at), region) for _, t, b, region, code, at in rows]


def _when(value: datetime | str | None) -> datetime | None:
    """An event time as raw SQL returns it (SQLite: naive UTC, or text)."""
    when = parse_datetime(value) if isinstance(value, str) else value
    if when is not None and timezone.is_naive(when):
        when = timezone.make_aware(when, UTC)
    return when
