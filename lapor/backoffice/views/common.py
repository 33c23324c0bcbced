"""What every back-office page shows: the officer and the queues with their counts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lapor.backoffice.access import Officer
from lapor.reports.selectors_backoffice import QUEUES, queue_counts


def officer_of(request: HttpRequest) -> Officer:
    return request.officer  # type: ignore[attr-defined]


def page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    officer = officer_of(request)
    counts = queue_counts(officer.memberships)
    nav = [{"slug": q.slug, "label": q.label, "count": counts[q.slug]} for q in QUEUES]
    return render(request, template, {"officer": officer, "nav": nav, **context}, status=status)
