"""Where a report is: the chosen region, refined or found by place names in the text.

The gazetteer is built once per process from the region table (rebuilt when the table
changes) and knows the spellings people use: "Kabupaten Demak", "Kab. Demak", "kab demak",
bare "Demak", "Kota Semarang" vs "Semarang", province short names (Jateng, DIY), kecamatan
with "Kec."; small typos are caught by fuzzy matching on the place name after a marker."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal

from rapidfuzz import fuzz, process

from lapor.agencies.catalog import PROVINCE_SHORT, place_name
from lapor.regions.models import Region
from lapor.routing.text import normalise

EXTRA_PROVINCE_NAMES = {
    "33": ["jawa tengah", "jateng"],
    "32": ["jawa barat", "jabar"],
    "35": ["jawa timur", "jatim"],
    "34": ["diy", "yogyakarta", "jogja", "jogjakarta", "yogya"],
    "31": ["jakarta", "dki"],
}
MARKERS = {"kabupaten": "kabupaten", "kota": "kota", "kecamatan": "kecamatan"}


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    level: str
    kind: str
    parent_code: str | None


@dataclass(frozen=True)
class Found:
    """A place found in the text, with what was read and how sure the match is."""

    place: Place
    phrase: str
    score: float  # 1.0 = exact name with its marker


@dataclass
class Gazetteer:
    places: dict[str, Place]
    exact: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    by_marker: dict[str, dict[str, str]] = field(default_factory=dict)
    max_words: int = 1

    def add(self, phrase: str, code: str, score: float) -> None:
        entries = self.exact.setdefault(phrase, [])
        if all(c != code for c, _ in entries):
            entries.append((code, score))
        self.max_words = max(self.max_words, len(phrase.split()))

    def find(self, text: str) -> list[Found]:
        """Every place named in ``text``, best first (longest, most specific phrases win)."""
        words = normalise(text).split()
        found: dict[str, Found] = {}
        used: set[int] = set()
        for size in range(self.max_words, 0, -1):
            for i in range(len(words) - size + 1):
                if any(j in used for j in range(i, i + size)):
                    continue
                phrase = " ".join(words[i : i + size])
                for code, score in self.exact.get(phrase, []):
                    if code not in found or found[code].score < score:
                        found[code] = Found(self.places[code], phrase, score)
                    used.update(range(i, i + size))
        for i, word in enumerate(words[:-1]):  # typos right after a marker: "kab demakk"
            names = self.by_marker.get(word)
            if not names or i + 1 in used:
                continue
            for size in (1, 2, 3):
                phrase = " ".join(words[i + 1 : i + 1 + size])
                hit = process.extractOne(phrase, names.keys(), scorer=fuzz.ratio, score_cutoff=85)
                if hit:
                    code = names[hit[0]]
                    if code not in found:
                        found[code] = Found(self.places[code], f"{word} {phrase}", 0.8)
                    break
        return sorted(found.values(), key=lambda f: (-f.score, _depth(f.place)))


def _depth(place: Place) -> int:
    return {"kecamatan": 0, "kabupaten_kota": 1, "provinsi": 2}.get(place.level, 3)


def _build() -> Gazetteer:
    # Desa/kelurahan are not looked for in texts (83,762 names, many shared with kecamatan
    # and kampung): a report filed at a desa is located at its kecamatan (``locate``).
    rows = Region.objects.exclude(level=Region.Level.DESA).values_list(
        "code", "name", "level", "kind", "parent_id"
    )
    places = {c: Place(c, n, lvl, k, p) for c, n, lvl, k, p in rows}
    gaz = Gazetteer(places=places, by_marker={m: {} for m in MARKERS})
    bare: dict[str, list[str]] = {}
    for place in places.values():
        name = normalise(place.name)
        if place.level == Region.Level.PROVINSI:
            gaz.add(name, place.code, 0.9)
            gaz.add(f"provinsi {name}", place.code, 1.0)
            short = PROVINCE_SHORT.get(place.code)
            if short:
                gaz.add(normalise(short), place.code, 0.9)
            for alias in EXTRA_PROVINCE_NAMES.get(place.code, []):
                gaz.add(alias, place.code, 0.9)
        elif place.level == Region.Level.KABUPATEN_KOTA:
            core = normalise(place_name(place.name))
            marker = "kota" if place.kind == Region.Kind.KOTA else "kabupaten"
            gaz.add(f"{marker} {core}", place.code, 1.0)
            gaz.by_marker[marker][core] = place.code
            bare.setdefault(core, []).append(place.code)
        else:
            core = normalise(place.name)
            gaz.add(f"kecamatan {core}", place.code, 1.0)
            gaz.by_marker["kecamatan"][core] = place.code
    for core, codes in bare.items():
        if len(core) < 4:
            continue
        # "Semarang" alone: the kota and the kabupaten share it; the kota (the usual meaning)
        # gets a lower score than an unambiguous name.
        kotas = [c for c in codes if places[c].kind == Region.Kind.KOTA]
        if len(codes) == 1:
            gaz.add(core, codes[0], 0.85)
        elif len(kotas) == 1:
            gaz.add(core, kotas[0], 0.6)
    return gaz


_lock = threading.Lock()
_cache: dict[str, object] = {}


_pinned: ContextVar[Gazetteer | None] = ContextVar("pinned_gazetteer", default=None)
# The levels the gazetteer holds: counted through the level index, so the freshness check reads
# about 8,000 index entries, never the 84,000 desa rows (12 ms a call once desa are loaded).
LEVELS = (Region.Level.PROVINSI, Region.Level.KABUPATEN_KOTA, Region.Level.KECAMATAN)


def gazetteer() -> Gazetteer:
    """The process's gazetteer, rebuilt when regions were added or removed; inside
    ``one_gazetteer`` the one it pinned, unchecked."""
    pinned = _pinned.get()
    if pinned is not None:
        return pinned
    key = (Region.objects.filter(level__in=LEVELS).count(),)
    with _lock:
        if _cache.get("key") != key:
            _cache["gaz"] = _build()
            _cache["key"] = key
        return _cache["gaz"]  # type: ignore[return-value]


@contextmanager
def one_gazetteer() -> Iterator[Gazetteer]:
    """Check the gazetteer once for a whole piece of work (the routing job indexes, looks up
    and routes, each asking for it): every ``gazetteer()`` inside returns this one."""
    gaz = gazetteer()
    token = _pinned.set(gaz)
    try:
        yield gaz
    finally:
        _pinned.reset(token)


@dataclass(frozen=True)
class Location:
    """The region a report is about, and why we think so."""

    region: Place | None
    evidence: list[str]
    mentioned: list[Found]

    def kabkota(self, gaz: Gazetteer) -> Place | None:
        return _up_to(self.region, "kabupaten_kota", gaz)

    def province(self, gaz: Gazetteer) -> Place | None:
        return _up_to(self.region, "provinsi", gaz)


def _up_to(place: Place | None, level: str, gaz: Gazetteer) -> Place | None:
    order = ["kecamatan", "kabupaten_kota", "provinsi"]
    while place is not None and order.index(place.level) < order.index(level):
        place = gaz.places.get(place.parent_code or "")
    return place if place is not None and place.level == level else None


def _within(inner: Place, outer: Place, gaz: Gazetteer) -> bool:
    node: Place | None = inner
    while node is not None:
        if node.code == outer.code:
            return True
        node = gaz.places.get(node.parent_code or "")
    return False


def locate(
    *,
    text: str,
    region_code: str | None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Location:
    """Combine the reporter's chosen region with places named in the text and the phone's
    coordinates.

    A place in the text that lies inside the chosen region refines it (chosen Jawa Tengah,
    text says "Kab. Demak"); a place outside it is reported as evidence, and wins only when
    the chosen region is a province or missing and the text names one clear place. The
    coordinates come last: they refine a province (or nothing) that neither the reporter nor
    the text made more precise, and a disagreement is shown as evidence."""
    from lapor.routing.coordinates import near

    gaz = gazetteer()
    mentioned = gaz.find(text)
    if region_code and region_code.count(".") == 3:  # a desa/kelurahan: its kecamatan
        region_code = region_code.rsplit(".", 1)[0]
    chosen = gaz.places.get(region_code or "")
    evidence: list[str] = []
    if chosen is not None:
        evidence.append(f"wilayah dipilih pelapor: {chosen.name}")
    inside = [
        f
        for f in mentioned
        if (chosen is None and f.score >= 0.6)
        or (chosen is not None and _within(f.place, chosen, gaz))
    ]
    best: Place | None = chosen
    if inside:
        deepest = min(inside, key=lambda f: (_depth(f.place), -f.score))
        if deepest.place.code != (chosen.code if chosen else None):
            best = deepest.place
            evidence.append(f'teks menyebut "{deepest.phrase}" → {deepest.place.name}')
    elif mentioned and (chosen is None or chosen.level == Region.Level.PROVINSI):
        top = mentioned[0]
        if top.score >= 0.6:
            best = top.place
            evidence.append(f'teks menyebut "{top.phrase}" → {top.place.name}')
    for f in mentioned:
        if best is not None and not _within(f.place, best, gaz) and not _within(best, f.place, gaz):
            evidence.append(f'teks juga menyebut "{f.phrase}" ({f.place.name})')
    point = near(latitude, longitude, gaz)
    if point is not None:
        if best is None or (
            best.level == Region.Level.PROVINSI
            and point.place.code != best.code
            and _within(point.place, best, gaz)
        ):
            best = point.place
            evidence.append(point.evidence)
        elif _within(point.place, best, gaz) or _within(best, point.place, gaz):
            evidence.append(point.evidence)
        else:
            evidence.append(f"{point.evidence}, di luar {best.name}")
    return Location(region=best, evidence=evidence, mentioned=mentioned)
