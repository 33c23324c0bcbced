"""Choosing the agency a report goes to, out of about a thousand, without JavaScript.

The list is narrowed on the server: a search box (GET parameter ``instansi``) matches every word
against the name, short name, code, other names and region of each receiving agency. Without a
search, a report's page lists the agencies routing suggested and those of the report's own
region (its kabupaten/kota and province); ``semua_instansi=1`` lists every agency (not its
units: a search finds those, "PUPR Semarang", "dukcapil demak"). One query, whatever is asked.

Whatever the list showed, the code posted back is checked again (``chosen_agency``): only an
active agency or unit that receives reports, not the national operator itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lapor.agencies.models import Agency
from lapor.core.errors import ValidationFailed

PARAM = "instansi"
ALL_PARAM = "semua_instansi"
LIMIT = 50
MAX_WORDS = 6


def receiving_agencies(*, units: bool = False) -> QuerySet[Agency]:
    """Every agency a report may be disposed or forwarded to; with ``units``, also the units
    that receive reports (a regional government's dinas, a province's Polda or Kanwil BPN):
    routing suggests them and disposes to them, so an officer must be able to as well."""
    excluded = [Agency.Kind.NATIONAL] if units else [Agency.Kind.UNIT, Agency.Kind.NATIONAL]
    return Agency.objects.filter(is_active=True, accepts_reports=True).exclude(kind__in=excluded)


def first_receiving(codes: Iterable[str]) -> str:
    """The first of ``codes`` (routing's suggestions, best first) a report can be disposed
    to, or "" (an imported history agency, an inactive one)."""
    wanted = [c for c in codes if c]
    qs = receiving_agencies(units=True).filter(code__in=wanted)
    found = set(qs.values_list("code", flat=True))
    return next((c for c in wanted if c in found), "")


@dataclass(frozen=True)
class Picker:
    options: list[tuple[str, str]]  # (code, label), the label naming the agency's region
    query: str
    more: bool  # more agencies match than are listed
    mode: str  # "search", "near" (suggestions and the report's region) or "all"

    @property
    def count(self) -> int:
        return len(self.options)


def _region_prefixes(region_code: str | None) -> list[str]:
    """``33.21.05.2001`` → ``33``, ``33.21``, ``33.21.05``, ``33.21.05.2001``."""
    if not region_code:
        return []
    parts = region_code.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts) + 1)]


def _matching(query: str) -> Q:
    match = Q()
    for word in query.split()[:MAX_WORDS]:
        match &= (
            Q(name__icontains=word)
            | Q(short_name__icontains=word)
            | Q(code__icontains=word)
            | Q(aliases__icontains=word)
            | Q(region__name__icontains=word)
        )
    return match


def _label(name: str, region: str | None) -> str:
    return f"{name} ({region})" if region and region.lower() not in name.lower() else name


def pick(
    query: str = "",
    *,
    show_all: bool = False,
    near: Iterable[str] = (),
    region_code: str | None = None,
    chosen: str | Iterable[str] = "",
    outside: str = "",
) -> Picker:
    """The options of the agency picker.

    ``near``: codes to offer without a search (routing's suggestions); ``region_code``: the
    report's region, whose agencies are offered too; ``chosen``: codes to keep in the list (the
    preselected suggestion, or what the officer picked before an error); ``outside``: the path
    of an agency whose subtree is left out (the one that says the report is not its own)."""
    query = " ".join(query.split())[:100]
    qs = receiving_agencies(units=True)
    if outside:
        qs = qs.exclude(path__startswith=outside)
    kept = [c for c in ([chosen] if isinstance(chosen, str) else chosen) if c]
    keep = Q(code__in=kept) if kept else Q(pk__in=[])
    not_unit = ~Q(kind=Agency.Kind.UNIT)
    if query:
        mode, qs = "search", qs.filter(_matching(query) | keep)
    else:
        prefixes = _region_prefixes(region_code)
        codes = [c for c in near if c]
        if show_all or not (prefixes or codes):
            # every agency; its units (a dozen per government) are found by a search
            mode, qs = "all", qs.filter(not_unit | keep)
        else:
            mode = "near"
            qs = qs.filter(Q(code__in=codes) | (Q(region_id__in=prefixes) & not_unit) | keep)
    limit = None if mode == "all" else LIMIT
    rows = qs.values_list("code", "name", "region__name").order_by("name", "code")
    found = list(rows if limit is None else rows[: limit + 1])
    more = limit is not None and len(found) > limit
    options = [(code, _label(name, region)) for code, name, region in found[:limit]]
    return Picker(options=options, query=query, more=more, mode=mode)


def chosen_agency(code: str, field: str, *, outside: Agency | None = None) -> Agency:
    """The receiving agency with ``code``, or a refusal tied to ``field``; ``outside``: an
    agency whose subtree is refused (forwarding never goes to the holder's own units)."""
    code = code.strip()
    qs = receiving_agencies(units=True)
    if outside is not None:
        qs = qs.exclude(path__startswith=outside.path)
    agency = qs.filter(code=code).first() if code else None
    if agency is None:
        raise ValidationFailed(
            _(
                "Pilih instansi tujuan dari daftar. Bila tidak ada, cari dengan nama, singkatan "
                "atau nama daerahnya."
            ),
            code="agency_required",
            field=field,
        )
    return agency
