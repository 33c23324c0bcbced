"""The public dashboards: server-rendered from the rollups, a CSV behind every table."""

from __future__ import annotations

import csv

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from lapor.agencies.models import Agency
from lapor.analytics import performance, selectors
from lapor.analytics.dashboard import MEASURES, Dashboard, build, measure_label
from lapor.analytics.selectors import Scope
from lapor.regions.models import Region

# Dashboards change when the fill runs (every two minutes): a page is built once per this long.
CACHE_SECONDS = 120
LICENCE = "CC BY 4.0"


def board(scope: Scope, measure: str = "laporan") -> Dashboard:
    """The scope's dashboard, built from the rollups at most once per ``CACHE_SECONDS``."""
    key = (
        f"analytics:board:{scope.kind}:{scope.code}:{measure}:{get_language()}:{selectors.today()}"
    )
    found = cache.get(key)
    if found is None:
        found = build(scope, measure=measure)
        cache.set(key, found, CACHE_SECONDS)
    return found


def scope_for(kind: str, code: str = "") -> Scope:
    if kind == "nasional":
        return selectors.national()
    if kind == "provinsi":
        region = get_object_or_404(Region, code=code, level=Region.Level.PROVINSI)
        return selectors.province(region.code, region.name)
    if kind == "kabkota":
        region = get_object_or_404(Region, code=code, level=Region.Level.KABUPATEN_KOTA)
        return selectors.kabkota(region.code, region.name)
    if kind == "instansi":
        agency = get_object_or_404(Agency, code=code)
        return selectors.agency(agency.pk, agency.code, agency.name)
    raise Http404


def _measure(request: HttpRequest) -> str:
    value = request.GET.get("ukuran", "laporan")
    return value if value in MEASURES else "laporan"


@require_safe
def dashboard(request: HttpRequest, kind: str = "nasional", code: str = "") -> HttpResponse:
    scope = scope_for(kind, code)
    measure = _measure(request)
    data = board(scope, measure)
    context = {
        "board": data,
        "headline_csv": _csv_url(scope, data.headline.slug),
        "tables": [(t, _csv_url(scope, t.slug)) for t in data.tables],
        "scope": scope,
        "measures": [(m, measure_label(m)) for m in MEASURES],
        "licence": LICENCE,
        "children": _children(scope),
    }
    response = render(request, "analytics/dashboard.html", context)
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


URL_NAMES = {
    "nasional": "national",
    "provinsi": "province",
    "kabkota": "kabkota",
    "instansi": "agency",
}


def _csv_url(scope: Scope, slug: str) -> str:
    name = f"analytics:{URL_NAMES[scope.kind]}_csv"
    if scope.national:
        return reverse(name, kwargs={"table": slug})
    return reverse(name, kwargs={"table": slug, "code": scope.code})


def _children(scope: Scope) -> list[tuple[str, str]]:
    """The kabupaten/kota of a province, for links to their dashboards (one query)."""
    if scope.kind != "provinsi":
        return []
    return list(
        Region.objects.filter(parent_id=scope.code, level=Region.Level.KABUPATEN_KOTA)
        .order_by("code")
        .values_list("code", "name")
    )


@require_safe
def table_csv(
    request: HttpRequest, table: str, kind: str = "nasional", code: str = ""
) -> HttpResponse:
    scope = scope_for(kind, code)
    data = board(scope, _measure(request))
    found = data.table(table)
    if found is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"lapor-{scope.kind}{'-' + scope.code if scope.code else ''}-{found.slug}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    records = found.records()
    writer = csv.writer(response)
    writer.writerow(["kunci", "label", *found.columns])
    for record in records:
        writer.writerow(["" if v is None else v for v in record.values()])
    return response


@require_safe
def data_dictionary(request: HttpRequest) -> HttpResponse:
    return render(request, "analytics/data.html", {"licence": LICENCE})


PEER_LABELS = performance.PEER_LABELS
BAND_LABELS = performance.BAND_LABELS


@require_safe
def ranking(request: HttpRequest) -> HttpResponse:
    """The performance index of every agency, ranked within its peer group and volume band."""
    since, until = selectors.period(12)
    key = f"analytics:ranking:{until}"
    found = cache.get(key)
    if found is None:
        found = performance.scores(since, until)
        cache.set(key, found, CACHE_SECONDS)
    before = cache.get(f"{key}:before")
    if before is None:
        before = performance.scores(*performance.previous_period(until))
        cache.set(f"{key}:before", before, CACHE_SECONDS)
    moves = performance.changes(found, before)
    agencies = dict(
        Agency.objects.filter(pk__in=[s.agency_id for s in found]).values_list("pk", "code")
    )
    names = dict(
        Agency.objects.filter(pk__in=[s.agency_id for s in found]).values_list("pk", "name")
    )
    groups: dict[tuple[str, str], list[dict[str, object]]] = {}
    for s in sorted(found, key=lambda s: (s.rank or 10**9, -s.submitted)):
        groups.setdefault((s.peer_group, s.band), []).append(
            {
                "score": s,
                "code": agencies.get(s.agency_id, ""),
                "name": names.get(s.agency_id, ""),
                "before": moves.get(s.agency_id),
            }
        )
    sections = [
        (PEER_LABELS.get(group, group), BAND_LABELS.get(band, band), rows)
        for (group, band), rows in sorted(groups.items())
    ]
    context = {
        "sections": sections,
        "since": since,
        "until": until,
        "version": performance.CURRENT,
        "weights": [
            (performance.COMPONENT_LABELS[k], round(100 * w))
            for k, w in performance.WEIGHTS[performance.CURRENT].items()
        ],
        "small": performance.SMALL_SAMPLE,
        "previous": performance.previous_period(until),
    }
    response = render(request, "analytics/ranking.html", context)
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response
