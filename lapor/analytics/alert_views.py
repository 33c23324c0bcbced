"""The public early-warning pages: the episodes of the last 30 days and one alert.

An alert's sample reports are shown only through the portal's one public selector
(``reports.privacy.public_reports``), at the time of the request: a sample made rahasia since
the alert was raised is no longer listed. No report text is shown, only its title and link."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from lapor.agencies.models import Agency
from lapor.analytics import selectors
from lapor.analytics.alerts import TERM_SEPARATOR
from lapor.analytics.models import Alert
from lapor.categories.models import Category
from lapor.regions.models import Region

CACHE_SECONDS = 120


def _items(alerts: list[Alert]) -> list[dict[str, Any]]:
    """Each alert with its place and subject in words (three queries for any number)."""
    regions = dict(
        Region.objects.filter(code__in={a.kabkota for a in alerts if a.kabkota}).values_list(
            "code", "name"
        )
    )
    categories = dict(
        Category.objects.filter(pk__in={a.category for a in alerts if a.category}).values_list(
            "pk", "name"
        )
    )
    agencies = {
        pk: (code, name)
        for pk, code, name in Agency.objects.filter(
            pk__in={a.agency for a in alerts if a.agency}
        ).values_list("pk", "code", "name")
    }
    items = []
    for a in alerts:
        item: dict[str, Any] = {
            "alert": a,
            "terms": [t for t in a.terms.split(TERM_SEPARATOR) if t],
        }
        if a.kind == Alert.Kind.AGENCY:
            code, name = agencies.get(a.agency, ("", str(a.agency)))
            item.update(place=name, agency_code=code, subject=_("Semua kategori"))
        else:
            item["place"] = regions.get(a.kabkota, a.kabkota)
            item["province"] = len(a.kabkota) == 2
            if a.kind == Alert.Kind.TOPIC:
                item["subject"] = ", ".join(item["terms"])
            else:
                item["subject"] = categories.get(a.category, _("Tanpa kategori"))
        items.append(item)
    return items


@require_safe
def alerts(request: HttpRequest) -> HttpResponse:
    """The early-warning episodes of the last 30 days, newest first (public reports only)."""
    since = selectors.today() - timedelta(days=30)
    rows = list(
        Alert.objects.filter(last_seen_on__gte=since).order_by("-last_seen_on", "-peak")[:100]
    )
    response = render(request, "analytics/alerts.html", {"items": _items(rows), "since": since})
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


@require_safe
def alert(request: HttpRequest, pk: int) -> HttpResponse:
    """One alert: where, what, the count against the expected, and public sample reports."""
    from lapor.reports.models import Report
    from lapor.reports.privacy import public_reports

    found = get_object_or_404(Alert, pk=pk)
    samples = list(
        public_reports(Report.objects.filter(pk__in=found.samples))
        .order_by("-submitted_at")
        .values("tracking_id", "title", "submitted_at")[:6]
    )
    context = {"item": _items([found])[0], "samples": samples}
    response = render(request, "analytics/alert.html", context)
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response
