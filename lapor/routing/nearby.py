"""Open reports about the same problem in the same street or village, however worded.

The duplicate lookup (``duplicates.lookup``) finds texts that repeat one another; two citizens
who describe one broken road in their own words share few character shingles and are missed.
They do share where and what: the street, village, hamlet, alley or housing estate they name
(``duplicates.details_in``, stored with every signature in ``places``) and the kind of problem
(``topics``: road surface, street lights, water, drains and floods, rubbish, electricity, …).

``same_street(text, region_code=…, within=…)`` is the second pass of the citizen's and the
officer's "similar reports": open reports of ``within`` in the same kabupaten/kota, submitted in
the window, whose stored details share a named street or village with the text (no detail of
one kind in conflict: another RT of the same street is another place), and that share a topic
with it. One indexed query (the signatures of the kabupaten/kota since the window start whose
``places`` contain one of the text's street or village tokens; at most ``SCAN`` newest).
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
from django.db.models import Q, QuerySet

from lapor.reports.lifecycle import OPEN
from lapor.reports.models import Report
from lapor.routing.duplicates import (
    Match,
    Places,
    details_conflict,
    details_in,
    kabkota_of,
    report_text,
)
from lapor.routing.minhash import SCHEME, SIGNATURE_TYPE, signature, similarity, words

SCAN = 50  # the newest signatures read that name one of the text's streets or villages
NAMED = ("jalan", "desa", "dusun", "gang", "perumahan")  # detail kinds that name a place
# Parts of words that say what the problem is. A text hits a topic when one of its words
# contains one of these; "rusak" alone (broken what?) counts for the road only when nothing
# more specific is named.
TOPICS: dict[str, tuple[str, ...]] = {
    "jalan": ("lubang", "aspal", "retak", "tambal", "amblas", "longsor", "betonisasi", "makadam"),
    "jembatan": ("jembatan",),
    "lampu": ("lampu", "pju", "penerangan", "gelap"),
    "air": ("pdam", "air bersih", "keruh", "pipa", "sumur"),
    "banjir": ("banjir", "genang", "drainase", "selokan", "saluran", "gorong"),
    "sampah": ("sampah", "tpa", "tps", "limbah", "bau"),
    "listrik": ("listrik", "pln", "padam", "trafo", "kabel"),
    "dokumen": ("ktp", "akta", "dukcapil", "kependudukan", "kartu keluarga"),
    "bantuan": ("bantuan", "pkh", "bpnt", "rastra", "raskin", "sembako", "blt"),
    "sekolah": ("sekolah", "guru", "siswa", "murid", "ppdb", "zonasi"),
    "kesehatan": ("puskesmas", "rsud", "bpjs", "dokter", "pasien", "obat"),
    "parkir": ("parkir", "macet", "pkl", "pedagang", "trotoar"),
    "tanah": ("sertifikat", "tanah", "ptsl", "prona"),
}
_BROKEN = ("rusak", "hancur", "ambrol")


def topics(text: str) -> frozenset[str]:
    """The kinds of problem ``text`` names (see ``TOPICS``)."""
    plain = " ".join(words(text))
    found = {topic for topic, parts in TOPICS.items() if any(p in plain for p in parts)}
    if not found and any(b in plain for b in _BROKEN):
        found.add("jalan")
    return frozenset(found)


def streets(details: frozenset[str]) -> frozenset[str]:
    """The named street, village, hamlet, alley or estate tokens of ``details``."""
    return frozenset(t for t in details if t.partition(":")[0] in NAMED)


def same_street(
    text: str,
    *,
    region_code: str | None,
    within: QuerySet[Report],
    since: datetime,
    exclude: set[int] | frozenset[int] = frozenset(),
    limit: int = 5,
) -> list[Match]:
    """Open reports of ``within`` in the kabupaten/kota of ``region_code``, submitted since
    ``since``, naming a street or village of ``text`` (and none of one kind in conflict) and a
    problem of the same kind; the newest first, at most ``limit``. Each ``Match`` carries the
    estimated Jaccard of the two texts (low: they are worded differently)."""
    kabkota = kabkota_of(region_code)
    mine = details_in(text)
    named = streets(mine)
    wanted = topics(text)
    if not kabkota or not named or not wanted:
        return []
    from lapor.routing.models import DuplicateSignature

    naming = Q()
    for token in sorted(named):
        naming |= Q(places__contains=token)
    reachable = within.filter(status__in=sorted(OPEN))
    rows = (
        DuplicateSignature.objects.filter(naming, scheme=SCHEME, submitted_at__gte=since)
        .filter(Q(region_code=kabkota) | Q(region_code__startswith=f"{kabkota}."))
        .filter(report__in=reachable.values("pk"))
        .exclude(report_id__in=exclude)
        .order_by("-submitted_at", "-report_id")
        .values_list(
            "report_id",
            "report__tracking_id",
            "signature",
            "places",
            "report__title",
            "report__body",
        )[:SCAN]
    )
    sig = signature(text)
    found: list[Match] = []
    for report_id, tracking_id, raw, places, title, body in rows:
        theirs = Places.from_stored(places).details
        if named.isdisjoint(streets(theirs)) or details_conflict(mine, theirs):
            continue  # a longer name containing ours, or another RT or number of the street
        if wanted.isdisjoint(topics(report_text(title, body))):
            continue  # the same street, another problem
        score = similarity(sig, np.frombuffer(bytes(raw), dtype=SIGNATURE_TYPE))
        found.append(Match(report_id, tracking_id, round(score, 3), True, same_street=True))
        if len(found) == limit:
            break
    return found
