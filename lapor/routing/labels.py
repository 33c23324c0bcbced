"""Mapping an operator's agency label ("DINAS SOSIAL", "Kota Semarang", "BPJS Kesehatan")
onto the agency tree by name, short name, alias or the region a government governs."""

from __future__ import annotations

from django.utils.text import slugify
from rapidfuzz import fuzz, process

from lapor.agencies.models import Agency
from lapor.routing.text import normalise

IMPORTED_NODE = "impor"
GOVERNMENT_KINDS = (Agency.Kind.PROVINCE, Agency.Kind.REGENCY, Agency.Kind.CITY)


def _key(label: str) -> str:
    return " ".join(normalise(label).split())


def imported_code(label: str) -> str:
    return f"impor-{slugify(label)[:50]}"


class LabelIndex:
    """Every name an agency is known by, normalised, to its code."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.short: dict[str, str] = {}
        rows = Agency.objects.filter(is_active=True).values_list(
            "code", "name", "short_name", "aliases", "kind", "region__name"
        )
        for code, name, short, aliases, kind, region_name in rows:
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

    def match(self, label: str) -> str | None:
        key = _key(label)
        if key in self.names:
            return self.names[key]
        hit = process.extractOne(key, self.names.keys(), scorer=fuzz.ratio, score_cutoff=92)
        if hit:
            return self.names[hit[0]]
        # "PLN Distribusi JatengDIY", "Bulog Regional Jateng": a national agency's short name
        # followed by the office; the agency itself is who history meant.
        first = key.split()[0] if key else ""
        return self.short.get(first)

    def code_for(self, label: str) -> str:
        """The matching agency's code, or the code an imported agency gets."""
        return self.match(label) or imported_code(label)


def agency_for_label(label: str, index: LabelIndex) -> Agency:
    """The agency a label names; a label matching nothing becomes an agency under the
    "imported" node, so no history is lost (it never receives reports by itself)."""
    code = index.match(label)
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
