"""The performance index over time: each agency's score per month, from the rollups.

A month's score is the index (``analytics.performance``) of the public reports' flows in that
month alone: answered in time, finished within 60 days, satisfaction, not reopened, own
authority; and the backlog component (open reports not overdue) from the backlog recorded as the
month ended (``analytics.stocks``), or, for the month under way, the backlog now. A month whose
end was not recorded (before the platform recorded them) has no backlog figure: the weights are
renormalised over the rest, as for any component without a figure. A month with fewer than
``performance.SMALL_SAMPLE`` reports is flagged; a component from fewer than 5 reports has no
figure."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from typing import TYPE_CHECKING

from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import formats
from django.utils.translation import gettext as _

from lapor.analytics import charts, performance, scopes, selectors, stocks, suppress
from lapor.analytics.facts import Metric
from lapor.analytics.models import CurrentCount, DailyCount
from lapor.analytics.suppress import Cell

if TYPE_CHECKING:
    from lapor.analytics.dashboard import Table

MONTHS = 6
COMPONENTS = list(performance.COMPONENT_LABELS)


@dataclass
class MonthScore:
    month: date
    submitted: int
    components: dict[str, float | None]
    score: float | None
    small_sample: bool


def month_starts(until: date, months: int = MONTHS) -> list[date]:
    first = until.replace(day=1)
    out = [first]
    while len(out) < months:
        out.insert(0, (out[0] - timedelta(days=1)).replace(day=1))
    return out


def monthly_scores(
    agency_id: int, until: date, months: int = MONTHS, *, daily: bool = False
) -> list[MonthScore]:
    """The agency's score in each of the last ``months`` months (the last one so far); two
    queries (the agency's monthly flows and backlog now from its per-scope sums, the recorded
    month-end backlogs). A period whole months do not answer (``scopes.covers``: ``until`` a past
    day within its month), or ``daily``, sums the daily counts instead (one query more)."""
    starts = month_starts(until, months)
    backlogs = stocks.agency_months(agency_id, starts[:-1])
    if not daily and scopes.covers(starts[0], until, selectors.today()):
        flows, backlogs[starts[-1]] = scopes.agency_months(agency_id, starts[0], until)
    else:
        flows = _daily_flows(agency_id, starts[0], until)
        backlogs[starts[-1]] = {
            row["metric"]: int(row["n"])
            for row in CurrentCount.objects.exclude(province="")
            .filter(agency=agency_id, metric__in=stocks.METRICS)
            .values("metric")
            .annotate(n=Sum("value"))
        }
    backlogs[starts[-1]] = {m: n for m, n in backlogs[starts[-1]].items() if m in stocks.METRICS}
    out = []
    for start in starts:
        figures = flows.get(start, {})
        parts = performance.components(figures, backlogs.get(start, {}))
        submitted = figures.get(Metric.SUBMITTED, 0)
        out.append(
            MonthScore(
                start,
                submitted,
                parts,
                performance.weighted(parts),
                submitted < performance.SMALL_SAMPLE,
            )
        )
    return out


def _daily_flows(agency_id: int, since: date, until: date) -> dict[date, dict[str, int]]:
    flows: dict[date, dict[str, int]] = defaultdict(dict)
    rows = (
        DailyCount.objects.exclude(province="")
        .filter(agency=agency_id, day__gte=since, day__lte=until)
        .exclude(metric__in=[Metric.ANSWER_HOURS, Metric.FINISH_HOURS])
        .annotate(month=TruncMonth("day"))
        .values("month", "metric")
        .annotate(n=Sum("value"))
    )
    for row in rows:
        month = row["month"]
        month = month.date() if hasattr(month, "date") else month
        flows[month][row["metric"]] = int(row["n"])
    return dict(flows)


def sparkline(title: str, points: list[tuple[str, float | None, bool]], *, width: int = 340) -> str:
    """A line of scores (0-100) over months: a filled dot per month, a hollow one for a small
    sample, a gap where there is no score; the first and last labels and figures below."""
    height, top, base = 90, 10, 60
    step = width / max(len(points), 1)
    xy: list[tuple[float, float] | None] = []
    for index, (_label, value, _small) in enumerate(points):
        if value is None:
            xy.append(None)
        else:
            xy.append((step * index + step / 2, base - (base - top) * value / 100))
    parts = [
        f'<line x1="0" y1="{base}" x2="{width}" y2="{base}" stroke="{charts.MUTED}"></line>',
        f'<line x1="0" y1="{top}" x2="{width}" y2="{top}" stroke="{charts.MUTED}" '
        'stroke-dasharray="2 3"></line>',
    ]
    segment: list[str] = []
    for point in [*xy, None]:
        if point is None:
            if len(segment) > 1:
                parts.append(
                    f'<polyline points="{" ".join(segment)}" fill="none" '
                    f'stroke="{charts.BAR}" stroke-width="2"></polyline>'
                )
            segment = []
        else:
            segment.append(f"{point[0]:.1f},{point[1]:.1f}")
    for index, (point, (label, value, small)) in enumerate(zip(xy, points, strict=True)):
        x = step * index + step / 2
        if point is not None:
            fill = "#ffffff" if small else charts.BAR
            parts.append(
                f'<circle cx="{point[0]:.1f}" cy="{point[1]:.1f}" r="3.5" fill="{fill}" '
                f'stroke="{charts.BAR}" stroke-width="1.5"></circle>'
            )
        shown = "—" if value is None else formats.number_format(value, 0) + ("*" if small else "")
        parts.append(
            f'<text x="{x:.1f}" y="{base + 14}" font-size="10" text-anchor="middle" '
            f'fill="{charts.TEXT}">{escape(label)}</text>'
            f'<text x="{x:.1f}" y="{base + 27}" font-size="10" text-anchor="middle" '
            f'fill="{charts.TEXT}">{escape(shown)}</text>'
        )
    return charts._svg(width, height, title, "".join(parts))


def _percent(value: float | None) -> Cell:
    if value is None:
        return suppress.EMPTY
    return Cell(round(100 * value, 1), str(formats.number_format(100 * value, 1)))


def chart_for(months: list[MonthScore]) -> str:
    return sparkline(
        _("Indeks kinerja per bulan"),
        [(formats.date_format(m.month, "M"), m.score, m.small_sample) for m in months],
    )


def table(agency_id: int, until: date) -> Table:
    """The agency dashboard's trend table (``tren``): a row per month, the score, its flow
    components and the reports submitted (suppressed like any public count)."""
    from lapor.analytics.dashboard import Table

    months = monthly_scores(agency_id, until)
    submitted = suppress.column([m.submitted for m in months])
    rows = []
    for index, m in enumerate(months):
        score = (
            suppress.EMPTY
            if m.score is None
            else Cell(
                m.score, str(formats.number_format(m.score, 1)) + ("*" if m.small_sample else "")
            )
        )
        rows.append(
            (
                formats.date_format(m.month, "M Y"),
                [score, *(_percent(m.components[k]) for k in COMPONENTS), submitted[index]],
            )
        )
    return Table(
        "tren",
        _("Tren indeks kinerja (6 bulan terakhir)"),
        [
            _("Indeks (0-100)"),
            *(str(performance.COMPONENT_LABELS[k]) for k in COMPONENTS),
            _("Laporan masuk"),
        ],
        rows,
        chart=chart_for(months),
        note=_(
            "Nilai per bulan dari laporan publik bulan itu saja; komponen tunggakan dari "
            "tunggakan yang tercatat pada akhir bulan itu (bulan berjalan: tunggakan saat ini), "
            "kosong bila belum tercatat. Tanda * : kurang dari %(small)s laporan pada bulan "
            "itu, nilai belum dapat diandalkan."
        )
        % {"small": performance.SMALL_SAMPLE},
        keys=[m.month.strftime("%Y-%m") for m in months],
    )
