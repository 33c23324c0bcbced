"""Showing a stored UTC time in an office's zone, with its Indonesian label (WIB/WITA/WIT)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from lapor.regions.models import ZONE_LABELS

MONTHS_ID = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def in_zone(moment: datetime, tz: str) -> datetime:
    return moment.astimezone(ZoneInfo(tz))


def format_local(moment: datetime | None, tz: str) -> str:
    """``12 Maret 2026 14.05 WITA``: the Indonesian way, in the office's zone."""
    if moment is None:
        return "-"
    local = in_zone(moment, tz)
    label = ZONE_LABELS.get(tz, tz)
    return f"{local.day} {MONTHS_ID[local.month - 1]} {local.year} {local:%H.%M} {label}"
