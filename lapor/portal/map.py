"""What the public map shows: pins of public reports, rounded, in a bounded box (ADR 0021).

Every pin comes from ``reports.selectors.public_list`` (the portal's one public selector): no
rahasia or merged report is ever read here. A pin is the report's point rounded to 0.001°
(about 110 m), so it marks a block, never a house; the box asked for is widened to 0.01°
before it filters, so moving its edges cannot tell more of a point than its rounded value.
Region labels (the base of a map without tiles) sit at the mean of the rounded points shown,
rounded again to 0.01°. At most ``MAX_PINS`` pins, newest first; an answer is cached for
``CACHE_SECONDS`` under its normalised box and filters."""

from __future__ import annotations

import hashlib
import json
import logging
import math
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import get_language

from lapor.core import ids
from lapor.regions.models import Region
from lapor.reports.lifecycle import Status
from lapor.reports.models import Report
from lapor.reports.privacy import PUBLIC_POINT_STEP, public_coordinate
from lapor.reports.selectors import PublicFilter, public_list

log = logging.getLogger(__name__)

PIN_STEP = PUBLIC_POINT_STEP  # ~110 m: the precision of a public pin
BOX_STEP = 100  # the box is widened to whole hundredths of a degree (~1.1 km)
LABEL_STEP = 2  # region labels: two decimals
DEFAULT_PINS = 300
MAX_PINS = 500
CACHE_SECONDS = 60
INDONESIA = (94.0, -11.5, 141.5, 6.5)  # west, south, east, north


class BadBox(ValueError):
    """The ``bbox`` parameter is not ``west,south,east,north`` in degrees."""


@dataclass(frozen=True)
class Box:
    west: float
    south: float
    east: float
    north: float

    @classmethod
    def parse(cls, raw: str) -> Box | None:
        """``west,south,east,north`` widened outward to 0.01°; None when not given."""
        if not raw.strip():
            return None
        try:
            w, s, e, n = (float(part) for part in raw.split(","))
        except ValueError:
            raise BadBox(raw) from None
        if not all(math.isfinite(v) for v in (w, s, e, n)):
            raise BadBox(raw)
        if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
            raise BadBox(raw)
        return cls(
            west=math.floor(w * BOX_STEP) / BOX_STEP,
            south=math.floor(s * BOX_STEP) / BOX_STEP,
            east=math.ceil(e * BOX_STEP) / BOX_STEP,
            north=math.ceil(n * BOX_STEP) / BOX_STEP,
        )

    def key(self) -> str:
        return f"{self.west:.2f},{self.south:.2f},{self.east:.2f},{self.north:.2f}"


def rounded(value: Decimal | float | None) -> float:
    """A public coordinate: ``privacy.public_coordinate`` (never None here: the query keeps only
    reports with a point)."""
    point = public_coordinate(value)
    assert point is not None
    return point


def _located(f: PublicFilter, box: Box | None) -> QuerySet[Report]:
    qs = public_list(f).filter(latitude__isnull=False, longitude__isnull=False)
    if box is not None:
        qs = qs.filter(
            latitude__gte=box.south,
            latitude__lte=box.north,
            longitude__gte=box.west,
            longitude__lte=box.east,
        )
    return qs


Row = tuple[str, str, str, str, Decimal | None, Decimal | None]


def _rows(qs: QuerySet[Report], limit: int) -> list[Row]:
    fields = ("tracking_id", "title", "status", "region_id", "latitude", "longitude")
    return list(qs.values_list(*fields)[: limit + 1])


def _pins(rows: list[Row]) -> list[dict[str, Any]]:
    return [
        {
            "id": ids.display(tracking_id),
            "title": title,
            "status": str(Status(status).label),
            "lat": rounded(lat),
            "lon": rounded(lon),
            "url": reverse("portal:report", args=[tracking_id]),
        }
        for tracking_id, title, status, _region, lat, lon in rows
    ]


def _labels(rows: list[Row]) -> list[dict[str, Any]]:
    """One label per kabupaten/kota among the pins shown: its name, at the mean of its pins
    (rounded to 0.01°), and how many of the pins are its. Counted from the pins already read,
    so a label costs no more than the pins (one query for the names)."""
    sums: dict[str, list[float]] = {}
    for _id, _title, _status, region, lat, lon in rows:
        acc = sums.setdefault(".".join(region.split(".")[:2]), [0.0, 0.0, 0])
        acc[0] += rounded(lat)
        acc[1] += rounded(lon)
        acc[2] += 1
    names = dict(Region.objects.filter(code__in=sums).values_list("code", "name"))
    return [
        {
            "code": code,
            "name": names.get(code, code),
            "lat": round(lat / n, LABEL_STEP),
            "lon": round(lon / n, LABEL_STEP),
            "count": int(n),
        }
        for code, (lat, lon, n) in sorted(sums.items())
    ]


@dataclass(frozen=True)
class MapQuery:
    filter: PublicFilter
    box: Box | None
    limit: int

    def cache_key(self) -> str:
        raw = json.dumps(
            [asdict(self.filter), self.box.key() if self.box else "", self.limit, get_language()],
            default=str,
            sort_keys=True,
        )
        return "portal:map:1:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def map_data(query: MapQuery) -> dict[str, Any]:
    """The map's answer for ``query``, from the cache when another visitor asked it lately."""
    key = query.cache_key()
    try:
        found = cache.get(key)
    except Exception:  # the cache is down: answer from the database
        log.warning("map cache unavailable", exc_info=True)
        found = None
    if found is not None:
        return dict(found)
    rows = _rows(_located(query.filter, query.box), query.limit)
    shown = rows[: query.limit]
    data = {"pins": _pins(shown), "truncated": len(rows) > query.limit, "regions": _labels(shown)}
    try:
        cache.set(key, data, CACHE_SECONDS)
    except Exception:
        log.warning("map cache unavailable", exc_info=True)
    return data
