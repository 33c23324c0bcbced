"""Reads that only the portal's pages need: the choices of the pickers and filters."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.utils.translation import get_language

from lapor.categories.models import Category
from lapor.regions.models import Region

Choices = list[tuple[str, str] | tuple[str, list[tuple[str, str]]]]


class _Kept:
    """Choices this process built lately, per key (the language), for ``KEEP_SECONDS``: every
    form built and checked (each submit) reuses them instead of making ~700 model instances.
    A kabupaten/kota or category added shows within that time, as on the kept form page
    (``form_cache``)."""

    KEEP_SECONDS = 600

    def __init__(self) -> None:
        self.kept: dict[str, tuple[float, Any]] = {}
        self.lock = threading.Lock()

    def get(self, key: str, make: Callable[[], Any]) -> Any:
        now = time.monotonic()
        with self.lock:
            found = self.kept.get(key)
        if found is not None and found[0] > now:
            return found[1]
        value = make()
        with self.lock:
            self.kept[key] = (now + self.KEEP_SECONDS, value)
        return value

    def clear(self) -> None:
        with self.lock:
            self.kept.clear()


kept = _Kept()


def regency_choices() -> Choices:
    """Every kabupaten/kota, grouped by province: works without JavaScript. Kept a while per
    process (``kept``)."""
    return list(kept.get("regencies", _regency_choices))


def _regency_choices() -> Choices:
    groups: dict[str, list[tuple[str, str]]] = {}
    rows = Region.objects.filter(level=Region.Level.KABUPATEN_KOTA).select_related("parent")
    for region in rows.order_by("parent__name", "name"):
        province = region.parent.name if region.parent else ""
        groups.setdefault(province, []).append((region.code, region.name))
    return [("", "—"), *groups.items()]


def district_choices(regency_code: str) -> list[tuple[str, str]]:
    """The kecamatan of one kabupaten/kota (empty when none are loaded)."""
    if not regency_code:
        return []
    rows = Region.objects.filter(parent_id=regency_code, level=Region.Level.KECAMATAN)
    return [(r.code, r.name) for r in rows.order_by("name")]


def districts_loaded() -> bool:
    """Whether any kecamatan is loaded at all (``lapor reference load --kecamatan``)."""
    return Region.objects.filter(level=Region.Level.KECAMATAN).exists()


def province_choices() -> list[tuple[str, str]]:
    rows = Region.objects.filter(level=Region.Level.PROVINSI).order_by("name")
    return [(r.code, r.name) for r in rows]


def category_label(category: Category) -> str:
    if get_language() == "en" and category.name_en:
        return category.name_en
    return category.name


def category_choices() -> Choices:
    """Active categories, sub-categories grouped under their main category, in the language
    of the request. Kept a while per process (``kept``)."""
    return list(kept.get(f"categories:{get_language()}", _category_choices))


def _category_choices() -> Choices:
    rows = list(Category.objects.filter(is_active=True).select_related("parent"))
    children: dict[int, list[tuple[str, str]]] = {}
    for c in rows:
        if c.parent_id is not None:
            children.setdefault(c.parent_id, []).append((c.code, category_label(c)))
    choices: Choices = [("", "—")]
    for c in sorted((c for c in rows if c.parent_id is None), key=category_label):
        if c.pk in children:
            choices.append((category_label(c), [(c.code, category_label(c)), *children[c.pk]]))
        else:
            choices.append((c.code, category_label(c)))
    return choices


def main_category_choices() -> list[tuple[str, str]]:
    rows = Category.objects.filter(is_active=True, parent__isnull=True)
    return sorted(((c.code, category_label(c)) for c in rows), key=lambda x: x[1])


def village_choices(district_code: str) -> list[tuple[str, str]]:
    """The desa/kelurahan of one kecamatan (empty when none are loaded), by name."""
    if not district_code:
        return []
    rows = Region.objects.filter(parent_id=district_code, level=Region.Level.DESA)
    return [(r.code, r.name) for r in rows.order_by("name")]


def villages_loaded() -> bool:
    """Whether any desa/kelurahan is loaded (``lapor reference load --desa``)."""
    return Region.objects.filter(level=Region.Level.DESA).exists()
