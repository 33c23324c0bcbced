from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lapor.reports.selectors import national_totals


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"totals": national_totals()})
