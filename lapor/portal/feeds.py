"""An Atom feed of public reports, for the whole country or one region, agency, category or
status (``/laporan/umpan/?region=33.21``, the same parameters as the public list).

Built on ``reports.selectors.public_list``, so a rahasia report is never in it; an item carries
the title, the public text and the region, never a reporter's name."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from lapor.agencies.models import Agency
from lapor.regions.models import Region
from lapor.reports.models import Report
from lapor.reports.selectors import PublicFilter, public_list

ITEMS = 50
PARAMS = ("region", "agency", "category", "status")


class PublicReportsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, str]:
        return {name: request.GET.get(name, "")[:64] for name in PARAMS}

    def title(self, obj: dict[str, str]) -> str:
        where = ""
        if obj["agency"]:
            where = (
                Agency.objects.filter(code=obj["agency"]).values_list("name", flat=True).first()
                or ""
            )
        elif obj["region"]:
            where = (
                Region.objects.filter(code=obj["region"]).values_list("name", flat=True).first()
                or ""
            )
        if where:
            return _("Laporan publik LAPOR!: %(where)s") % {"where": where}
        return _("Laporan publik LAPOR!")

    def link(self, obj: dict[str, str]) -> str:
        query = urlencode({k: v for k, v in obj.items() if v})
        return reverse("portal:reports") + (f"?{query}" if query else "")

    def subtitle(self, obj: dict[str, str]) -> str:
        return _("Laporan terbaru yang terbuka untuk publik; laporan rahasia tidak pernah dimuat.")

    def items(self, obj: dict[str, str]) -> list[Report]:
        wanted = PublicFilter(
            region=obj["region"],
            agency=obj["agency"],
            category=obj["category"],
            status=obj["status"],
        )
        return list(public_list(wanted)[:ITEMS])

    def item_title(self, item: Report) -> str:
        return item.title

    def item_description(self, item: Report) -> str:
        status = item.get_status_display()
        region = item.region.name if item.region else ""
        return f"{status} · {region}\n\n{Truncator(item.body).chars(400)}"

    def item_link(self, item: Report) -> str:
        return reverse("portal:report", args=[item.tracking_id])

    def item_pubdate(self, item: Report) -> Any:
        return item.submitted_at

    def item_updateddate(self, item: Report) -> Any:
        return item.updated_at
