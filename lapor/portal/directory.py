"""The agency directory's reads: every agency that receives reports, grouped by level (national,
provincial, kabupaten/kota) and region, or the ones a search finds (units included)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lapor.agencies.models import Agency

K = Agency.Kind
NATIONAL_KINDS = (K.MINISTRY, K.INSTITUTION, K.STATE_COMPANY, K.UNIVERSITY, K.MISSION)
LOCAL_KINDS = (K.PROVINCE, K.REGENCY, K.CITY)
SEARCH_LIMIT = 100
FIELDS = ("code", "name", "short_name", "kind", "region__name", "region__parent__name")


@dataclass
class Group:
    title: str
    agencies: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Directory:
    national: list[Group]
    regional: list[Group]  # one per province: its government, then its kabupaten/kota
    found: list[dict[str, str]] | None = None  # a search's results
    more: bool = False


def _receiving() -> Q:
    return Q(is_active=True, accepts_reports=True)


def directory(query: str = "") -> Directory:
    """Without ``query``: the national agencies by kind and the regional governments by province
    (one query). With it: up to ``SEARCH_LIMIT`` agencies and units whose name, short name,
    code or region matches every word (one query)."""
    if query.strip():
        match = Q()
        for word in query.split()[:6]:
            match &= (
                Q(name__icontains=word)
                | Q(short_name__icontains=word)
                | Q(code__icontains=word)
                | Q(region__name__icontains=word)
            )
        rows = list(
            Agency.objects.filter(_receiving(), match)
            .exclude(kind__in=[K.NATIONAL, K.GROUP])
            .order_by("name")
            .values(*FIELDS)[: SEARCH_LIMIT + 1]
        )
        return Directory([], [], found=rows[:SEARCH_LIMIT], more=len(rows) > SEARCH_LIMIT)
    rows = list(
        Agency.objects.filter(_receiving(), kind__in=[*NATIONAL_KINDS, *LOCAL_KINDS])
        .order_by("name")
        .values(*FIELDS)
    )
    national = [
        Group(str(K(kind).label), [r for r in rows if r["kind"] == kind]) for kind in NATIONAL_KINDS
    ]
    provinces: dict[str, Group] = {}
    for row in sorted(rows, key=lambda r: (r["kind"] != K.PROVINCE, r["name"])):
        if row["kind"] == K.PROVINCE:
            province = row["region__name"] or row["name"]
        elif row["kind"] in (K.REGENCY, K.CITY):
            province = row["region__parent__name"] or str(_("Lainnya"))
        else:
            continue
        provinces.setdefault(province, Group(province)).agencies.append(row)
    regional = [provinces[name] for name in sorted(provinces)]
    return Directory([g for g in national if g.agencies], regional)
