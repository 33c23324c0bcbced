from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lapor.reports.selectors import latest_public, national_totals


def home(request: HttpRequest) -> HttpResponse:
    """Submitting first; then national totals, the newest public reports, three steps."""
    context = {"totals": national_totals(), "latest": latest_public(5)}
    return render(request, "portal/home.html", context)
