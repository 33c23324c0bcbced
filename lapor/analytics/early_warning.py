"""Early warning: a rise in reports per series (kabupaten/kota x category) beyond its history.

For each series and day the expected count is the mean of the series' last ``WINDOW`` days,
scaled by the day's weekday factor and, on a national holiday, the holiday factor (both pooled
over every series, which is stabler than one series' own few reports per weekday). Counts are
over-dispersed, so the observed count is tested against a negative binomial with that mean and a
dispersion estimated per series from the same window (method of moments; Poisson when the window
shows no extra variance). The p-values of all series tested on a day are corrected together with
Benjamini-Hochberg; a series alarms when its q-value is at most ``ALPHA`` and its count at least
``MIN_COUNT``. Everything here is pure (numpy arrays in, arrays out); ``series_from_rollups``
reads the public daily counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import holidays
import numpy as np
from numpy.typing import NDArray

WINDOW = 28
WEEK = 7
ALPHA = 0.01
MIN_COUNT = 5
Floats = NDArray[np.float64]


def holiday_mask(days: list[date]) -> NDArray[np.bool_]:
    years = sorted({d.year for d in days})
    calendar = holidays.country_holidays("ID", years=years)
    return np.array([d in calendar for d in days], dtype=bool)


def day_factors(counts: Floats, days: list[date], upto: int) -> tuple[Floats, float]:
    """Weekday factors (7) and the holiday factor, pooled over every series, from days
    ``[0, upto)``: each is the mean count on those days over the mean count on all days."""
    history = counts[:, :upto].sum(axis=0)
    weekdays = np.array([d.weekday() for d in days[:upto]])
    off = holiday_mask(days[:upto])
    overall = history[~off].mean() if (~off).any() and history[~off].mean() > 0 else 1.0
    factors = np.ones(7)
    for wd in range(7):
        chosen = (weekdays == wd) & ~off
        if chosen.any():
            factors[wd] = max(history[chosen].mean() / overall, 0.05)
    holiday = 1.0
    if off.any():
        holiday = max(history[off].mean() / overall, 0.05)
    return factors, holiday


def nb_sf(observed: Floats, mean: Floats, size: Floats) -> Floats:
    """P(X >= observed) for a negative binomial of ``mean`` and ``size`` (dispersion k; the
    variance is mean + mean²/k; an infinite k is the Poisson), element-wise."""
    observed = np.asarray(observed, dtype=float)
    mean = np.maximum(np.asarray(mean, dtype=float), 1e-9)
    size = np.asarray(size, dtype=float)
    poisson = ~np.isfinite(size)
    k = np.where(poisson, 1.0, size)
    p = k / (k + mean)
    # P(X = 0), then P(X = x + 1) = P(X = x) · (x + k)/(x + 1) · (1 - p)  (Poisson: · mean/(x + 1))
    pmf = np.where(poisson, np.exp(-mean), np.power(p, k))
    below = np.zeros_like(mean)
    top = int(observed.max()) if observed.size else 0
    for x in range(top):
        below = below + np.where(observed > x, pmf, 0.0)
        pmf = np.where(poisson, pmf * mean / (x + 1), pmf * (x + k) / (x + 1) * (1 - p))
    return np.clip(1.0 - below, 0.0, 1.0)


def benjamini_hochberg(pvalues: Floats) -> Floats:
    """The BH q-values of ``pvalues`` (monotone, at most 1)."""
    n = pvalues.size
    if n == 0:
        return pvalues
    order = np.argsort(pvalues)
    ranked = pvalues[order] * n / np.arange(1, n + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.minimum(q, 1.0)
    return out


@dataclass(frozen=True)
class DayTest:
    expected: Floats
    pvalues: Floats
    qvalues: Floats
    alarms: NDArray[np.bool_]


def _baseline(
    counts: Floats, days: list[date], end: int, factors: Floats, holiday: float
) -> tuple[Floats, Floats]:
    """Each series' level (weekday and holiday removed) and NB size over ``[end - WINDOW, end)``."""
    window = counts[:, end - WINDOW : end]
    scale = _scale(days[end - WINDOW : end], factors, holiday)
    base = (window / scale).mean(axis=1)
    fitted = base[:, None] * scale
    extra = ((window - fitted) ** 2).mean(axis=1) - fitted.mean(axis=1)
    size = np.where(extra > 1e-9, base**2 / np.maximum(extra, 1e-9), np.inf)
    return base, np.maximum(size, 0.5)  # never wilder than a very over-dispersed series


def _scale(days: list[date], factors: Floats, holiday: float) -> Floats:
    wd = np.array([d.weekday() for d in days])
    return np.asarray(factors[wd] * np.where(holiday_mask(days), holiday, 1.0), dtype=float)


