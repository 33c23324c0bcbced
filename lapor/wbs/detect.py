"""Whether a complaint's text is about abuse of authority (pungli, korupsi, gratifikasi, suap,
pemerasan, penyalahgunaan wewenang): then the portal offers the WBS before filing it as an
ordinary, far less protected report. A deliberately simple, explainable word list: a miss
costs an offer, a false alarm costs one click."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

TERMS = (
    r"pungli",
    r"pungutan\s+liar",
    r"korupsi",
    r"koruptor",
    r"gratifikasi",
    r"suap\w*",
    r"disuap",
    r"menyuap",
    r"sogok\w*",
    r"uang\s+pelicin",
    r"uang\s+rokok",
    r"pemerasan",
    r"memeras",
    r"penyalahgunaan\s+(?:wewenang|kewenangan|jabatan)",
    r"menyalahgunakan\s+(?:wewenang|kewenangan|jabatan)",
    r"kolusi",
    r"nepotisme",
    r"mark[\s-]?up\s+anggaran",
    r"bribe\w*",
    r"corruption",
    r"abuse\s+of\s+(?:power|authority)",
)
PATTERN = re.compile(r"\b(?:" + "|".join(TERMS) + r")\b", re.IGNORECASE)


def matched_terms(text: str) -> list[str]:
    return sorted({m.group(0).lower() for m in PATTERN.finditer(text or "")})


def is_abuse_of_authority(text: str) -> bool:
    return PATTERN.search(text or "") is not None


def offers_wbs(post: Mapping[str, Any], data: Mapping[str, Any]) -> bool:
    """Offer the WBS on the portal's submit form: the text speaks of abuse of authority and the
    citizen has not already chosen to send an ordinary report (``wbs_declined``)."""
    if "wbs_declined" in post:
        return False
    return is_abuse_of_authority(f"{data.get('title', '')}\n{data.get('body', '')}")
