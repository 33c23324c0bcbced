"""A dashboard: its tables, each with the chart drawn from it, built from the rollups alone.

The same ``Table`` feeds the page, its CSV download and the open-data JSON, so what a visitor
sees, downloads and fetches is one set of suppressed figures (``analytics.suppress``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from lapor.analytics import charts, scopes, selectors, suppress
from lapor.analytics.facts import Metric
from lapor.analytics.selectors import Scope
from lapor.analytics.suppress import Cell
from lapor.categories.models import Category
from lapor.regions.models import Region
from lapor.reports.models import Report


@dataclass
class Table:
    slug: str
    title: str
    columns: list[str]
    rows: list[tuple[str, list[Cell]]]
    chart: str = ""
    note: str = ""
    keys: list[str] = field(default_factory=list)  # a machine key per row (codes, months)

    def records(self) -> list[dict[str, Any]]:
        """The rows as records for CSV and JSON: the key, the label, one value per column."""
        out = []
        for index, (label, cells) in enumerate(self.rows):
            record: dict[str, Any] = {"kunci": self.keys[index] if self.keys else label}
            record["label"] = label
            for name, cell in zip(self.columns, cells, strict=True):
                record[name] = cell.export()
            out.append(record)
        return out


# Map measures: the query value, its label (translated when shown), how to compute it.
MEASURES = ("laporan", "sla", "terlambat", "kepuasan")


@dataclass
class Dashboard:
    scope: Scope
    since: date
    until: date
    headline: Table
    tables: list[Table]
    map_svg: str = ""
    measure: str = "laporan"

    def table(self, slug: str) -> Table | None:
        return next((t for t in [self.headline, *self.tables] if t.slug == slug), None)


class DailyFigures:
    """The page's figures summed from ``DailyCount`` and ``CurrentCount`` (``selectors``): for a
    period that whole months do not answer (``scopes.covers``), and to check ``scopes.Figures``
    against."""

    def __init__(self, scope: Scope, since: date, until: date) -> None:
        self.scope, self.since, self.until = scope, since, until

    def totals(self) -> dict[str, int]:
        return selectors.totals(self.scope, self.since, self.until, daily=True)

    def stocks(self) -> dict[str, int]:
        return selectors.stocks(self.scope, daily=True)

    def histogram(self, metric: str) -> list[int]:
        return selectors.histogram(self.scope, metric, self.since, self.until, daily=True)

    def monthly(self, metric: str) -> list[tuple[date, int]]:
        return selectors.monthly(self.scope, metric, self.since, self.until)

    def breakdown(self, dimension: str) -> list[tuple[Any, int]]:
        return selectors.breakdown(self.scope, dimension, Metric.SUBMITTED, self.since, self.until)

    def rising(self) -> list[tuple[int, int, int]]:
        return selectors.rising(self.scope, until=self.until)

    def by_province(self, metrics: list[str]) -> dict[str, dict[str, int]]:
        return selectors.by_province(metrics, self.since, self.until)


Figures = scopes.Figures | DailyFigures


def figures_for(scope: Scope, since: date, until: date, *, daily: bool = False) -> Figures:
    """The per-scope sums when whole months answer the period (``scopes.covers``)."""
    if daily or not scopes.covers(since, until, selectors.today()):
        return DailyFigures(scope, since, until)
    return scopes.Figures(scope, since, until)


def build(
    scope: Scope, *, measure: str = "laporan", until: date | None = None, daily: bool = False
) -> Dashboard:
    since, end = selectors.period(12, until=until)
    f = figures_for(scope, since, end, daily=daily)
    headline = _headline(scope, f)
    tables = [_months(f)]
    tables += _breakdowns(f)
    board = Dashboard(scope, since, end, headline, tables, measure=measure)
    if scope.kind == "instansi":
        board.tables.insert(0, _index(f))
        from lapor.analytics import trend

        board.tables.insert(1, trend.table(scope.agency_id, end))
    if scope.national:
        provinces = _provinces(f, measure)
        board.tables.append(provinces[0])
        board.map_svg = provinces[1]
    return board


def _headline(scope: Scope, f: Figures) -> Table:
    t = f.totals()
    s = f.stocks()
    answer = f.histogram(Metric.ANSWER_HOURS)
    finish = f.histogram(Metric.FINISH_HOURS)
    submitted = t.get(Metric.SUBMITTED, 0)
    rows = [
        (_("Laporan masuk"), suppress.count(submitted)),
        (
            _("Ditindaklanjuti dalam batas waktu"),
            suppress.rate(t.get(Metric.ANSWERED_SLA, 0), t.get(Metric.ANSWERED, 0)),
        ),
        (
            _("Median waktu sampai tanggapan pertama"),
            suppress.hours(selectors.median_hours(answer), sum(answer)),
        ),
        (
            _("Median waktu sampai selesai"),
            suppress.hours(selectors.median_hours(finish), sum(finish)),
        ),
        (
            _("Selesai dalam 60 hari"),
            suppress.rate(t.get(Metric.FINISHED_SLA, 0), t.get(Metric.FINISHED, 0)),
        ),
        (
            _("Kepuasan pelapor (1-5)"),
            suppress.mean(t.get(Metric.RATING_SUM, 0), t.get(Metric.RATED, 0)),
        ),
        (_("Dibuka kembali (banding)"), suppress.rate(t.get(Metric.REOPENED, 0), submitted)),
        (_("Bukan wewenang"), suppress.rate(t.get(Metric.NOT_AUTHORITY, 0), submitted)),
        (_("Masih terbuka"), suppress.count(s.get(Metric.OPEN, 0))),
        (_("Melewati batas waktu"), suppress.count(s.get(Metric.OVERDUE, 0))),
    ]
    keys = [
        "laporan_masuk",
        "dalam_batas_waktu_persen",
        "median_jam_tanggapan_pertama",
        "median_jam_selesai",
        "selesai_60_hari_persen",
        "kepuasan_rata_rata",
        "dibuka_kembali_persen",
        "bukan_wewenang_persen",
        "terbuka",
        "terlambat",
    ]
    note = ""
    if scope.national:
        note = _(
            "Total nasional termasuk laporan rahasia; rincian per wilayah, instansi, kategori, "
            "jenis dan kanal hanya menghitung laporan publik."
        )
    else:
        note = _("Hanya laporan publik yang dihitung di halaman ini.")
    return Table(
        "ringkasan",
        _("Ringkasan 12 bulan terakhir"),
        [_("Angka")],
        [(label, [cell]) for label, cell in rows],
        note=note,
        keys=keys,
    )


def _months(f: Figures) -> Table:
    series = {
        metric: f.monthly(metric) for metric in (Metric.SUBMITTED, Metric.ANSWERED, Metric.FINISHED)
    }
    months = [month for month, _ in series[Metric.SUBMITTED]]
    cols = {m: suppress.column([n for _, n in series[m]]) for m in series}
    labels = [formats.date_format(m, "M Y") for m in months]
    rows = [
        (label, [cols[Metric.SUBMITTED][i], cols[Metric.ANSWERED][i], cols[Metric.FINISHED][i]])
        for i, label in enumerate(labels)
    ]
    title = _("Laporan per bulan")
    chart = charts.columns(
        title,
        [(formats.date_format(m, "M"), cols[Metric.SUBMITTED][i]) for i, m in enumerate(months)],
    )
    return Table(
        "bulanan",
        title,
        [_("Laporan masuk"), _("Ditanggapi pertama kali"), _("Selesai")],
        rows,
        chart=chart,
        keys=[m.strftime("%Y-%m") for m in months],
    )


def _breakdown_table(
    slug: str, title: str, pairs: list[tuple[Any, int]], label: Any, *, limit: int = 15
) -> Table:
    pairs = pairs[:limit]
    cells = suppress.column([n for _, n in pairs])
    rows = [(label(key), [cells[i]]) for i, (key, _) in enumerate(pairs)]
    chart = charts.bars(title, [(name, c[0]) for name, c in rows]) if rows else ""
    return Table(
        slug, title, [_("Jumlah laporan")], rows, chart=chart, keys=[str(key) for key, _ in pairs]
    )


def _breakdowns(f: Figures) -> list[Table]:
    by_category = f.breakdown("category")
    rising = f.rising()
    ids = {key for key, _ in by_category} | {row[0] for row in rising}
    names = dict(Category.objects.filter(pk__in=ids).values_list("pk", "name"))

    def category(key: int) -> str:
        return names.get(key, _("Tanpa kategori"))

    types = dict(Report.Type.choices)
    channels = dict(Report.Channel.choices)
    tables = [
        _breakdown_table("kategori", _("Menurut kategori"), by_category, category),
        _breakdown_table(
            "jenis",
            _("Menurut jenis"),
            f.breakdown("type"),
            lambda k: str(types.get(k, k)),
        ),
        _breakdown_table(
            "kanal",
            _("Menurut kanal"),
            f.breakdown("channel"),
            lambda k: str(channels.get(k, k)),
        ),
    ]
    now = suppress.column([row[1] for row in rising[:10]])
    before = suppress.column([row[2] for row in rising[:10]])
    tables.append(
        Table(
            "naik",
            _("Kategori yang naik (30 hari terakhir dibanding 30 hari sebelumnya)"),
            [_("30 hari terakhir"), _("30 hari sebelumnya")],
            [(category(row[0]), [now[i], before[i]]) for i, row in enumerate(rising[:10])],
            keys=[str(row[0]) for row in rising[:10]],
        )
    )
    return tables


def measure_cell(measure: str, figures: dict[str, int]) -> Cell:
    if measure == "sla":
        return suppress.rate(figures.get(Metric.ANSWERED_SLA, 0), figures.get(Metric.ANSWERED, 0))
    if measure == "terlambat":
        return suppress.count(figures.get(Metric.OVERDUE, 0))
    if measure == "kepuasan":
        return suppress.mean(figures.get(Metric.RATING_SUM, 0), figures.get(Metric.RATED, 0))
    return suppress.count(figures.get(Metric.SUBMITTED, 0))


def measure_label(measure: str) -> str:
    labels = {
        "laporan": _("Laporan masuk"),
        "sla": _("Ditindaklanjuti dalam batas waktu (%)"),
        "terlambat": _("Melewati batas waktu"),
        "kepuasan": _("Kepuasan pelapor (1-5)"),
    }
    return labels.get(measure, labels["laporan"])


def _provinces(f: Figures, measure: str) -> tuple[Table, str]:
    from django.urls import reverse

    figures = f.by_province(
        [
            Metric.SUBMITTED,
            Metric.ANSWERED,
            Metric.ANSWERED_SLA,
            Metric.RATED,
            Metric.RATING_SUM,
        ],
    )
    names = dict(Region.objects.filter(level=Region.Level.PROVINSI).values_list("code", "name"))
    codes = sorted(set(names) | set(figures))
    submitted = suppress.column([figures.get(c, {}).get(Metric.SUBMITTED, 0) for c in codes])
    rows = []
    for i, code in enumerate(codes):
        one = figures.get(code, {})
        rows.append(
            (
                names.get(code, code),
                [
                    submitted[i],
                    measure_cell("sla", one),
                    measure_cell("terlambat", one),
                    measure_cell("kepuasan", one),
                ],
            )
        )
    cells = {code: measure_cell(measure, figures.get(code, {})) for code in codes}
    if measure == "laporan":
        cells = {code: submitted[i] for i, code in enumerate(codes)}
    links = {code: reverse("analytics:province", args=[code]) for code in names}
    svg = charts.tile_map(measure_label(measure), cells, names, links)
    table = Table(
        "provinsi",
        _("Menurut provinsi"),
        [
            _("Jumlah laporan"),
            _("Dalam batas waktu (%)"),
            _("Melewati batas waktu"),
            _("Kepuasan (1-5)"),
        ],
        rows,
        keys=codes,
    )
    return table, svg


def _index(f: Figures) -> Table:
    """The agency's performance index and its components (``analytics.performance``)."""
    from lapor.analytics import performance

    parts = performance.components(f.totals(), f.stocks())
    score = performance.weighted(parts)
    weights = performance.WEIGHTS[performance.CURRENT]
    rows = [
        (
            str(performance.COMPONENT_LABELS[key]),
            [
                suppress.EMPTY
                if value is None
                else Cell(round(100 * value, 1), str(formats.number_format(100 * value, 1))),
                Cell(weights[key], f"{100 * weights[key]:.0f}%"),
            ],
        )
        for key, value in parts.items()
    ]
    rows.insert(
        0,
        (
            _("Indeks kinerja (0-100)"),
            [
                suppress.EMPTY
                if score is None
                else Cell(score, str(formats.number_format(score, 1))),
                Cell(1.0, "100%"),
            ],
        ),
    )
    return Table(
        "indeks",
        _("Indeks kinerja pengelolaan pengaduan"),
        [_("Nilai (0-100)"), _("Bobot")],
        rows,
        chart=charts.bars(_("Komponen indeks"), [(label, cells[0]) for label, cells in rows[1:]]),
        note=_(
            "Metode versi %(version)s: rata-rata berbobot dari komponen yang memiliki angka; "
            "komponen dari kurang dari 5 laporan tidak dihitung."
        )
        % {"version": performance.CURRENT},
        keys=["indeks", *parts],
    )
