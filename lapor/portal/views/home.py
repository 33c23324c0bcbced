from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lapor.analytics.selectors import home_totals
from lapor.reports.selectors import latest_public


def home(request: HttpRequest) -> HttpResponse:
    """Submitting first; then national totals, the newest public reports, three steps."""
    # The totals come from the rollups (``analytics``), never from counting the report table.
    context = {"totals": home_totals(), "latest": latest_public(5)}
    return render(request, "portal/home.html", context)
