"""The agency performance index: a published method, weights as versioned data, 0-100.

In the spirit of the national complaint-handling competition (PermenPANRB 39/2018), the
Ombudsman's compliance assessment and India's Grievance Redressal Assessment and Index: each
component is a share from 0 to 1 computed from the rollups (public reports only, as every
breakdown), the score is the weighted mean of the components an agency has figures for (weights
renormalised over them) times 100. Agencies are compared within their peer group (kind of agency)
and volume band; fewer than ``SMALL_SAMPLE`` reports in the period flags the score as uncertain.
A component with fewer than 5 reports behind it has no figure (``analytics.suppress``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from lapor.agencies.models import Agency
from lapor.analytics.facts import Metric
from lapor.analytics.models import CurrentCount, DailyCount
from lapor.analytics.suppress import MIN_CELL

# Weights per published version: a new version is a new key, never an edit of an old one.
WEIGHTS: dict[str, dict[str, float]] = {
    "2026.1": {
        "answered_sla": 0.25,  # follow-up before the deadline (SOP: 5 working days)
        "finished_sla": 0.20,  # completed within 60 days (Perpres 76/2013)
        "satisfaction": 0.20,  # reporters' ratings, (mean - 1) / 4
        "not_reopened": 0.10,  # 1 - the share reopened on appeal
        "own_authority": 0.10,  # 1 - the share sent back as "bukan wewenang" or forwarded
        "not_overdue": 0.15,  # 1 - the share of the open backlog past its deadline
    }
}
CURRENT = "2026.1"
COMPONENT_LABELS = {
    "answered_sla": _("Ditindaklanjuti dalam batas waktu"),
    "finished_sla": _("Selesai dalam 60 hari"),
    "satisfaction": _("Kepuasan pelapor"),
    "not_reopened": _("Tidak dibuka kembali"),
    "own_authority": _("Tepat wewenang"),
    "not_overdue": _("Tunggakan tidak terlambat"),
}
SMALL_SAMPLE = 30
PEER_GROUPS: dict[str, str] = {
    Agency.Kind.MINISTRY: "kl",
    Agency.Kind.INSTITUTION: "kl",
    Agency.Kind.PROVINCE: "provinsi",
    Agency.Kind.CITY: "kota",
    Agency.Kind.REGENCY: "kabupaten",
    Agency.Kind.STATE_COMPANY: "bumn",
}
BANDS = ((100, "kecil"), (1000, "sedang"))  # fewer than 100 reports: kecil; then sedang; besar
PEER_LABELS = {
    "kl": _("Kementerian dan lembaga"),
    "provinsi": _("Pemerintah provinsi"),
    "kota": _("Pemerintah kota"),
    "kabupaten": _("Pemerintah kabupaten"),
    "bumn": _("BUMN"),
    "lainnya": _("Lainnya"),
}
BAND_LABELS = {
    "kecil": _("kurang dari 100 laporan"),
    "sedang": _("100 sampai 999 laporan"),
    "besar": _("1.000 laporan atau lebih"),
}


@dataclass
class Score:
    agency_id: int
    submitted: int
    components: dict[str, float | None]
    score: float | None
    small_sample: bool
    peer_group: str = ""
    band: str = ""
    rank: int | None = None


def _share(numerator: int, denominator: int) -> float | None:
    """A share, or None where ``suppress.rate`` shows none (a small count could be worked out)."""
    if denominator < MIN_CELL or 0 < numerator < MIN_CELL:
        return None
    return numerator / denominator


def components(flows: dict[str, int], stocks: dict[str, int]) -> dict[str, float | None]:
    submitted = flows.get(Metric.SUBMITTED, 0)
    rated = flows.get(Metric.RATED, 0)
    reopened = _share(flows.get(Metric.REOPENED, 0), submitted)
    moved = _share(flows.get(Metric.NOT_AUTHORITY, 0), submitted)
    overdue = _share(stocks.get(Metric.OVERDUE, 0), stocks.get(Metric.OPEN, 0))
    return {
        "answered_sla": _share(flows.get(Metric.ANSWERED_SLA, 0), flows.get(Metric.ANSWERED, 0)),
        "finished_sla": _share(flows.get(Metric.FINISHED_SLA, 0), flows.get(Metric.FINISHED, 0)),
        "satisfaction": (flows.get(Metric.RATING_SUM, 0) / rated - 1) / 4
        if rated >= MIN_CELL
        else None,
        "not_reopened": None if reopened is None else 1 - reopened,
        "own_authority": None if moved is None else 1 - moved,
        "not_overdue": None if overdue is None else 1 - overdue,
    }


def weighted(parts: dict[str, float | None], version: str = CURRENT) -> float | None:
    weights = WEIGHTS[version]
    present = {k: v for k, v in parts.items() if v is not None}
    total = sum(weights[k] for k in present)
    if not present or total == 0:
        return None
    return round(100 * sum(weights[k] * v for k, v in present.items()) / total, 1)


def band_of(submitted: int) -> str:
    return next((name for limit, name in BANDS if submitted < limit), "besar")


def agency_figures(
    since: date, until: date, *, daily: bool = False
) -> tuple[dict[int, dict[str, int]], dict[int, dict[str, int]]]:
    """Each agency's flows over the period and its backlog now (public reports; a count at zero
    is no figure). Whole months read the per-agency sums (``scopes.agency_flows``: a row per
    agency, month and metric, however many days, places and categories); any other period, or
    ``daily``, sums the daily counts."""
    from lapor.analytics import scopes
    from lapor.analytics.selectors import national, today

    if not daily and scopes.covers(since, until, today()):
        return scopes.agency_flows(national(), since, until), scopes.agency_stocks()
    flows: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        DailyCount.objects.exclude(province="")
        .exclude(agency=0)
        .filter(day__gte=since, day__lte=until)
        .exclude(metric__in=[Metric.ANSWER_HOURS, Metric.FINISH_HOURS])
        .values("agency", "metric")
        .annotate(n=Sum("value"))
    ):
        if row["n"]:
            flows[row["agency"]][row["metric"]] = int(row["n"])
    stocks: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        CurrentCount.objects.exclude(province="")
        .exclude(agency=0)
        .filter(metric__in=[Metric.OPEN, Metric.OVERDUE])
        .values("agency", "metric")
        .annotate(n=Sum("value"))
    ):
        if row["n"]:
            stocks[row["agency"]][row["metric"]] = int(row["n"])
    return dict(flows), dict(stocks)


def scores(since: date, until: date, version: str = CURRENT, *, daily: bool = False) -> list[Score]:
    """Every agency with public reports in the period, scored and ranked within its peer group
    and volume band (best first; agencies without a score are not ranked). Two queries for the
    figures (``agency_figures``), one for the agencies' kinds."""
    flows, stocks = agency_figures(since, until, daily=daily)
    kinds: dict[int, str] = dict(
        Agency.objects.filter(pk__in=list(flows)).values_list("pk", "kind")
    )
    out = []
    for agency_id, figures in flows.items():
        parts = components(figures, stocks.get(agency_id, {}))
        submitted = figures.get(Metric.SUBMITTED, 0)
        out.append(
            Score(
                agency_id,
                submitted,
                parts,
                weighted(parts, version),
                submitted < SMALL_SAMPLE,
                PEER_GROUPS.get(kinds.get(agency_id, ""), "lainnya"),
                band_of(submitted),
            )
        )
    groups: dict[tuple[str, str], list[Score]] = defaultdict(list)
    for s in out:
        if s.score is not None:
            groups[(s.peer_group, s.band)].append(s)
    for members in groups.values():
        members.sort(key=lambda s: (-(s.score or 0), s.agency_id))
        for rank, s in enumerate(members, start=1):
            s.rank = rank
    return out


def previous_period(until: date) -> tuple[date, date]:
    """The ranking's previous period: the same twelve months ending a month earlier (the last
    day of the month before ``until``'s)."""
    from lapor.analytics.selectors import period

    return period(12, until=until.replace(day=1) - timedelta(days=1))


@dataclass(frozen=True)
class Change:
    rank: int | None  # the rank in the previous period (same peer group and band), if ranked
    score: float | None
    delta: float | None  # score now minus score then
    moved: int | None  # places gained (positive) or lost


def changes(now: list[Score], before: list[Score]) -> dict[int, Change]:
    """Each agency's previous rank and score, and how it moved since (a different peer group or
    volume band then counts as no previous rank)."""
    then = {s.agency_id: s for s in before}
    out = {}
    for s in now:
        b = then.get(s.agency_id)
        if b is None:
            out[s.agency_id] = Change(None, None, None, None)
            continue
        same = (b.peer_group, b.band) == (s.peer_group, s.band)
        rank = b.rank if same else None
        delta = None if s.score is None or b.score is None else round(s.score - b.score, 1)
        moved = None if rank is None or s.rank is None else rank - s.rank
        out[s.agency_id] = Change(rank, b.score, delta, moved)
    return out
