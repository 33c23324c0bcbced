"""Which agencies routing may dispose of a report to by itself, measured on history.

The router's best score ranks reports well but is not a calibrated probability: on weeks after
the ones it learned from, the same threshold takes more, less sure reports as the model grows
(ADR 0018). So a score at or above ``LAPOR_ROUTING_AUTO_DISPOSE_AT`` is not enough: the agency
must also have earned it. When a model is trained, the latest ``WEEKS`` weeks of its history
are routed out of sample, each week by a model learned only from what came before that week
(as the daily retraining would have routed them), and every routed report is kept as a
``Record`` (best agency, score, right or not) in the model. An agency is **trusted** when its
records at or above the threshold were right often enough: ``(right + 1) / (n + 1) ≥
LAPOR_ROUTING_AUTO_AGENCY_PRECISION`` (default 0.8; the added right gives an agency with one
right record the benefit of the doubt, one wrong record of one is refused). An agency without a
record at that score is not trusted: its reports go to the national admins.

``lapor routing train`` and ``lapor routing evaluate --rolling`` both call ``out_of_sample``,
and the service and the evaluation both decide with ``Routing.confident``, so what is
measured is what runs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from lapor.routing.history import Example

WEEKS = 4  # how many of the latest weeks are routed out of sample
MIN_LEARN = 20  # a week is routed only by a model learned from at least this many reports
MAX_ROUTED = 2000  # at most this many reports routed in all (the newest of each week)
DEFAULT_AGENCY_PRECISION = 0.8
SETTING = "LAPOR_ROUTING_AUTO_AGENCY_PRECISION"


@dataclass(frozen=True)
class Record:
    """One report of the latest weeks, routed by a model that had not seen it."""

    agency: str  # the best suggestion
    score: float  # its confidence
    right: bool  # whether history's agency was the best suggestion


def _share(name: str, default: float) -> float:
    raw = getattr(settings, name, default)
    refused = ImproperlyConfigured(f"{name} must be a number above 0 and at most 1, not {raw!r}")
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise refused from None
    if not 0 < value <= 1:
        raise refused
    return value


def agency_precision() -> float:
    """``LAPOR_ROUTING_AUTO_AGENCY_PRECISION`` (default 0.8)."""
    return _share(SETTING, DEFAULT_AGENCY_PRECISION)


def check_settings() -> None:
    """Refuse to start with a threshold or an agency precision that is not a share
    (``ImproperlyConfigured`` naming the setting)."""
    from lapor.routing.router import DEFAULT_AUTO_DISPOSE_AT

    _share("LAPOR_ROUTING_AUTO_DISPOSE_AT", DEFAULT_AUTO_DISPOSE_AT)
    agency_precision()


def trusted(records: Iterable[Record], *, threshold: float, precision: float) -> frozenset[str]:
    """The agencies whose records at or above ``threshold`` were right at least
    ``precision`` of the time, counting one right more than seen."""
    counts: dict[str, list[int]] = {}
    for r in records:
        if r.score >= threshold:
            seen = counts.setdefault(r.agency, [0, 0])
            seen[0] += r.right
            seen[1] += 1
    return frozenset(
        agency for agency, (right, n) in counts.items() if (right + 1) / (n + 1) >= precision
    )


def _utc(at: datetime) -> datetime:
    """Comparable whether stored with a time zone or without (then taken as UTC)."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


# Routes one report with a model: (best agency or "", its confidence).
Router = Callable[[Any, "Example"], tuple[str, float]]


def out_of_sample(
    examples: list[Example],
    *,
    fit: Callable[[list[Example]], Any],
    route_one: Router,
    weeks: int = WEEKS,
    done: Callable[[int, int, int], None] | None = None,
) -> tuple[Record, ...]:
    """Route each of the latest ``weeks`` weeks of ``examples`` (7-day blocks ending at the
    newest dated example) with a model ``fit`` on every example before the block only (undated
    examples count as older than all); a block with fewer than ``MIN_LEARN`` examples before it
    is skipped. At most ``MAX_ROUTED`` reports are routed, the newest of each block. ``done``
    hears (weeks before the end, reports routed, reports learned from) after each block."""
    dated = [(_utc(e.at), e) for e in examples if e.at is not None]
    if not dated:
        return ()
    newest = max(at for at, _ in dated)
    per_block = max(1, MAX_ROUTED // max(1, weeks))
    records: list[Record] = []
    for back in range(weeks, 0, -1):
        start = newest - timedelta(days=7 * back)
        end = start + timedelta(days=7)
        learn = [e for e in examples if e.at is None or _utc(e.at) <= start]
        in_block = sorted(((at, e) for at, e in dated if start < at <= end), key=lambda p: p[0])
        block = [e for _, e in in_block[-per_block:]]
        if len(learn) < MIN_LEARN or not block:
            continue
        model = fit(learn)
        for e in block:
            agency, score = route_one(model, e)
            records.append(Record(agency, round(score, 4), bool(agency) and agency == e.agency))
        if done is not None:
            done(back, len(block), len(learn))
    return tuple(records)