def examine_day(counts: Floats, days: list[date], t: int, *, family: int = 0) -> DayTest:
    """Test day ``t`` of every series (rows of ``counts``) against its history; needs
    ``t >= WINDOW + WEEK - 1``. Two tests, their p-values combined by Bonferroni: the day's count
    against the ``WINDOW`` days before it (a sudden spike), and the last ``WEEK`` days' sum
    against the ``WINDOW`` days before the week (a slow rise the day test absorbs).

    ``family``: the number of series the day's test stands for when ``counts`` holds only those
    that could alarm (the emerging terms): Benjamini-Hochberg counts the others as p = 1."""
    if t < WINDOW + WEEK - 1:
        raise ValueError(f"day {t} has too little history (needs {WINDOW + WEEK - 1} days)")
    factors, holiday = day_factors(counts, days, t)
    base, size = _baseline(counts, days, t, factors, holiday)
    # A series with no history expects a little, not nothing (else one report would alarm).
    expected = np.maximum(base * _scale([days[t]], factors, holiday)[0], 0.2)
    p_day = nb_sf(counts[:, t], expected, size)
    week_base, week_size = _baseline(counts, days, t - WEEK + 1, factors, holiday)
    week_expected = np.maximum(
        week_base * _scale(days[t - WEEK + 1 : t + 1], factors, holiday).sum(), 0.2 * WEEK
    )
    p_week = nb_sf(counts[:, t - WEEK + 1 : t + 1].sum(axis=1), week_expected, week_size * WEEK)
    pvalues = np.minimum(2 * np.minimum(p_day, p_week), 1.0)
    padding = max(family - pvalues.size, 0)
    qvalues = benjamini_hochberg(np.concatenate([pvalues, np.ones(padding)]))[: pvalues.size]
    alarms = (qvalues <= ALPHA) & (counts[:, t] >= MIN_COUNT)
    return DayTest(expected, pvalues, qvalues, alarms)


def with_groups(counts: Floats, groups: NDArray[np.int_]) -> Floats:
    """``counts`` with one more row per group (a province): the sum of its series, so a rise
    spread thinly over a province's series is tested where it is strong."""
    sums = [counts[groups == g].sum(axis=0) for g in np.unique(groups)]
    return np.vstack([counts, *sums]) if sums else counts


# --- evaluation: injected outbreaks, judged on held-out days with a rolling origin -------------


@dataclass(frozen=True)
class Outbreak:
    kind: str  # "banjir" (one series), "listrik" (a province), "naik" (a slow rise)
    rows: tuple[int, ...]
    start: int
    length: int
    extra: tuple[float, ...]  # added to the mean on each day of the outbreak


@dataclass
class Evaluation:
    detected: dict[str, list[bool]]
    delays: dict[str, list[int]]
    false_alarms_per_week: list[float]  # one per held-out week of quiet series

    def rate(self, kind: str) -> float:
        found = self.detected[kind]
        return sum(found) / len(found) if found else 0.0


def synthetic(
    rng: np.random.Generator, series: int, days: int, start: date
) -> tuple[Floats, list[date], Floats]:
    """Quiet history: per-series levels, a weekday pattern, fewer reports on holidays,
    negative-binomial noise (k = 3). Returns the counts, the days and the means."""
    calendar = [start + timedelta(days=i) for i in range(days)]
    level = rng.gamma(2.0, 1.5, size=series)  # about 3 reports a day, some series far more
    weekday = np.array([1.15, 1.1, 1.05, 1.0, 0.95, 0.6, 0.5])
    wd = np.array([d.weekday() for d in calendar])
    off = holiday_mask(calendar)
    mean = level[:, None] * weekday[wd][None, :] * np.where(off, 0.5, 1.0)[None, :]
    return mean, calendar, level


def draw(rng: np.random.Generator, mean: Floats, k: float = 3.0) -> Floats:
    return rng.negative_binomial(k, k / (k + mean)).astype(float)


