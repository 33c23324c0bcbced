"""What a month's "Suara Rakyat" says, read from the per-scope sums alone (``analytics.scopes``:
whole months, a query per section, bounded by the categories, places and agencies whatever the
days or the reports) and suppressed as the dashboards are (``analytics.suppress``): one
``Content`` feeds the HTML and the PDF in either language.

Sections: the headline (this month beside the month before), categories that rose, services
that fail most (late first answers per category and place), agencies improving and falling
behind (the performance index over the three months to this one against the three before), and
a few public reports of the month as examples, chosen through the portal's public selector
(never rahasia, never a merged duplicate, never a reporter's identity)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import formats
from django.utils.translation import gettext as _

from lapor.agencies.models import Agency
from lapor.analytics import performance, scopes, selectors, suppress
from lapor.analytics.automation import next_month, previous_month
from lapor.analytics.facts import Metric
from lapor.analytics.selectors import Scope
from lapor.analytics.suppress import Cell
from lapor.categories.models import Category
from lapor.regions.models import Region

RISING_ROWS = 8
FAILING_ROWS = 10
AGENCY_ROWS = 5
EXAMPLES = 5
# The index is compared over three months to smooth a month's small numbers.
INDEX_MONTHS = 3


@dataclass
class Section:
    slug: str
    title: str
    columns: list[str]
    rows: list[tuple[str, list[Cell]]]
    intro: str = ""


@dataclass
class Example:
    tracking_id: str
    title: str
    category: str
    place: str
    status: str
    url: str


@dataclass
class Content:
    month: date
    region: str  # "" national
    region_name: str
    headline: Section
    sections: list[Section]
    examples: list[Example] = field(default_factory=list)
    example_ids: list[int] = field(default_factory=list)

    @property
    def national(self) -> bool:
        return not self.region

    @property
    def submitted(self) -> Cell:
        return self.headline.rows[0][1][0]


def month_end(month: date) -> date:
    return next_month(month) - timedelta(days=1)


def scope_of(region: str) -> Scope:
    if not region:
        return selectors.national()
    found = Region.objects.filter(code=region, level=Region.Level.PROVINSI).first()
    if found is None:
        raise LookupError(region)
    return selectors.province(found.code, found.name)


def build(month: date, region: str = "") -> Content:
    scope = scope_of(region)
    since, until = month, month_end(month)
    before = previous_month(month)
    headline = _headline(scope, since, until, before)
    sections = [
        _rising(scope, since, until, before),
        _failing(scope, since, until),
        *_agencies(scope, month),
    ]
    examples, ids = _examples(region, since, until)
    return Content(month, region, scope.name or _("Nasional"), headline, sections, examples, ids)


def _change(now: Cell, then: Cell) -> Cell:
    """The change in per cent, only between two figures both shown."""
    if now.value is None or then.value is None or not then.value:
        return suppress.EMPTY
    share = 100 * (now.value - then.value) / then.value
    sign = "+" if share > 0 else ""
    return Cell(round(share, 1), f"{sign}{formats.number_format(share, 1)}%")


def _figures(scope: Scope, since: date, until: date) -> list[Cell]:
    t, hours = scopes.flows(scope, since, until)
    answer, finish = hours[Metric.ANSWER_HOURS], hours[Metric.FINISH_HOURS]
    submitted = t.get(Metric.SUBMITTED, 0)
    return [
        suppress.count(submitted),
        suppress.rate(t.get(Metric.ANSWERED_SLA, 0), t.get(Metric.ANSWERED, 0)),
        suppress.hours(selectors.median_hours(answer), sum(answer)),
        suppress.hours(selectors.median_hours(finish), sum(finish)),
        suppress.rate(t.get(Metric.FINISHED_SLA, 0), t.get(Metric.FINISHED, 0)),
        suppress.mean(t.get(Metric.RATING_SUM, 0), t.get(Metric.RATED, 0)),
        suppress.rate(t.get(Metric.NOT_AUTHORITY, 0), submitted),
        suppress.rate(t.get(Metric.REOPENED, 0), submitted),
    ]


def _headline(scope: Scope, since: date, until: date, before: date) -> Section:
    now = _figures(scope, since, until)
    then = _figures(scope, before, since - timedelta(days=1))
    labels = [
        _("Laporan masuk"),
        _("Ditindaklanjuti dalam batas waktu"),
        _("Median waktu sampai tanggapan pertama"),
        _("Median waktu sampai selesai"),
        _("Selesai dalam 60 hari"),
        _("Kepuasan pelapor (1-5)"),
        _("Bukan wewenang"),
        _("Dibuka kembali (banding)"),
    ]
    rows = [(labels[0], [now[0], then[0], _change(now[0], then[0])])]
    rows += [(label, [now[i], then[i], suppress.EMPTY]) for i, label in enumerate(labels) if i]
    note = (
        _("Total nasional termasuk laporan rahasia; rincian hanya menghitung laporan publik.")
        if scope.national
        else _("Hanya laporan publik yang dihitung.")
    )
    return Section(
        "ringkasan",
        _("Angka utama"),
        [_("Bulan ini"), _("Bulan sebelumnya"), _("Perubahan")],
        rows,
        intro=note,
    )


def _names(categories: set[int], places: set[str]) -> tuple[dict[int, str], dict[str, str]]:
    cats = dict(Category.objects.filter(pk__in=categories).values_list("pk", "name"))
    regions = dict(Region.objects.filter(code__in=places).values_list("code", "name"))
    return cats, regions


def _rising(scope: Scope, since: date, until: date, before: date) -> Section:
    found = scopes.category_change(scope, before, until, since)
    found = [r for r in found if r[1] > r[2]]
    found.sort(key=lambda r: (r[2] - r[1], r[0]))
    found = found[:RISING_ROWS]
    cats, _places = _names({r[0] for r in found}, set())
    now = suppress.column([r[1] for r in found])
    then = suppress.column([r[2] for r in found])
    return Section(
        "naik",
        _("Apa yang naik"),
        [_("Bulan ini"), _("Bulan sebelumnya")],
        [(cats.get(r[0], _("Tanpa kategori")), [now[i], then[i]]) for i, r in enumerate(found)],
        intro=_("Kategori dengan laporan publik lebih banyak daripada bulan sebelumnya."),
    )


def _failing(scope: Scope, since: date, until: date) -> Section:
    figures = scopes.late_answers(scope, since, until)
    late = [
        (key, f.get(Metric.ANSWERED, 0) - f.get(Metric.ANSWERED_SLA, 0), f.get(Metric.ANSWERED, 0))
        for key, f in figures.items()
    ]
    late = [r for r in late if r[1] > 0]
    late.sort(key=lambda r: (-r[1], -r[2], r[0]))
    late = late[:FAILING_ROWS]
    cats, places = _names({r[0][0] for r in late}, {r[0][1] for r in late})
    counts = suppress.column([r[1] for r in late])
    return Section(
        "gagal",
        _("Layanan yang paling sering terlambat, dan di mana"),
        [_("Tanggapan terlambat"), _("Bagian yang terlambat")],
        [
            (
                f"{cats.get(key[0], _('Tanpa kategori'))} — {places.get(key[1], key[1])}",
                [counts[i], suppress.rate(n, answered)],
            )
            for i, (key, n, answered) in enumerate(late)
        ],
        intro=_("Tanggapan pertama yang diberikan setelah batas waktu, per kategori dan wilayah."),
    )


def _agencies(scope: Scope, month: date) -> list[Section]:
    start = month
    for _i in range(INDEX_MONTHS - 1):
        start = previous_month(start)
    before_end = start - timedelta(days=1)
    before_start = before_end.replace(day=1)
    for _i in range(INDEX_MONTHS - 1):
        before_start = previous_month(before_start)
    now = scopes.agency_flows(scope, start, month_end(month))
    then = scopes.agency_flows(scope, before_start, before_end)
    moves = []
    for agency_id in set(now) & set(then):
        # The open backlog is a stock of today, not of the month: left out of both scores.
        a = performance.weighted(performance.components(now[agency_id], {}))
        b = performance.weighted(performance.components(then[agency_id], {}))
        if a is not None and b is not None and a != b:
            moves.append((agency_id, b, a))
    names = dict(Agency.objects.filter(pk__in=[m[0] for m in moves]).values_list("pk", "name"))
    up = sorted((m for m in moves if m[2] > m[1]), key=lambda m: (m[1] - m[2], m[0]))
    down = sorted((m for m in moves if m[2] < m[1]), key=lambda m: (m[2] - m[1], m[0]))
    columns = [_("Sebelumnya"), _("Sekarang"), _("Perubahan")]

    def rows(items: list[tuple[int, float, float]]) -> list[tuple[str, list[Cell]]]:
        out = []
        for agency_id, b, a in items[:AGENCY_ROWS]:
            delta = a - b
            out.append(
                (
                    names.get(agency_id, "—"),
                    [
                        Cell(b, str(formats.number_format(b, 1))),
                        Cell(a, str(formats.number_format(a, 1))),
                        Cell(
                            round(delta, 1),
                            ("+" if delta > 0 else "") + str(formats.number_format(delta, 1)),
                        ),
                    ],
                )
            )
        return out

    intro = _(
        "Indeks kinerja (0-100, metode %(version)s tanpa komponen tunggakan) tiga bulan "
        "terakhir dibanding tiga bulan sebelumnya; komponen dari kurang dari 5 laporan tidak "
        "dihitung."
    ) % {"version": performance.CURRENT}
    return [
        Section("membaik", _("Instansi yang membaik"), columns, rows(up), intro=intro),
        Section("tertinggal", _("Instansi yang tertinggal"), columns, rows(down), intro=intro),
    ]


def _examples(region: str, since: date, until: date) -> tuple[list[Example], list[int]]:
    """A few public reports of the month, the most supported first, through the portal's one
    public selector: the title, category, place and status, never who reported."""
    from django.conf import settings
    from django.urls import reverse

    from lapor.reports.selectors import PublicFilter, public_list

    reports = list(
        public_list(PublicFilter(region=region, since=since, until=until)).order_by(
            "-support_count", "-submitted_at", "-pk"
        )[:EXAMPLES]
    )
    base = str(getattr(settings, "LAPOR_PUBLIC_URL", "")).rstrip("/")
    out = [
        Example(
            r.tracking_id,
            r.title,
            r.category.name if r.category else _("Tanpa kategori"),
            r.region.name if r.region else "",
            str(r.get_status_display()),
            base + reverse("portal:report", args=[r.tracking_id]),
        )
        for r in reports
    ]
    return out, [r.pk for r in reports]
