"""Finding open reports that a text repeats: MinHash bands in an indexed table, scoped to the
province, a recent window and whatever reports the caller may offer; confirmed on the full
signature (Jaccard, or containment of the shorter text), on the places the two texts name, and
on names and numbers swapped between them (``routing.differences``).

- ``lookup(text, region_code=…)``: the one search. The citizen's form (portal, through
  ``privacy.public_reports``), the officer's report page (through the officer's scope) and the
  routing job all call it.
- ``index_report`` / ``index_reports``: store a report's signature and, while it is open, its
  band keys (idempotent). ``routing.bands`` removes the band rows of reports that close and
  restores them when a report opens again.
- ``is_duplicate(text_a, text_b)``: the same decision for a pair of texts, for evaluation.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from lapor.reports.lifecycle import OPEN
from lapor.reports.models import Report
from lapor.routing.differences import NOT_NAMES, swapped
from lapor.routing.minhash import (
    DUPLICATE_AT,
    SCHEME,
    SIGNATURE_TYPE,
    Signed,
    alike,
    bands,
    share_a_band,
    signed,
    similarity,
)
from lapor.routing.models import DuplicateBand, DuplicateSignature

if TYPE_CHECKING:
    from lapor.routing.gazetteer import Gazetteer

WINDOW = timedelta(days=60)
PER_KEY = 40  # the newest reports read per band key: a key common to thousands is capped
CANDIDATES = 100  # reports sharing the most bands, then filtered by the caller's conditions
CONFIRM = 30  # of those, the ones sharing the most bands are confirmed on their signature
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Match:
    report_id: int
    tracking_id: str
    similarity: float
    same_kabkota: bool = True
    same_street: bool = False  # found by ``nearby.same_street``: same street, other words


def report_text(title: str, body: str) -> str:
    """The text a report is signed by: its title and its body."""
    return f"{title}. {body}"


def province_of(region_code: str | None) -> str:
    return (region_code or "").split(".")[0]


def kabkota_of(region_code: str | None) -> str:
    parts = (region_code or "").split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 else ""


# Places named in the text -------------------------------------------------------------------


@dataclass(frozen=True)
class Places:
    """The kabupaten/kota and kecamatan a text names (kecamatan also count for their kab/kota)."""

    kabkota: frozenset[str]
    kecamatan: frozenset[str]
    details: frozenset[str] = frozenset()  # details_in(): rt:3, desa:sukamaju, jalan:pemuda

    def stored(self) -> str:
        """As kept with a signature: the codes (kecamatan have two dots), then the details
        (``kind:value``), space-separated."""
        kept: list[str] = []
        for code in [*sorted(self.kabkota | self.kecamatan), *sorted(self.details)]:
            if sum(len(c) + 1 for c in kept) + len(code) > 200:
                break  # the field's length; a text naming thirty places is no help anyway
            kept.append(code)
        return " ".join(kept)

    @classmethod
    def from_stored(cls, value: str) -> Places:
        codes = value.split()
        return cls(
            frozenset(c for c in codes if c.count(".") == 1 and ":" not in c),
            frozenset(c for c in codes if c.count(".") == 2 and ":" not in c),
            frozenset(c for c in codes if ":" in c),
        )


_MARKERS = frozenset({"kabupaten", "kota", "kecamatan", "provinsi"})


def places_in(text: str, gaz: Gazetteer | None = None) -> Places:
    """The places ``text`` names, by the gazetteer (pass ``gaz`` to reuse one for many texts)."""
    from lapor.routing.gazetteer import gazetteer

    gaz = gaz or gazetteer()
    kabkota: set[str] = set()
    kecamatan: set[str] = set()
    for found in gaz.find(text):
        place = found.place
        if place.level == "kecamatan":
            kecamatan.add(place.code)
            parent = gaz.places.get(place.parent_code or "")
            if parent is not None:
                kabkota.add(parent.code)
        elif place.level == "kabupaten_kota":
            kabkota.add(place.code)
            if found.phrase.split()[0] not in _MARKERS:
                # A bare "Semarang" or "Magelang" may be the kota or the kabupaten: both.
                for marker in ("kabupaten", "kota"):
                    code = gaz.by_marker[marker].get(found.phrase)
                    if code is not None:
                        kabkota.add(code)
    return Places(frozenset(kabkota), frozenset(kecamatan), details_in(text))


def places_conflict(a: Places, b: Places) -> bool:
    """Both texts name a kabupaten/kota (or a kecamatan, or a village, street, RT or number)
    and none in common: the same problem in another place, not the same report. A text that
    names no place conflicts with none."""
    if a.kabkota and b.kabkota and a.kabkota.isdisjoint(b.kabkota):
        return True
    if a.kecamatan and b.kecamatan and a.kecamatan.isdisjoint(b.kecamatan):
        return True
    return details_conflict(a.details, b.details)


# Smaller places and numbers the gazetteer does not know: "RT 03", "desa Sukamaju",
# "jalan Pemuda", "km 12". Kept as ``kind:value`` tokens beside the region codes.
_NUMBERED = re.compile(r"\b(rt|rw|km|nomor|no|blok)\s*[.:]?\s*(\d{1,4})\b")
_NAMED = re.compile(r"\b(desa|kelurahan|dusun|dukuh|kampung|perumahan|jalan|gang)\s+([a-z]{3,})")
_SAME_KIND = {"nomor": "no", "kelurahan": "desa", "dukuh": "dusun", "kampung": "dusun"}


def details_in(text: str) -> frozenset[str]:
    """``rt:3``, ``no:12``, ``desa:sukamaju``, ``jalan:pemuda``: the smaller places and
    numbers a text names, its sign-off left out (normalised: slang expanded, "jl." →
    jalan)."""
    from lapor.routing.minhash import content
    from lapor.routing.text import normalise

    plain = normalise(content(text))  # not the sign-off: the reporter's own RT/RW is no place
    found = {
        f"{_SAME_KIND.get(kind, kind)}:{int(number)}" for kind, number in _NUMBERED.findall(plain)
    }
    for kind, first in _NAMED.findall(plain):
        if first not in NOT_NAMES:
            found.add(f"{_SAME_KIND.get(kind, kind)}:{first}")
    return frozenset(found)


def details_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """Both texts give a value of the same kind (an RT, a village, a street, a number) and
    no value of that kind in common: another street or village, another problem. A text
    that leaves a kind out (an SMS keeping only part of the report) conflicts with none."""
    kinds_a: dict[str, set[str]] = {}
    for token in a:
        kind, _, value = token.partition(":")
        kinds_a.setdefault(kind, set()).add(value)
    kinds_b: dict[str, set[str]] = {}
    for token in b:
        kind, _, value = token.partition(":")
        kinds_b.setdefault(kind, set()).add(value)
    return any(kind in kinds_b and not _any_alike(kinds_a[kind], kinds_b[kind]) for kind in kinds_a)


def _any_alike(a: set[str], b: set[str]) -> bool:
    """A value in common, or a name retyped with a typo ("pemuda"/"pemdua": ratio ≥ 75)."""
    if not a.isdisjoint(b):
        return True
    from rapidfuzz import fuzz

    return any(not x.isdigit() and not y.isdigit() and fuzz.ratio(x, y) >= 75 for x in a for y in b)


def is_duplicate(text_a: str, text_b: str, *, threshold: float = DUPLICATE_AT) -> bool:
    """The lookup's decision for two texts: found through a band, alike enough
    (``minhash.alike``: Jaccard at ``threshold``, or the shorter mostly contained in the
    longer), not naming different places, and not one with a name or a number swapped
    (``differences.swapped``)."""
    a, b = signed(text_a), signed(text_b)
    if not share_a_band(a.signature, b.signature) or alike(a, b, threshold=threshold) is None:
        return False
    if places_conflict(places_in(text_a), places_in(text_b)):
        return False
    return not swapped(text_a, text_b)


# Index ----------------------------------------------------------------------------------------


def band_rows(
    report_id: int, sig: np.ndarray, region_code: str, submitted_at: datetime
) -> list[DuplicateBand]:
    """The band rows of one report's signature (a key repeated within it is stored once)."""
    keys = set(bands(sig, province_of(region_code)))
    return [DuplicateBand(key=k, submitted_at=submitted_at, report_id=report_id) for k in keys]


