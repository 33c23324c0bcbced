"""Mapping an operator's agency label ("DINAS SOSIAL", "Kota Semarang", "BPJS Kesehatan")
onto the agency tree by the operator's alias, name, short name, alias, the region a government
governs, or, for a label naming a provincial office without its province ("DISDIKBUD",
"BADAN KEPEGAWAIAN DAERAH", "Polda"), the unit of that name of the province the history
comes from."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from django.utils.text import slugify
from rapidfuzz import fuzz, process

from lapor.agencies.catalog import PROVINCE_SHORT
from lapor.agencies.models import Agency
from lapor.routing.models import LabelAlias
from lapor.routing.text import normalise

IMPORTED_NODE = "impor"
GOVERNMENT_KINDS = (Agency.Kind.PROVINCE, Agency.Kind.REGENCY, Agency.Kind.CITY)

# How a label was matched (printed in the mapping report).
BY_ALIAS = "alias"
BY_NAME = "nama"
BY_PROVINCE = "nama di provinsi"
BY_PROVINCE_CLOSE = "mirip di provinsi"
BY_CLOSE = "mirip"
BY_SHORT = "singkatan nasional"
UNMATCHED = "impor"


def label_key(label: str) -> str:
    return " ".join(normalise(label).split())


_key = label_key


def imported_code(label: str) -> str:
    return f"impor-{slugify(label)[:50]}"


def province_of(region_code: str | None) -> str | None:
    """``33.74`` → ``33``; None without a code."""
    code = (region_code or "").strip()
    return code.split(".")[0] if code else None


def main_province(region_codes: Iterable[str | None]) -> str | None:
    """The province most of a file's rows come from (None when no row names one)."""
    counts = Counter(p for p in map(province_of, region_codes) if p)
    return counts.most_common(1)[0][0] if counts else None


def _variants(label: str) -> list[str]:
    """The label, without its parenthesised part, and that part ("… (BPBD)")."""
    plain = re.sub(r"\([^)]*\)", " ", label)
    inner = re.findall(r"\(([^)]*)\)", label)
    return list(dict.fromkeys(v for v in (label, plain, *inner) if v.strip()))


class LabelIndex:
    """Every name an agency is known by, normalised, to its code; the names of each
    province's units also without the province ("dinas kesehatan" in province 33)."""

    def __init__(self, province: str | None = None) -> None:
        self.province = province
        self.names: dict[str, str] = {}
        self.short: dict[str, str] = {}
        self.provincial: dict[str, dict[str, str]] = {}
        self.region_of: dict[str, str] = {}
        self.aliases: dict[str, str] = dict(
            LabelAlias.objects.filter(agency__is_active=True).values_list("key", "agency__code")
        )
        rows = Agency.objects.filter(is_active=True).values_list(
            "code", "name", "short_name", "aliases", "kind", "region_id", "region__name"
        )
        for code, name, short, aliases, kind, region, region_name in rows:
            if region:
                self.region_of[code] = region
            keys = [name, short, *(aliases or [])]
            if kind in GOVERNMENT_KINDS and region_name:
                keys.append(region_name)
            if kind == Agency.Kind.IMPORTED:
                keys = [name]
            for key in filter(None, keys):
                self.names.setdefault(_key(key), code)
            national = kind not in (*GOVERNMENT_KINDS, Agency.Kind.UNIT, Agency.Kind.IMPORTED)
            if national and short and len(short) >= 3 and " " not in short.strip():
                self.short.setdefault(_key(short), code)
            if kind == Agency.Kind.UNIT and region and "." not in region and region_name:
                bare = self.provincial.setdefault(region, {})
                for key in filter(None, keys):
                    stripped = _without_province(_key(key), region, region_name)
                    if stripped:
                        bare.setdefault(stripped, code)

    def explain(self, label: str, province: str | None = None) -> tuple[str | None, str]:
        """The agency code a label names and how it was found (``UNMATCHED`` for none)."""
        province = province or self.province
        keys = [_key(v) for v in _variants(label)]
        keys = [k for k in dict.fromkeys(keys) if k]
        for key in keys:
            if key in self.aliases:
                return self.aliases[key], BY_ALIAS
        for key in keys:
            if key in self.names:
                return self.names[key], BY_NAME
        bare = self.provincial.get(province or "", {})
        for key in keys:
            if key in bare:
                return bare[key], BY_PROVINCE
        for key in keys:
            hit = process.extractOne(key, bare.keys(), scorer=fuzz.ratio, score_cutoff=90)
            if hit:
                return bare[hit[0]], BY_PROVINCE_CLOSE
        for key in keys:
            hit = process.extractOne(key, self.names.keys(), scorer=fuzz.ratio, score_cutoff=92)
            if hit:
                return self.names[hit[0]], BY_CLOSE
        # "PLN Distribusi JatengDIY", "Bulog Regional Jateng": a national agency's short name
        # followed by the office; the agency itself is who history meant.
        first = keys[0].split()[0] if keys else ""
        if first in self.short:
            return self.short[first], BY_SHORT
        return None, UNMATCHED

    def guess_province(self, labels: Iterable[str]) -> str | None:
        """The province most labels naming a regional agency outright point at ("Kota
        Semarang", "Polda Jawa Tengah"), for a history without ``region_code``."""
        counts: Counter[str] = Counter()
        for label in labels:
            code = self.names.get(_key(label))
            region = self.region_of.get(code or "")
            if region:
                counts[region.split(".")[0]] += 1
        return counts.most_common(1)[0][0] if counts else None

    def match(self, label: str, province: str | None = None) -> str | None:
        return self.explain(label, province)[0]

    def code_for(self, label: str, province: str | None = None) -> str:
        """The matching agency's code, or the code an imported agency gets."""
        return self.match(label, province) or imported_code(label)


def _without_province(key: str, province: str, region_name: str) -> str:
    """ "dinas kesehatan provinsi jawa tengah" → "dinas kesehatan"; "" if nothing to strip."""
    short = PROVINCE_SHORT.get(province, "")
    for suffix in (
        f"provinsi {region_name}",
        f"prov {short}",
        f"provinsi {short}",
        region_name,
        short,
    ):
        tail = _key(suffix) if suffix.strip() else ""
        if tail and key.endswith(" " + tail):
            return key[: -len(tail) - 1].strip()
    return ""


def agency_for_label(label: str, index: LabelIndex, province: str | None = None) -> Agency:
    """The agency a label names; a label matching nothing becomes an agency under the
    "imported" node, so no history is lost (it never receives reports by itself)."""
    code = index.match(label, province)
    if code is not None:
        return Agency.objects.get(code=code)
    root = Agency.objects.filter(parent__isnull=True, kind=Agency.Kind.NATIONAL).first()
    node, _ = Agency.objects.get_or_create(
        code=IMPORTED_NODE,
        defaults={
            "name": "Instansi dari riwayat impor",
            "kind": Agency.Kind.IMPORTED,
            "parent": root,
            "accepts_reports": False,
        },
    )
    agency, _ = Agency.objects.get_or_create(
        code=imported_code(label),
        defaults={
            "name": label.strip()[:200],
            "kind": Agency.Kind.IMPORTED,
            "parent": node,
            "accepts_reports": False,
        },
    )
    index.names.setdefault(_key(label), agency.code)
    return agency
