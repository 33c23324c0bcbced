"""What the demo draws from: regions, the agencies that govern them, their units, categories.

Read once from whatever reference data is installed (``lapor reference load`` or a test's
factories), so the demo follows the real agency tree and taxonomy.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db.models import Q

from lapor.agencies.models import Agency
from lapor.categories.models import Category
from lapor.demo.texts import TOPICS, Topic, best_match
from lapor.regions.models import Region

LOCAL = (Agency.Kind.REGENCY, Agency.Kind.CITY)
# Regions where the demo concentrates reports, so their officers' queues look lived-in.
FEATURED_REGION_NAMES = (
    "Kota Semarang",
    "Kabupaten Demak",
    "Kota Makassar",
    "Kota Medan",
    "Kabupaten Badung",
    "Kota Jayapura",
)


@dataclass
class Route:
    region: Region
    agency: Agency
    unit: Agency | None
    category: Category | None
    wrong: Agency | None  # a plausible but wrong first destination (bukan wewenang)
    kecamatan: tuple[str, ...] = ()  # the region's own kecamatan, for the texts' places


class World:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        agencies = list(Agency.objects.filter(is_active=True, accepts_reports=True))
        by_id = {a.pk: a for a in agencies}
        self.local: dict[str, Agency] = {}
        self.province: dict[str, Agency] = {}
        self.units: dict[int, list[Agency]] = {}
        for a in agencies:
            if a.kind in LOCAL and a.region_id:
                self.local.setdefault(a.region_id, a)
            elif a.kind == Agency.Kind.PROVINCE and a.region_id:
                self.province.setdefault(a.region_id, a)
            elif a.kind == Agency.Kind.UNIT and a.parent_id in by_id:
                self.units.setdefault(a.parent_id, []).append(a)
        self.regions = list(
            Region.objects.filter(code__in=list(self.local)).select_related("parent")
        )
        if not self.regions:
            raise RuntimeError(
                "Belum ada data rujukan wilayah dan instansi. Jalankan `lapor reference load` "
                "dulu. / No reference data: run `lapor reference load` first."
            )
        self.featured = [
            r for r in self.regions if r.name in FEATURED_REGION_NAMES
        ] or self.regions[:3]
        self.by_province: dict[str, list[Region]] = {}
        for r in self.regions:
            self.by_province.setdefault(r.parent_id or "", []).append(r)
        self.national: dict[str, list[Agency]] = {
            t.key: [
                a
                for a in agencies
                if a.kind not in LOCAL
                and a.kind != Agency.Kind.UNIT
                and any(
                    w.lower() in a.name.lower() or w.lower() in a.short_name.lower()
                    for w in t.national_words
                )
            ]
            for t in TOPICS
            if t.national_words
        }
        self.kecamatan: dict[str, tuple[str, ...]] = {}
        rows = Region.objects.filter(level=Region.Level.KECAMATAN).values_list("parent_id", "name")
        for parent, name in rows.order_by("code"):
            self.kecamatan[parent] = (*self.kecamatan.get(parent, ()), name)
        self.categories = {t.key: self._categories(t) for t in TOPICS}
        self.any_category = list(Category.objects.filter(is_active=True, parent__isnull=False)[:50])

    @staticmethod
    def _categories(topic: Topic) -> list[Category]:
        query = Q()
        for word in topic.category_words:
            query |= Q(name__icontains=word) | Q(parent__name__icontains=word)
        found = list(
            Category.objects.filter(query, is_active=True, parent__isnull=False).select_related(
                "parent"
            )[:40]
        )
        return found or list(Category.objects.filter(query, is_active=True)[:10])

    def topic(self) -> Topic:
        return self.rng.choices(TOPICS, weights=[t.weight for t in TOPICS])[0]

    def region(self) -> Region:
        if self.rng.random() < 0.35:
            return self.rng.choice(self.featured)
        return self.rng.choice(self.regions)

    def category(self, topic: Topic, text: str = "") -> Category | None:
        """The topic's category that best fits ``text`` (its title and body), so a report about
        street lights is not filed under railways."""
        pool = self.categories[topic.key] or self.any_category
        if not pool:
            return None
        if not text:
            return self.rng.choice(pool)
        return best_match(
            text, pool, lambda c: f"{c.name} {c.parent.name if c.parent else ''}", self.rng
        )

    def unit_for(self, agency: Agency, topic: Topic) -> Agency | None:
        units = self.units.get(agency.pk, [])
        for unit_type in topic.unit_types:
            matching = [u for u in units if u.unit_type == unit_type]
            if matching:
                return self.rng.choice(matching)
        return self.rng.choice(units) if units else None

    def route(self, topic: Topic) -> Route:
        region = self.region()
        national = self.national.get(topic.key) or []
        if national and self.rng.random() < 0.5:
            agency = self.rng.choice(national)
        elif region.parent_id in self.province and self.rng.random() < 0.1:
            agency = self.province[region.parent_id]
        else:
            agency = self.local[region.code]
        neighbours = [
            r for r in self.by_province.get(region.parent_id or "", []) if r.code != region.code
        ]
        wrong = self.local[self.rng.choice(neighbours).code] if neighbours else None
        return Route(
            region=region,
            agency=agency,
            unit=self.unit_for(agency, topic),
            category=self.category(topic),
            wrong=wrong,
            kecamatan=self.kecamatan.get(region.code, ()),
        )
