"""The receipt (tracking ID and guest secret) as a PDF and as a copy kept offline.

Both are made on request from the browser that submitted the report, and only there: the
submit token must have been issued to this session (``portal.tokens``) and, for a guest, the
secret must still be in this session (``reporter_session``; "Lupakan kode rahasia" removes
it); an account's report needs that account signed in. Anyone else gets 404, like a page that
does not exist. Nothing is stored on the server: the PDF is rendered by WeasyPrint (ADR 0020)
for each request and sent with ``Cache-Control: no-store``; the offline copy is an HTML page
the reporter's own browser keeps in its Cache Storage when they press "Simpan di perangkat
ini" (``static/portal/receipt.js`` and the service worker ``static/portal/receipt-sw.js``),
until they remove it (ADR 0025)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from lapor.core import ids
from lapor.portal import tokens
from lapor.portal.models import SubmitToken
from lapor.portal.reporter_session import secret_for
from lapor.reports.models import Report

PDF_CSS = Path(__file__).parent / "static" / "portal" / "receipt-pdf.css"


@dataclass(frozen=True)
class Receipt:
    report: Report
    secret: str  # "" for an account's report: it is tracked by signing in
    token: str

    def context(self) -> dict[str, Any]:
        track = reverse("portal:track_report", args=[self.report.tracking_id])
        return {
            "report": self.report,
            "secret": self.secret,
            "token": self.token,
            "track_url": settings.LAPOR_PUBLIC_URL + track,
        }


def receipt_for(request: HttpRequest, token: str) -> Receipt:
    """The receipt of the report submitted with ``token`` in this browser; else ``Http404``."""
    if not tokens.was_issued(request, token):
        raise Http404
    row = SubmitToken.objects.select_related("report", "report__region").filter(token=token)
    found = row.first()
    if found is None or found.report is None:
        raise Http404
    report = found.report
    if report.reporter_id is not None:
        if request.user.pk != report.reporter_id:
            raise Http404
        return Receipt(report=report, secret="", token=token)
    secret = secret_for(request, report.tracking_id)
    if not secret or not ids.secret_matches(secret, report.guest_secret_hash):
        raise Http404
    return Receipt(report=report, secret=secret, token=token)


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """WeasyPrint asks for nothing outside the document: no file, no network."""
    raise ValueError(f"not fetched: {url[:80]}")


def render_pdf(request: HttpRequest, receipt: Receipt) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string("portal/receipt_pdf.html", receipt.context(), request=request)
    document = HTML(string=html, url_fetcher=_no_fetch)
    stylesheet = CSS(filename=str(PDF_CSS), url_fetcher=_no_fetch)
    return bytes(document.write_pdf(stylesheets=[stylesheet]))
