"""The automation's accounts as tables (``dashboard.Table``): one set for the page, its CSV and
the open data, every figure through ``analytics.suppress`` as on the dashboards."""

from __future__ import annotations

from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _

from lapor.analytics import suppress
from lapor.analytics.dashboard import Table
from lapor.analytics.report_models import AutomationMonth
from lapor.analytics.suppress import Cell
from lapor.regions.models import Region

SERIES_MONTHS = 12


def _wait(row: AutomationMonth) -> Cell:
    return suppress.hours(row.triage_wait_h, row.triage_left)


def summary(row: AutomationMonth | None, title: str) -> Table:
    """One month of one place, a figure per row (the share beside its count)."""
    r = row or AutomationMonth()
    lines = [
        ("laporan", _("Laporan masuk"), suppress.count(r.reports), suppress.EMPTY),
        (
            "dirutekan_otomatis",
            _("Didisposisikan otomatis oleh mesin"),
            suppress.count(r.auto_routed),
            suppress.rate(r.auto_routed, r.reports),
        ),
        (
            "dikoreksi",
            _("…kemudian dikoreksi petugas"),
            suppress.count(r.corrected),
            suppress.rate(r.corrected, r.auto_routed),
        ),
        (
            "dikoreksi_bukan_wewenang",
            _("…dikembalikan sebagai bukan wewenang"),
            suppress.count(r.corrected_not_authority),
            suppress.rate(r.corrected_not_authority, r.auto_routed),
        ),
        (
            "dikoreksi_diteruskan",
            _("…diteruskan instansi ke instansi lain"),
            suppress.count(r.corrected_forwarded),
            suppress.rate(r.corrected_forwarded, r.auto_routed),
        ),
        (
            "dikoreksi_disposisi_ulang",
            _("…didisposisikan ulang"),
            suppress.count(r.corrected_redisposed),
            suppress.rate(r.corrected_redisposed, r.auto_routed),
        ),
        (
            "menunggu_verifikasi",
            _("Menunggu verifikasi admin nasional"),
            suppress.count(r.triaged),
            suppress.rate(r.triaged, r.reports),
        ),
        (
            "median_tunggu_verifikasi",
            _("Median lama menunggu verifikasi"),
            _wait(r),
            suppress.EMPTY,
        ),
        (
            "digabung",
            _("Digabung sebagai duplikat"),
            suppress.count(r.merged),
            suppress.rate(r.merged, r.reports),
        ),
        (
            "ditandai_duplikat",
            _("Ditandai mesin sebagai kemungkinan duplikat"),
            suppress.count(r.flagged),
            suppress.rate(r.flagged, r.reports),
        ),
        (
            "ditandai_lalu_digabung",
            _("…dan memang digabung"),
            suppress.count(r.flagged_merged),
            suppress.rate(r.flagged_merged, r.flagged),
        ),
        (
            "dukungan",
            _("Dukungan warga pada laporan yang ada"),
            suppress.count(r.supports),
            suppress.EMPTY,
        ),
    ]
    return Table(
        "ringkasan",
        title,
        [_("Jumlah"), _("Persen")],
        [(label, [n, share]) for _key, label, n, share in lines],
        keys=[key for key, *_rest in lines],
        note=_(
            'Persen "dikoreksi" dihitung dari laporan yang didisposisikan otomatis; persen '
            "lainnya dari laporan masuk. Laporan dihitung pada bulan pengirimannya."
        ),
    )


def _columns() -> list[str]:
    return [
        _("Laporan masuk"),
        _("Otomatis (%)"),
        _("Dikoreksi (%)"),
        _("Menunggu verifikasi (%)"),
        _("Median tunggu"),
        _("Digabung"),
    ]


def _line(r: AutomationMonth, reports: Cell, merged: Cell) -> list[Cell]:
    return [
        reports,
        suppress.rate(r.auto_routed, r.reports),
        suppress.rate(r.corrected, r.auto_routed),
        suppress.rate(r.triaged, r.reports),
        _wait(r),
        merged,
    ]


def series(rows: list[AutomationMonth]) -> Table:
    reports = suppress.column([r.reports for r in rows])
    merged = suppress.column([r.merged for r in rows])
    return Table(
        "bulanan",
        _("Per bulan"),
        _columns(),
        [
            (formats.date_format(r.month, "M Y"), _line(r, reports[i], merged[i]))
            for i, r in enumerate(rows)
        ],
        keys=[f"{r.month:%Y-%m}" for r in rows],
    )


def by_province(rows: list[AutomationMonth], names: dict[str, str]) -> Table:
    reports = suppress.column([r.reports for r in rows])
    merged = suppress.column([r.merged for r in rows])
    return Table(
        "provinsi",
        _("Menurut provinsi"),
        _columns(),
        [
            (names.get(r.province, r.province), _line(r, reports[i], merged[i]))
            for i, r in enumerate(rows)
        ],
        keys=[r.province for r in rows],
        note=_("Per provinsi hanya laporan publik yang dihitung."),
    )


def page(code: str, month: date | None) -> tuple[list[Table], list[tuple[str, str]]]:
    """The tables of the national page (``code`` blank) or of a province, and the provinces to
    link to: three queries."""
    if month is None:
        return [], []
    place = AutomationMonth.objects.filter(province=code)
    history = list(place.filter(month__lte=month).order_by("-month")[:SERIES_MONTHS])[::-1]
    current = next((r for r in history if r.month == month), None)
    title = _("Bulan %(month)s") % {"month": formats.date_format(month, "F Y")}
    tables = [summary(current, title), series(history)]
    links: list[tuple[str, str]] = []
    if not code:
        provinces = list(
            AutomationMonth.objects.filter(month=month).exclude(province="").order_by("province")
        )
        names = dict(Region.objects.filter(level=Region.Level.PROVINSI).values_list("code", "name"))
        tables.append(by_province(provinces, names))
        links = [(r.province, names.get(r.province, r.province)) for r in provinces]
    return tables, links