def _rows(
    report_id: int, text: str, region_code: str, submitted_at: datetime, gaz: Gazetteer
) -> tuple[DuplicateSignature, list[DuplicateBand]]:
    made = signed(text)
    sig = made.signature
    row = DuplicateSignature(
        report_id=report_id,
        signature=sig.tobytes(),
        shingles=made.size,
        scheme=SCHEME,
        places=places_in(text, gaz).stored(),
        region_code=region_code,
        submitted_at=submitted_at,
    )
    return row, band_rows(report_id, sig, region_code, submitted_at)


def index_report(report: Report) -> None:
    """Store the report's signature, and its band keys if it is open (once; a second call
    changes nothing)."""
    index_reports(Report.objects.filter(pk=report.pk))


def index_reports(
    reports: QuerySet[Report], *, batch: int = 2000, again: bool = False
) -> tuple[int, int]:
    """Index ``reports`` in batches of ``batch``, one transaction each: a signature for every
    report, band rows for the open ones only (every lookup asks for open reports; see
    ``routing.bands``). Reports indexed with the current ``minhash.SCHEME`` are skipped unless
    ``again``; rows of an older scheme are replaced. Returns (indexed, skipped)."""
    from lapor.routing.gazetteer import gazetteer

    gaz = gazetteer()
    indexed = skipped = 0
    last = 0
    base = reports.order_by("pk")
    while True:
        chunk = list(
            base.filter(pk__gt=last).values_list(
                "pk", "title", "body", "region_id", "submitted_at", "status"
            )[:batch]
        )
        if not chunk:
            return indexed, skipped
        last = chunk[-1][0]
        ids = [row[0] for row in chunk]
        with transaction.atomic():
            current = DuplicateSignature.objects.filter(report_id__in=ids, scheme=SCHEME)
            done = set() if again else set(current.values_list("report_id", flat=True))
            stale = [pk for pk in ids if pk not in done]
            DuplicateBand.objects.filter(report_id__in=stale).delete()
            DuplicateSignature.objects.filter(report_id__in=stale).delete()
            signatures: list[DuplicateSignature] = []
            keyed: list[DuplicateBand] = []
            for pk, title, body, region, submitted_at, status in chunk:
                if pk in done:
                    continue
                text = report_text(title, body)
                row, keys = _rows(pk, text, region or "", submitted_at, gaz)
                signatures.append(row)
                if status in OPEN:
                    keyed.extend(keys)
            # Another process indexing the same report at once: its rows stand, ours are dropped.
            DuplicateSignature.objects.bulk_create(
                signatures, batch_size=1000, ignore_conflicts=True
            )
            DuplicateBand.objects.bulk_create(keyed, batch_size=5000, ignore_conflicts=True)
        indexed += len(signatures)
        skipped += len(chunk) - len(signatures)


