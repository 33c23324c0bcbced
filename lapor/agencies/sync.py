"""Bulk, idempotent upsert of agency specs into the tree.

Specs are matched by code. Missing agencies are created, changed ones updated, nothing is
deleted; aliases, jurisdiction regions and topics are only ever added to, so what national
admins configured by hand survives a reload. Paths are computed here (``parent.path + code``),
because ``bulk_create`` does not call ``Agency.save()``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from lapor.agencies.models import Agency
from lapor.agencies.tree import repath_subtree
from lapor.categories.models import Category
from lapor.regions.models import WIB

BATCH = 1000
SYNCED_FIELDS = (
    "name",
    "short_name",
    "kind",
    "unit_type",
    "parent_id",
    "region_id",
    "timezone",
    "aliases",
    "path",
)


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    kind: str
    parent_code: str | None = None
    short_name: str = ""
    unit_type: str = ""
    region_code: str | None = None
    timezone: str = WIB
    aliases: tuple[str, ...] = ()
    jurisdiction: tuple[str, ...] = ()  # region codes; empty = the whole country
    topics: tuple[str, ...] = ()  # category codes


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    jurisdiction_links: int = 0
    topic_links: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


class UnknownReference(ValueError):
    pass


@transaction.atomic
def sync_agencies(specs: Iterable[AgencySpec]) -> SyncResult:
    specs = list(specs)
    result = SyncResult()
    existing = {a.code: a for a in Agency.objects.all()}
    for layer in _layers(specs):
        new: list[Agency] = []
        changed: list[tuple[Agency, str]] = []
        for spec in layer:
            current = existing.get(spec.code)
            wanted = _wanted(spec, existing, current)
            if current is None:
                agency = Agency(code=spec.code, **wanted)
                new.append(agency)
                existing[spec.code] = agency
                result.by_kind[spec.kind] = result.by_kind.get(spec.kind, 0) + 1
            elif any(getattr(current, k) != v for k, v in wanted.items()):
                old_path = current.path
                for key, value in wanted.items():
                    setattr(current, key, value)
                changed.append((current, old_path))
            else:
                result.unchanged += 1
        Agency.objects.bulk_create(new, batch_size=BATCH)
        _ensure_pks(new)
        Agency.objects.bulk_update(
            [a for a, _ in changed],
            [f.removesuffix("_id") for f in SYNCED_FIELDS],
            batch_size=BATCH,
        )
        for agency, old_path in changed:
            if old_path and old_path != agency.path:
                repath_subtree(old_path=old_path, new_path=agency.path)
        result.created += len(new)
        result.updated += len(changed)
    ids = {code: a.pk for code, a in existing.items()}
    result.jurisdiction_links = _link_regions(specs, ids)
    result.topic_links = _link_topics(specs, ids)
    return result


def _layers(specs: list[AgencySpec]) -> list[list[AgencySpec]]:
    """Specs grouped by depth, so every parent is written before its children."""
    by_code = {s.code: s for s in specs}
    depth: dict[str, int] = {}

    def depth_of(spec: AgencySpec) -> int:
        if spec.code not in depth:
            parent = by_code.get(spec.parent_code or "")
            depth[spec.code] = depth_of(parent) + 1 if parent else 0
        return depth[spec.code]

    layers: dict[int, list[AgencySpec]] = {}
    for spec in specs:
        layers.setdefault(depth_of(spec), []).append(spec)
    return [layers[d] for d in sorted(layers)]


def _wanted(spec: AgencySpec, existing: dict[str, Agency], current: Agency | None) -> dict:
    parent = existing.get(spec.parent_code) if spec.parent_code else None
    if spec.parent_code and parent is None:
        raise UnknownReference(f"{spec.code}: induk {spec.parent_code} tidak ditemukan")
    aliases = list(current.aliases) if current and isinstance(current.aliases, list) else []
    aliases += [a for a in spec.aliases if a not in aliases]
    return {
        "name": spec.name,
        "short_name": spec.short_name[:60],
        "kind": spec.kind,
        "unit_type": spec.unit_type,
        "parent_id": parent.pk if parent else None,
        "region_id": spec.region_code,
        "timezone": spec.timezone,
        "aliases": aliases,
        "path": f"{parent.path if parent else '/'}{spec.code}/",
    }


def _ensure_pks(created: list[Agency]) -> None:
    """PostgreSQL and SQLite ≥ 3.35 return ids from bulk inserts; others need a read."""
    missing = [a for a in created if a.pk is None]
    for start in range(0, len(missing), BATCH):
        chunk = missing[start : start + BATCH]
        ids = dict(
            Agency.objects.filter(code__in=[a.code for a in chunk]).values_list("code", "pk")
        )
        for agency in chunk:
            agency.pk = ids[agency.code]


def _link_regions(specs: list[AgencySpec], ids: dict[str, int]) -> int:
    through = Agency.jurisdiction_regions.through
    have = set(through.objects.values_list("agency_id", "region_id"))
    wanted = {(ids[s.code], region) for s in specs for region in s.jurisdiction}
    missing = sorted(wanted - have)
    through.objects.bulk_create(
        [through(agency_id=a, region_id=r) for a, r in missing], batch_size=BATCH
    )
    return len(missing)


def _link_topics(specs: list[AgencySpec], ids: dict[str, int]) -> int:
    through = Agency.topics.through
    categories = dict(Category.objects.values_list("code", "pk"))
    unknown = {t for s in specs for t in s.topics} - categories.keys()
    if unknown:
        raise UnknownReference(
            f"kategori {', '.join(sorted(unknown))} tidak ada; muat kategori lebih dulu"
        )
    have = set(through.objects.values_list("agency_id", "category_id"))
    wanted = {(ids[s.code], categories[t]) for s in specs for t in s.topics}
    missing = sorted(wanted - have)
    through.objects.bulk_create(
        [through(agency_id=a, category_id=c) for a, c in missing], batch_size=BATCH
    )
    return len(missing)
