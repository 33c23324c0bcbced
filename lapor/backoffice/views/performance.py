"""An agency's own performance index in the back office: each component with the figures it
is computed from, the trend, the place among its peers, and where the weak components come from
(the queues and the reports behind them). Officers see the agencies of their own subtree; any
other agency answers 404, as a report outside the subtree does."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lapor.agencies.models import Agency, Membership
from lapor.analytics import performance, selectors, trend
from lapor.analytics.facts import Metric
from lapor.backoffice.access import Officer, officer_required
from lapor.backoffice.views.common import officer_of, page
from lapor.reports.models import Report
from lapor.reports.selectors_backoffice import officer_reports

WEAK_BELOW = 0.7  # a component under this share is shown as weak (as is the weakest one)
REPORTS_SHOWN = 10
# (numerator metric, denominator metric or stock, "1 -" the share?) per component, for the
# explanation of how each figure is computed.
FORMULA: dict[str, tuple[str, str, bool]] = {
    "answered_sla": (Metric.ANSWERED_SLA, Metric.ANSWERED, False),
    "finished_sla": (Metric.FINISHED_SLA, Metric.FINISHED, False),
    "satisfaction": (Metric.RATING_SUM, Metric.RATED, False),
    "not_reopened": (Metric.REOPENED, Metric.SUBMITTED, True),
    "own_authority": (Metric.NOT_AUTHORITY, Metric.SUBMITTED, True),
    "not_overdue": (Metric.OVERDUE, Metric.OPEN, True),
}
HOW = {
    "answered_sla": _(
        "%(n)s dari %(d)s laporan yang ditanggapi pertama kali dalam periode "
        "ditanggapi sebelum batas waktu."
    ),
    "finished_sla": _("%(n)s dari %(d)s laporan yang selesai dalam periode selesai dalam 60 hari."),
    "satisfaction": _("Jumlah nilai %(n)s dari %(d)s penilaian: (rata-rata - 1) / 4."),
    "not_reopened": _("1 - %(n)s dibuka kembali dari %(d)s laporan masuk."),
    "own_authority": _("1 - %(n)s bukan wewenang atau diteruskan dari %(d)s laporan masuk."),
    "not_overdue": _("1 - %(n)s terlambat dari %(d)s laporan yang masih terbuka."),
}
# Where the reports behind a weak component wait: back-office queues (sorted by deadline).
QUEUES = {
    "answered_sla": [("masuk", _("Kotak masuk")), ("terlambat", _("Terlambat"))],
    "finished_sla": [("tugas", _("Tugas unit")), ("terlambat", _("Terlambat"))],
    "not_overdue": [("terlambat", _("Terlambat"))],
    "own_authority": [("masuk", _("Kotak masuk"))],
}


def reachable(officer: Officer) -> Q | None:
    """The agencies an officer may see the index of (``None``: every agency)."""
    if officer.is_national:
        return None
    q = Q(pk__in=[])
    for m in officer.memberships:
        if m.role != Membership.Role.PARTNER:
            q |= Q(path__startswith=m.agency.path)
    return q


@officer_required
def own(request: HttpRequest) -> HttpResponse:
    """The officer's own agency (the first membership's); a national admin gets every scored
    agency, ranked within its peer group, each leading to its detail."""
    officer = officer_of(request)
    for m in officer.memberships:
        if m.role != Membership.Role.NATIONAL_ADMIN:
            return redirect("backoffice:performance", code=m.agency.code)
    since, until = selectors.period(12)
    scored = sorted(
        (s for s in _scores(since, until) if s.score is not None),
        key=lambda s: (s.peer_group, s.band, s.rank or 10**9),
    )
    codes = {
        pk: (code, name)
        for pk, code, name in Agency.objects.filter(
            pk__in=[s.agency_id for s in scored]
        ).values_list("pk", "code", "name")
    }
    rows = [
        (
            s,
            *codes.get(s.agency_id, ("", "")),
            f"{performance.PEER_LABELS.get(s.peer_group, s.peer_group)} · "
            f"{performance.BAND_LABELS.get(s.band, s.band)}",
        )
        for s in scored
    ]
    return page(
        request,
        "backoffice/performance_list.html",
        {"rows": [r for r in rows if r[1]], "since": since, "until": until},
    )


def _scores(since: Any, until: Any) -> list[performance.Score]:
    key = f"analytics:ranking:{until}"  # shared with the public ranking page
    found = cache.get(key)
    if found is None:
        found = performance.scores(since, until)
        cache.set(key, found, 120)
    return found


@officer_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    officer = officer_of(request)
    agencies = Agency.objects.filter(code=code)
    scope_filter = reachable(officer)
    if scope_filter is not None:
        agencies = agencies.filter(scope_filter)
    agency = agencies.first()
    if agency is None:
        raise Http404
    since, until = selectors.period(12)
    scope = selectors.agency(agency.pk, agency.code, agency.name)
    flows, stocks = selectors.totals(scope, since, until), selectors.stocks(scope)
    parts = performance.components(flows, stocks)
    weights = performance.WEIGHTS[performance.CURRENT]
    figures = {**flows, **stocks}
    present = [v for v in parts.values() if v is not None]
    weakest = min(present) if present else None
    rows = []
    for key, value in parts.items():
        numerator, denominator, _inverse = FORMULA[key]
        weak = value is not None and (value < WEAK_BELOW or value == weakest)
        rows.append(
            {
                "key": key,
                "label": performance.COMPONENT_LABELS[key],
                "value": None if value is None else round(100 * value, 1),
                "weight": round(100 * weights[key]),
                "how": HOW[key]
                % {"n": figures.get(numerator, 0), "d": figures.get(denominator, 0)},
                "weak": weak,
                "queues": [
                    (label, reverse("backoffice:queue", args=[slug]) + "?sort=due")
                    for slug, label in QUEUES.get(key, [])
                ]
                if weak
                else [],
            }
        )
    everyone = _scores(since, until)
    mine = next((s for s in everyone if s.agency_id == agency.pk), None)
    peers = (
        sorted(
            (s for s in everyone if (s.peer_group, s.band) == (mine.peer_group, mine.band)),
            key=lambda s: s.rank or 10**9,
        )
        if mine
        else []
    )
    months = trend.monthly_scores(agency.pk, until)
    weak_keys = {r["key"] for r in rows if r["weak"]}
    context = {
        "agency": agency,
        "since": since,
        "until": until,
        "score": performance.weighted(parts),
        "rows": rows,
        "mine": mine,
        "peer_count": sum(1 for s in peers if s.score is not None),
        "peers": _named([s for s in peers if s.score is not None][:10]),
        "months": months,
        "trend_svg": trend.chart_for(months),
        "trend_components": [performance.COMPONENT_LABELS[k] for k in trend.COMPONENTS],
        "trend_rows": [
            (
                m,
                [_percent(m.components[k]) for k in trend.COMPONENTS],
            )
            for m in months
        ],
        "low_rated": _reports(officer, agency, Q(rating__lte=2))
        if "satisfaction" in weak_keys
        else [],
        "reopened": _reports(officer, agency, Q(reopen_count__gt=0))
        if "not_reopened" in weak_keys
        else [],
        "version": performance.CURRENT,
        "small": performance.SMALL_SAMPLE,
    }
    return page(request, "backoffice/performance.html", context)


def _reports(officer: Officer, agency: Agency, condition: Q) -> list[Report]:
    """The latest reports of the agency's subtree matching ``condition`` that the officer may
    open (the queues' own scope decides)."""
    subtree = Agency.objects.filter(path__startswith=agency.path).values("pk")
    return list(
        officer_reports(officer.memberships)
        .filter(Q(agency_id__in=subtree) | Q(unit_id__in=subtree))
        .filter(condition)
        .order_by("-updated_at")
        .only("tracking_id", "title", "rating", "reopen_count")[:REPORTS_SHOWN]
    )


def _named(scores: list[performance.Score]) -> list[tuple[performance.Score, str]]:
    names = dict(
        Agency.objects.filter(pk__in=[s.agency_id for s in scores]).values_list("pk", "name")
    )
    return [(s, names.get(s.agency_id, "")) for s in scores]


def _percent(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)
