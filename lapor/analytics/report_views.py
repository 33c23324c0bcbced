"""The public pages of the policy report archive and of the automation's accounts.

Both read rows written by jobs (``PolicyReport``, ``AutomationMonth``): a page never counts the
report or event tables, and a report page serves the archived file as it was made."""

from __future__ import annotations

import re
from datetime import date

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from lapor.analytics import automation_tables
from lapor.analytics.report_models import AutomationMonth, PolicyReport
from lapor.regions.models import Region

CACHE_SECONDS = 300
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
ARCHIVE_MONTHS = 24


def parse_month(value: str) -> date | None:
    found = MONTH.match(value or "")
    if not found or not 1 <= int(found[2]) <= 12:
        return None
    return date(int(found[1]), int(found[2]), 1)


def _cached(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


@require_safe
def reports(request: HttpRequest) -> HttpResponse:
    """The archive, newest month first, optionally one region (``?wilayah=33|nasional``)."""
    region = request.GET.get("wilayah", "")
    rows = PolicyReport.objects.only("month", "region", "region_name", "pdf_pages").order_by(
        "-month", "region"
    )
    if region:
        rows = rows.filter(region="" if region == "nasional" else region)
    months: dict[date, list[PolicyReport]] = {}
    for row in rows[: ARCHIVE_MONTHS * 40]:
        months.setdefault(row.month, []).append(row)
    choices = list(
        Region.objects.filter(level=Region.Level.PROVINSI)
        .order_by("code")
        .values_list("code", "name")
    )
    context = {
        "months": list(months.items())[:ARCHIVE_MONTHS],
        "choices": choices,
        "region": region,
    }
    return _cached(render(request, "analytics/report_archive.html", context))


def _row(month: str, region: str) -> PolicyReport:
    """The archived report, made again first when a report it quotes is no longer public
    (made rahasia or merged since the hourly job last looked): one query to check."""
    when = parse_month(month)
    if when is None:
        raise Http404
    row = get_object_or_404(PolicyReport, month=when, region="" if region == "nasional" else region)
    if row.examples:
        from lapor.reports.privacy import public_reports

        shown = public_reports().filter(pk__in=row.examples).count()
        if shown != len(row.examples):
            from lapor.analytics.policy_report.archive import make

            row, _made = make(row.month, row.region, force=True)
    return row


def _language(request: HttpRequest) -> str:
    asked = request.GET.get("bahasa", "")
    return asked if asked in ("id", "en") else (get_language() or "id")


@require_safe
def report_html(request: HttpRequest, month: str, region: str) -> HttpResponse:
    """The report's HTML as archived (a standalone document with the site's stylesheet)."""
    row = _row(month, region)
    file = row.html_en if _language(request) == "en" and row.html_en else row.html
    with default_storage.open(str(file.name), "rb") as handle:
        body = handle.read()
    response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response["Content-Language"] = "en" if file is row.html_en else "id"
    return _cached(response)


@require_safe
def report_pdf(request: HttpRequest, month: str, region: str) -> FileResponse:
    row = _row(month, region)
    english = _language(request) == "en" and bool(row.pdf_en)
    file = row.pdf_en if english else row.pdf
    name = str(file.name)
    response = FileResponse(
        default_storage.open(name, "rb"),
        content_type="application/pdf",
        filename=name.rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


@require_safe
def automation(request: HttpRequest, code: str = "") -> HttpResponse:
    """The automation's accounts: one month nationally with each province beside it, or one
    province month by month (``?bulan=YYYY-MM`` chooses the month)."""
    name = ""
    if code:
        name = get_object_or_404(Region, code=code, level=Region.Level.PROVINSI).name
    months = list(
        AutomationMonth.objects.filter(province="")
        .order_by("-month")
        .values_list("month", flat=True)[:12]
    )
    chosen = parse_month(request.GET.get("bulan", "")) or (months[0] if months else None)
    tables, links = automation_tables.page(code, chosen)
    api = reverse("api:data_automation")
    query = f"?bulan={chosen:%Y-%m}" if chosen else "?"
    if code:
        query += f"&provinsi={code}"
    context = {
        "tables": [(t, f"{api}{query}&format=csv&tabel={t.slug}") for t in tables],
        "json_url": api + query,
        "months": months,
        "chosen": chosen,
        "code": code,
        "name": name,
        "provinces": links,
    }
    return _cached(render(request, "analytics/automation.html", context))
