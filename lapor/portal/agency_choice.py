"""The optional "which agency should act" picker of the submit form, without JavaScript.

The citizen types a few words ("dukcapil demak", "PLN", "Dinas PUPR Semarang") and presses
"Cari instansi": the form comes back with the matching agencies and units in a select. Without
a search, the agencies of the chosen kabupaten/kota (its government and units) and of its
province's government are offered. One query either way. The posted code is checked by
``reports.services.report_submit``, whatever the list showed."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest

from lapor.agencies.models import Agency

LIMIT = 40
MAX_WORDS = 6


def _receiving() -> Q:
    return Q(is_active=True, accepts_reports=True) & ~Q(
        kind__in=[Agency.Kind.NATIONAL, Agency.Kind.GROUP, Agency.Kind.IMPORTED]
    )


def _label(name: str, region: str | None) -> str:
    return f"{name} ({region})" if region and region.lower() not in name.lower() else name


def agency_options(
    query: str = "", *, region_code: str = "", chosen: str = ""
) -> list[tuple[str, str]]:
    """(code, label) of the agencies to offer, best first; ``chosen`` is always kept."""
    query = " ".join(query.split())[:100]
    keep = Q(code=chosen) if chosen else Q(pk__in=[])
    if query:
        match = Q()
        for word in query.split()[:MAX_WORDS]:
            match &= (
                Q(name__icontains=word)
                | Q(short_name__icontains=word)
                | Q(aliases__icontains=word)
                | Q(region__name__icontains=word)
            )
        wanted = match | keep
    elif region_code:
        province = region_code.split(".")[0]
        regency = ".".join(region_code.split(".")[:2])
        wanted = Q(region_id=regency) | Q(region_id=province, kind=Agency.Kind.PROVINCE) | keep
    elif chosen:
        wanted = keep
    else:
        return []
    rows = (
        Agency.objects.filter(_receiving() & wanted)
        .order_by("name", "code")
        .values_list("code", "name", "region__name")[:LIMIT]
    )
    return [(code, _label(name, region)) for code, name, region in rows]


def requested(code: str) -> Agency | None:
    """The agency a posted code names (any, even one that receives no reports: the service
    refuses those with a message the citizen can act on), or None."""
    code = code.strip()
    return Agency.objects.filter(code=code).first() if code else None


# Submit-form steps that only show the form again with everything typed kept (no check):
# the agency search, and the desa/kelurahan list of the chosen kecamatan.
FORM_STEPS = ("agency", "village")


def preset_agency(request: HttpRequest) -> dict[str, str]:
    """``?instansi=<code>`` (from an agency's page): the agency named in advance."""
    code = request.GET.get("instansi", "").strip()[:64]
    return {"requested_agency": code} if code else {}
