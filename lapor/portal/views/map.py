"""The public map of reports (``/laporan/peta/``), its data (``/laporan/peta/data/``), and the
header that lets a map page load tiles from the configured tile server only (ADR 0021)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lapor.portal.forms.browse import STATUS_CHOICES, BrowseForm
from lapor.portal.map import CACHE_SECONDS, DEFAULT_PINS, MAX_PINS, BadBox, Box, MapQuery, map_data
from lapor.portal.map_tiles import Tiles
from lapor.reports.selectors import PublicFilter

FILTERS = ("region", "category", "status")
REGION = re.compile(r"\d{2}(\.\d{2})*")
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,64}")
STATUSES = {value for value, _label in STATUS_CHOICES if value}


def tiles() -> Tiles:
    return Tiles(url=settings.MAP_TILE_URL, attribution=settings.MAP_TILE_ATTRIBUTION)


def with_tiles(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A page with a map may load images from the tile server's origin, and from no other."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        origin = tiles().origin
        if origin:
            response._csp_update = {"img-src": [origin]}  # type: ignore[attr-defined]
        return response

    return wrapped


class MapForm(BrowseForm):
    """The public list's filters that a map can answer cheaply: province, category, status."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in FILTERS:
                del self.fields[name]

    def to_filter(self) -> PublicFilter:
        if not self.is_bound:
            return PublicFilter()
        self.is_valid()
        return PublicFilter(**{k: v for k, v in self.cleaned_data.items() if v})


def _query_string(form: MapForm) -> str:
    if not form.is_bound:
        return ""
    form.is_valid()
    return urlencode({k: v for k, v in form.cleaned_data.items() if v})


@with_tiles
def reports_map(request: HttpRequest) -> HttpResponse:
    form = MapForm(request.GET or None)
    query = _query_string(form)
    context = {"form": form, "query": query}
    return render(request, "portal/map.html", context)


def _limit(raw: str) -> int:
    try:
        return max(1, min(MAX_PINS, int(raw)))
    except ValueError:
        return DEFAULT_PINS


def _filter(request: HttpRequest) -> PublicFilter:
    """The page's filters read without a query (the form's choices cost two): a value of the
    wrong shape is left out, as the list leaves out a field in error; an unknown code matches
    nothing."""
    values = {name: request.GET.get(name, "").strip() for name in FILTERS}
    return PublicFilter(
        region=values["region"] if REGION.fullmatch(values["region"]) else "",
        category=values["category"] if SLUG.fullmatch(values["category"]) else "",
        status=values["status"] if values["status"] in STATUSES else "",
    )


@require_GET
def reports_map_data(request: HttpRequest) -> JsonResponse:
    """Public pins in ``bbox`` (west,south,east,north), filtered like the public list."""
    try:
        box = Box.parse(request.GET.get("bbox", ""))
    except BadBox:
        message = _(
            "Parameter bbox harus berupa barat,selatan,timur,utara dalam derajat, "
            "misalnya 110.3,-7.1,110.5,-6.9."
        )
        return JsonResponse({"error": message}, status=400)
    query = MapQuery(filter=_filter(request), box=box, limit=_limit(request.GET.get("limit", "")))
    response = JsonResponse(map_data(query))
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response