# Lookup ---------------------------------------------------------------------------------------


def _band_candidates(keys: Sequence[int], since: datetime | None) -> list[int]:
    """Reports sharing a band key with the text, those sharing the most first. PostgreSQL
    reads at most ``PER_KEY`` newest reports per key (one index range scan each)."""
    since = since or _EPOCH
    if connection.vendor == "postgresql":
        table = DuplicateBand._meta.db_table
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT b.report_id FROM unnest(%s::bigint[]) AS k(key) "  # noqa: S608
                f"CROSS JOIN LATERAL (SELECT d.report_id FROM {table} d "
                f"WHERE d.key = k.key AND d.submitted_at >= %s "
                f"ORDER BY d.submitted_at DESC LIMIT %s) b "
                f"GROUP BY b.report_id ORDER BY count(*) DESC, b.report_id DESC LIMIT %s",
                [list(keys), since, PER_KEY, CANDIDATES],
            )
            return [row[0] for row in cur.fetchall()]
    counts = Counter(
        DuplicateBand.objects.filter(key__in=list(keys), submitted_at__gte=since).values_list(
            "report_id", flat=True
        )
    )
    return [pk for pk, _ in counts.most_common(CANDIDATES)]


def lookup(
    text: str,
    *,
    region_code: str | None,
    within: QuerySet[Report] | None = None,
    since: datetime | None = None,
    window: timedelta | None = WINDOW,
    open_only: bool = True,
    exclude: Iterable[int] = (),
    limit: int = 5,
    threshold: float = DUPLICATE_AT,
    stats: dict[str, Any] | None = None,
) -> list[Match]:
    """Reports of ``within`` (default: all) that ``text`` repeats, in the province of
    ``region_code``, submitted since ``since`` (default: ``window`` ago; both None: ever),
    open unless ``open_only`` is False. Only open reports keep band rows (``routing.bands``
    prunes the others), so ``open_only=False`` adds no more than the reports closed since the
    last prune: a measuring aid (``bench/duplicates_lookup.py``), not a search of closed ones.

    Ordered: the same kabupaten/kota first, then the rest of the province, most similar first
    within each. Texts naming different places, or one text with a name or a number of the
    other swapped (``differences.swapped``), are never matched. Four small queries: the band
    keys, the caller's conditions on the candidates, the signatures (and texts) of the best
    30, and the gazetteer's check that the regions did not change. ``stats`` (a dict)
    receives the number of candidates and of those alike enough (before the place and swap
    checks)."""
    if since is None and window is not None:
        since = timezone.now() - window
    mine_signed = signed(text)
    ids = _band_candidates(bands(mine_signed.signature, province_of(region_code)), since)
    skip = set(exclude)
    ids = [pk for pk in ids if pk not in skip]
    if ids and (within is not None or open_only):
        reports = Report.objects.all() if within is None else within
        if open_only:
            reports = reports.filter(status__in=sorted(OPEN))
        allowed = set(reports.filter(pk__in=ids).values_list("pk", flat=True))
        ids = [pk for pk in ids if pk in allowed]
    if stats is not None:
        stats["candidates"] = len(ids)
    if not ids:
        return []
    # Confirm those sharing the most bands (a near-duplicate shares most of its bands), with
    # their texts for the swap check (30 rows of about a kilobyte).
    rows = DuplicateSignature.objects.filter(report_id__in=ids[:CONFIRM], scheme=SCHEME)
    kabkota = kabkota_of(region_code)
    mine: Places | None = None
    scored = []
    for report_id, tracking_id, raw, size, code, places, title, body in rows.values_list(
        "report_id",
        "report__tracking_id",
        "signature",
        "shingles",
        "region_code",
        "places",
        "report__title",
        "report__body",
    ):
        theirs = Signed(np.frombuffer(bytes(raw), dtype=SIGNATURE_TYPE), size)
        score = alike(mine_signed, theirs, threshold=threshold)
        if score is None:
            continue
        same = bool(kabkota) and kabkota_of(code) == kabkota
        match = Match(report_id, tracking_id, round(score, 3), same)
        # Ranked by the Jaccard estimate: a whole repeat before a text merely contained in it
        # (a short text is wholly contained in many longer look-alikes).
        jaccard = similarity(mine_signed.signature, theirs.signature)
        scored.append((not same, -jaccard, -report_id, match, places, title, body))
    if stats is not None:
        stats["confirmed"] = len(scored)
    # In the order offered, the first ``limit`` that name no other place and swap no name or
    # number (the swap check reads both texts: done for as few as needed).
    scored.sort(key=lambda row: row[:3])
    found: list[Match] = []
    for *_, match, places, title, body in scored:
        mine = mine or places_in(text)
        if places_conflict(mine, Places.from_stored(places)):
            continue
        if swapped(text, report_text(title, body)):
            continue
        found.append(match)
        if len(found) == limit:
            break
    return found


def find_duplicates(report: Report, *, limit: int = 5) -> list[Match]:
    """Open reports in the same province, submitted in the 60 days before this one or since,
    that this one repeats (the routing job's question)."""
    return lookup(
        report_text(report.title, report.body),
        region_code=report.region_id,
        since=report.submitted_at - WINDOW,
        exclude=[report.pk],
        limit=limit,
    )


def matched_reports(matches: Sequence[Match], reports: QuerySet[Report]) -> list[Report]:
    """The reports of ``matches`` loaded from ``reports`` (one query, the match order kept),
    each carrying ``similarity``, ``same_kabkota`` and ``same_street``; a match outside
    ``reports`` is dropped."""
    found = reports.in_bulk([m.report_id for m in matches])
    out = []
    for match in matches:
        report = found.get(match.report_id)
        if report is not None:
            report.similarity = match.similarity  # type: ignore[attr-defined]
            report.same_kabkota = match.same_kabkota  # type: ignore[attr-defined]
            report.same_street = match.same_street  # type: ignore[attr-defined]
            out.append(report)
    return out
