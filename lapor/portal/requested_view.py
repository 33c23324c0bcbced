"""What the track and public report pages say about the agency the reporter named: which one
was asked for, which one got the report, and why (``routing.requested``), in the page's
language, only to whom ``privacy.shows_requested_agency`` allows."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lapor.reports import privacy
from lapor.reports.models import Report


def _percent(value: Any) -> str:
    try:
        return f"{round(float(value) * 100)}%"
    except (TypeError, ValueError):
        return ""


def _reason(d: dict[str, Any]) -> str:
    outcome = d.get("outcome")
    topic = d.get("category_name_en") if get_language() == "en" else ""
    topic = topic or d.get("category_name", "")
    values = {
        "requested": d.get("requested_name", ""),
        "to": d.get("to_name", ""),
        "topic": topic,
        "words": ", ".join(f"“{w}”" for w in d.get("words", [])),
        "percent": _percent(d.get("confidence")),
    }
    if outcome == "corrected" and topic:
        text = _(
            "Bukan wewenang %(requested)s: urusan %(topic)s ditangani %(to)s. Kata dalam "
            "laporan yang menunjukkannya: %(words)s; keyakinan perutean %(percent)s."
        )
    elif outcome == "corrected":
        text = _(
            "Bukan wewenang %(requested)s menurut perutean kami: laporan seperti ini ditangani "
            "%(to)s (keyakinan perutean %(percent)s)."
        )
    elif outcome == "unit":
        text = _(
            "Diteruskan ke %(to)s, unit kerja %(requested)s yang menangani urusan %(topic)s "
            "(keyakinan perutean %(percent)s)."
        )
    elif d.get("agreed"):
        text = _("Pilihan ini diikuti; perutean kami juga menilai instansi ini berwenang.")
    else:
        text = _(
            "Pilihan ini diikuti: perutean kami tidak menemukan instansi lain yang jelas "
            "lebih berwenang."
        )
    return text % values


def requested_summary(report: Report, audience: privacy.Audience) -> dict[str, Any] | None:
    """None when no agency was named or ``audience`` may not see it; else the names, codes,
    whether the choice was followed, and the reason."""
    if not report.requested_agency_id or not privacy.shows_requested_agency(report, audience):
        return None
    d = report.requested_decision or {}
    if not d.get("outcome"):
        agency = report.requested_agency
        return {
            "requested_name": agency.name if agency else "",
            "requested_code": agency.code if agency else "",
            "pending": True,
        }
    return {
        "requested_name": d.get("requested_name", ""),
        "requested_code": d.get("requested", ""),
        "to_name": d.get("to_name", ""),
        "to_code": d.get("to", ""),
        "followed": d.get("outcome") in ("followed", "unit"),
        "corrected": d.get("outcome") == "corrected",
        "reason": _reason(d),
        "pending": False,
    }
