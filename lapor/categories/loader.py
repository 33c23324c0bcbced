"""Load the project's topic taxonomy (``data/categories.json``) and the national SLA default.

Idempotent: categories are matched by code; a second run writes nothing. Categories an admin
added by hand are left alone; the loader never deletes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.db import transaction

from lapor.categories.models import Category, SlaPolicy

DATA_FILE = Path(__file__).parent / "data" / "categories.json"
# Perpres 76/2013 set the national limits; the default applies to any report since then.
DEFAULT_SLA_SINCE = datetime(2013, 1, 1, tzinfo=UTC)
DEFAULT_SLA = {
    "verify_days": 3,
    "followup_days": 5,
    "autoclose_days": 10,
    "completion_days": 60,
}


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    name_en: str
    keywords: tuple[str, ...]
    parent_code: str | None


@dataclass
class CategoryResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def read_taxonomy(path: Path = DATA_FILE) -> list[CategorySpec]:
    """Main categories first, then their sub-categories (code ``<main>-<sub>``)."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    mains: list[CategorySpec] = []
    subs: list[CategorySpec] = []
    for main in data["categories"]:
        mains.append(_spec(main, None))
        subs.extend(
            _spec({**child, "code": f"{main['code']}-{child['code']}"}, main["code"])
            for child in main.get("children", [])
        )
    return mains + subs


def _spec(item: dict[str, Any], parent_code: str | None) -> CategorySpec:
    return CategorySpec(
        code=item["code"],
        name=item["name"],
        name_en=item.get("name_en", ""),
        keywords=tuple(item.get("keywords", [])),
        parent_code=parent_code,
    )


@transaction.atomic
def load_categories(path: Path = DATA_FILE) -> CategoryResult:
    result = CategoryResult()
    existing = {c.code: c for c in Category.objects.all()}
    specs = read_taxonomy(path)
    for layer in ([s for s in specs if s.parent_code is None], [s for s in specs if s.parent_code]):
        new, changed = [], []
        for spec in layer:
            parent_id = existing[spec.parent_code].pk if spec.parent_code else None
            wanted = (spec.name, spec.name_en, list(spec.keywords), parent_id)
            current = existing.get(spec.code)
            if current is None:
                new.append(
                    Category(
                        code=spec.code,
                        name=spec.name,
                        name_en=spec.name_en,
                        keywords=list(spec.keywords),
                        parent_id=parent_id,
                    )
                )
            elif (current.name, current.name_en, current.keywords, current.parent_id) != wanted:
                current.name, current.name_en, current.keywords, current.parent_id = wanted
                changed.append(current)
            else:
                result.unchanged += 1
        Category.objects.bulk_create(new)
        Category.objects.bulk_update(changed, ["name", "name_en", "keywords", "parent"])
        result.created += len(new)
        result.updated += len(changed)
        if new:  # ids for the next layer, whatever the database returns from bulk_create
            existing.update(
                {c.code: c for c in Category.objects.filter(code__in=[c.code for c in new])}
            )
    return result


def load_default_sla() -> tuple[SlaPolicy, bool]:
    """The national default policy, version 1 (3/5/10 working days, 60 days completion)."""
    return SlaPolicy.objects.get_or_create(
        agency=None,
        category=None,
        version=1,
        defaults={
            **DEFAULT_SLA,
            "effective_from": DEFAULT_SLA_SINCE,
            "note": "Bawaan nasional (Perpres 76/2013)",
        },
    )