def evaluate(
    seed: int = 1, *, series: int = 120, days: int = 200, held_out: int = 56, groups: int = 6
) -> Evaluation:
    """Inject outbreaks into generated history and run the detector day by day over the last
    ``held_out`` days (each day fitted only on the days before it: a rolling origin)."""
    rng = np.random.default_rng(seed)
    mean, calendar, level = synthetic(rng, series, days, date(2025, 1, 1))
    first = days - held_out
    outbreaks: list[Outbreak] = []
    # A province is a group of series (its kabupaten/kota x categories).
    group_of = np.arange(series) % groups
    for n, begin in enumerate(range(first + 3, days - 10, 9)):
        kind = ("banjir", "listrik", "naik")[n % 3]
        if kind == "banjir":
            row = int(rng.integers(series))
            extra = (3 * level[row] + 6, 3 * level[row] + 6, 2 * level[row] + 4)
            outbreaks.append(Outbreak(kind, (row,), begin, 3, extra))
        elif kind == "listrik":
            rows = tuple(int(r) for r in np.flatnonzero(group_of == rng.integers(groups)))
            outbreaks.append(Outbreak(kind, rows, begin, 2, (1.5, 1.5)))
        else:
            row = int(rng.integers(series))
            rise = tuple(float(level[row] * 0.4 * (i + 1) + i) for i in range(7))
            outbreaks.append(Outbreak(kind, (row,), begin, 7, rise))
    counts = draw(rng, mean)
    # The days an alarm belongs to an outbreak's episode: its days, and the week after it (the
    # week test still sees it then; one alert per episode).
    episode = np.zeros((series + groups, days), dtype=bool)
    for ob in outbreaks:
        for i in range(ob.length):
            for row in ob.rows:
                # a province-wide outage adds in proportion to each series' own level
                add = ob.extra[i] * (mean[row, ob.start + i] if ob.kind == "listrik" else 1.0)
                counts[row, ob.start + i] += rng.poisson(add)
        for row in ob.rows:
            for r in (row, series + int(group_of[row])):
                episode[r, ob.start : ob.start + ob.length + WEEK - 1] = True
    tested = with_groups(counts, group_of)
    alarms = np.zeros_like(tested, dtype=bool)
    for t in range(first, days):
        alarms[:, t] = examine_day(tested, calendar, t).alarms
    result = Evaluation({}, {}, [])
    for ob in outbreaks:
        tested_rows = {*ob.rows, *(series + int(group_of[row]) for row in ob.rows)}
        hits = [i for i in range(ob.length) if any(alarms[r, ob.start + i] for r in tested_rows)]
        result.detected.setdefault(ob.kind, []).append(bool(hits))
        if hits:
            result.delays.setdefault(ob.kind, []).append(hits[0])
    quiet = alarms & ~episode
    for week in range(first, days - 6, 7):
        result.false_alarms_per_week.append(float(quiet[:, week : week + 7].sum()))
    return result


def series_from_rollups(
    until: date, days: int = WINDOW + WEEK
) -> tuple[list[tuple[str, int]], Floats, list[date]]:
    """The public daily submissions per (kabupaten/kota, category), then per agency (keyed by
    ``agency_key``) over the last ``days`` days: the series keys, the
    counts matrix and the days. Two queries."""
    from django.db.models import Sum

    from lapor.analytics.facts import Metric
    from lapor.analytics.models import DailyCount

    since = until - timedelta(days=days - 1)
    calendar = [since + timedelta(days=i) for i in range(days)]
    public = DailyCount.objects.exclude(province="").filter(
        metric=Metric.SUBMITTED, day__gte=since, day__lte=until
    )
    keys: dict[tuple[str, int], int] = {}
    cells: list[tuple[int, int, int]] = []
    for row in (
        public.exclude(kabkota="").values("kabkota", "category", "day").annotate(n=Sum("value"))
    ):
        index = keys.setdefault((row["kabkota"], row["category"]), len(keys))
        cells.append((index, (row["day"] - since).days, int(row["n"])))
    # Each agency's own series: the public reports now disposed to it, by day of submission.
    agencies = public.exclude(agency=0).values("agency", "day").annotate(n=Sum("value"))
    for agency, day, n in agencies.values_list("agency", "day", "n"):
        index = keys.setdefault(agency_key(agency), len(keys))
        cells.append((index, (day - since).days, int(n)))
    counts = np.zeros((len(keys), days))
    for index, offset, n in cells:
        counts[index, offset] += n
    return list(keys), counts, calendar


def agency_key(agency_id: int) -> tuple[str, int]:
    """An agency's series key: no kabupaten/kota, and the agency id negated in the category's
    place (a category id is never negative)."""
    return ("", -int(agency_id))


@dataclass(frozen=True)
class Alarm:
    kabkota: str
    category: int
    count: int
    expected: float
    q: float
    agency: int = 0  # an agency's series: ``kabkota`` blank and ``category`` 0

    @property
    def kind(self) -> str:
        return "instansi" if self.agency else "wilayah"


def alarms_on(until: date) -> list[Alarm]:
    """The series alarming on ``until``: kabupaten/kota x category and agency series, tested
    together (one Benjamini-Hochberg family)."""
    keys, counts, calendar = series_from_rollups(until)
    if not keys:
        return []
    result = examine_day(counts, calendar, len(calendar) - 1)
    out = []
    for i in np.flatnonzero(result.alarms):
        kabkota, category = keys[i]
        agency = -category if not kabkota else 0
        out.append(
            Alarm(
                kabkota=kabkota,
                category=0 if agency else category,
                count=int(counts[i, -1]),
                expected=round(float(result.expected[i]), 1),
                q=float(result.qvalues[i]),
                agency=agency,
            )
        )
    return out
