"""A month's "Suara Rakyat" as a standalone HTML document and as a PDF (WeasyPrint, ADR 0020).

The same template makes both: the HTML links the site's stylesheet (served under the site's
strict CSP: no inline style), the PDF gets the same stylesheet handed to WeasyPrint, which may
fetch nothing else (no network, no file outside it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from lapor.analytics.policy_report.content import Content, build

STYLESHEET = "analytics/report.css"
LANGUAGES = ("id", "en")


@dataclass
class Rendered:
    language: str
    html: bytes
    pdf: bytes
    pages: int
    content: Content


def _refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the policy report fetches nothing: {url}")


def html(content: Content, *, for_pdf: bool = False) -> str:
    return render_to_string("analytics/policy_report.html", {"report": content, "for_pdf": for_pdf})


def pdf(document: str) -> tuple[bytes, int]:
    """The PDF of ``document`` and its number of pages."""
    from weasyprint import CSS, HTML

    path = finders.find(STYLESHEET)
    sheets = [CSS(filename=path, url_fetcher=_refuse)] if path else []
    rendered = HTML(string=document, url_fetcher=_refuse).render(stylesheets=sheets)
    return rendered.write_pdf(), len(rendered.pages)


def render(month: Any, region: str, language: str) -> Rendered:
    """The report in ``language``: content built under that language (labels, names, dates)."""
    with translation.override(language):
        content = build(month, region)
        page = html(content)
        document, pages = pdf(html(content, for_pdf=True))
    return Rendered(language, page.encode(), document, pages, content)
