"""The site's own URLs plus a probe page that reads, writes and reads again, for the routing
tests: it answers which alias each read went to and what the second read saw."""

from __future__ import annotations

from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, URLResolver, path

from lapor.core import dbrouter
from lapor.regions.models import Region
from lapor.urls import urlpatterns as site


def _where(alias: str) -> dict[str, object]:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        (in_recovery,) = cursor.fetchone()
    return {"alias": alias, "in_recovery": in_recovery}


def probe(request: HttpRequest) -> JsonResponse:
    """Read the regions named ``name``; with ``write`` create one first (a page that writes after
    it read), then read again."""
    name = request.GET.get("name", "")
    first = dbrouter.choose_read_alias(Region)
    seen_before = Region.objects.filter(name=name).count()
    if request.GET.get("write"):
        Region.objects.create(
            code=request.GET["write"],
            name=name,
            level=Region.Level.PROVINSI,
            kind=Region.Kind.PROVINSI,
            timezone="Asia/Jakarta",
        )
    second = dbrouter.choose_read_alias(Region)
    seen_after = Region.objects.filter(name=name).count()
    return JsonResponse(
        {
            "first": _where(first),
            "second": _where(second),
            "before": seen_before,
            "after": seen_after,
        }
    )


urlpatterns: list[URLPattern | URLResolver] = [path("uji-replika/", probe), *site]
