"""The receipt saved as a PDF, the copy kept offline, and the service worker that serves that
copy when the phone has no connection (``portal.receipt_copy``)."""

from __future__ import annotations

from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lapor.core import ids
from lapor.portal.receipt_copy import receipt_for, render_pdf

WORKER = Path(__file__).resolve().parents[1] / "static" / "portal" / "receipt-sw.js"


@never_cache  # the secret: never kept by a browser or proxy cache
@require_safe
def receipt_pdf(request: HttpRequest, token: str) -> HttpResponse:
    receipt = receipt_for(request, token)
    response = HttpResponse(render_pdf(request, receipt), content_type="application/pdf")
    name = f"bukti-lapor-{ids.display(receipt.report.tracking_id)}.pdf"
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache  # the browser's Cache Storage keeps it, on the reporter's request only
@require_safe
def receipt_copy(request: HttpRequest, token: str) -> HttpResponse:
    """The receipt as one small page, which ``receipt.js`` stores for offline use."""
    receipt = receipt_for(request, token)
    response = render(request, "portal/receipt_copy.html", receipt.context())
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
def receipt_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the confirmation pages' own path so that its scope can
    be one receipt page (a file under ``/static/`` could only control ``/static/``)."""
    response = HttpResponse(WORKER.read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response
