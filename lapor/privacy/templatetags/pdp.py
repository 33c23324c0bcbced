"""The reporter's privacy panel on their private track view, and the notice links every form
shows (``{% load pdp %}``)."""

from __future__ import annotations

from typing import Any

from django import template

from lapor.privacy.export import officer_name
from lapor.reports.models import AccessRecord, Report

register = template.Library()


@register.inclusion_tag("privacy/_track_panel.html", takes_context=True)
def reporter_privacy(context: template.Context, report: Report) -> dict[str, Any]:
    """Who read the reporter's personal data, and the links to download or erase it. Render it
    only for the reporter (the track page's ``mine``)."""
    records = report.access_records.select_related("actor", "agency").order_by("-created_at")
    return {
        "report": report,
        "access": [
            {
                "label": AccessRecord.Kind(r.kind).label,
                "who": officer_name(r),
                "agency": r.agency.name if r.agency else "",
                "at": r.created_at,
                "by_you": r.kind == AccessRecord.Kind.EXPORT,
            }
            for r in records[:100]
        ],
        "user": context.get("user"),
        "csrf_token": context.get("csrf_token"),
    }
