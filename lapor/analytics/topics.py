"""Emerging topics: words and phrases rising in the texts of a region beyond their own history.

Every public report's title and text are reduced to terms with the routing's Indonesian
normalisation and Sastrawi stemming (``routing.text.stems``): each stem of three letters or more
and each pair of stems in a row (a phrase). ``TermCount`` holds, per WIB day and
kabupaten/kota, how many public reports contain each term: a report counts once per term, and a
rahasia (or merged-away) report is never read (``reports.privacy.public_reports``), so its words
can neither raise a term nor be shown. Past days are counted once, after they end (plus
``FINAL_AFTER`` for late commits); today is recounted on every run.

A term's daily series in a region (a kabupaten/kota, or a province: the sum of its
kabupaten/kota) is tested like the report series (``early_warning.examine_day``: a negative
binomial against its own 28 days with weekday and holiday factors, a day and a week test).
Only the series that reach ``MIN_COUNT`` public reports today can alarm, so only they are
computed; Benjamini-Hochberg counts every region x term seen in the window (the others as
p = 1), separately from the report series (thousands of term series would otherwise drown a
category's rise). A province's term is reported only when none
of its kabupaten/kota alarms on it.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from lapor.analytics.early_warning import ALPHA, MIN_COUNT, WEEK, WINDOW, examine_day
from lapor.analytics.facts import DAY_ZONE, region_parts
from lapor.analytics.models import TermCount, TermDay
from lapor.reports.models import Report

FINAL_AFTER = timedelta(hours=2)
MAX_TERMS = 6  # an alert names at most this many terms
SAMPLES = 3
MAX_TERM_LENGTH = 61


def terms_of(text: str) -> set[str]:
    """The terms of a text: its stems (three letters or more, letters only) and each pair of
    them in a row."""
    from lapor.routing.text import stems

    words = [w for w in stems(text) if len(w) >= 3 and w.isalpha()]
    found = set(words)
    found.update(f"{a} {b}" for a, b in itertools.pairwise(words) if a != b)
    return {t for t in found if len(t) <= MAX_TERM_LENGTH}


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=DAY_ZONE)
    return start, start + timedelta(days=1)


def _public_of_day(day: date) -> QuerySet[Report]:
    from lapor.reports.privacy import public_reports

    start, end = _day_bounds(day)
    return public_reports(Report.objects.filter(submitted_at__gte=start, submitted_at__lt=end))


def count_day(day: date) -> int:
    """Recount ``day``'s terms from its public reports; the number of rows written."""
    per: Counter[tuple[str, str]] = Counter()
    rows = _public_of_day(day).values_list("region_id", "title", "body").iterator(chunk_size=2000)
    for region_id, title, body in rows:
        kabkota = region_parts(region_id)[1]
        if not kabkota:
            continue
        for term in terms_of(f"{title}. {body}"):
            per[(kabkota, term)] += 1
    with transaction.atomic():
        # Two runs at once take turns here (the day's row locked), so neither meets the other's
        # rows half written.
        TermDay.objects.get_or_create(day=day, defaults={"counted_at": timezone.now()})
        TermDay.objects.select_for_update().get(day=day)
        TermCount.objects.filter(day=day).delete()
        TermCount.objects.bulk_create(
            (TermCount(day=day, kabkota=k, term=t, value=n) for (k, t), n in per.items()),
            batch_size=5000,
        )
        TermDay.objects.update_or_create(day=day, defaults={"counted_at": timezone.now()})
    return len(per)


def refresh(today: date) -> list[date]:
    """Count every day of the tested window not counted since it ended, and today; the days
    counted."""
    first = today - timedelta(days=WINDOW + WEEK - 1)
    counted = dict(TermDay.objects.filter(day__gte=first).values_list("day", "counted_at"))
    done = []
    day = first
    while day <= today:
        final = counted.get(day)
        if day == today or final is None or final < _day_bounds(day)[1] + FINAL_AFTER:
            count_day(day)
            done.append(day)
        day += timedelta(days=1)
    return done


@dataclass
class Topic:
    region: str  # a kabupaten/kota or a province code
    terms: list[tuple[str, int, float, float]] = field(default_factory=list)  # term, n, exp, q
    samples: list[int] = field(default_factory=list)  # public report ids

    @property
    def count(self) -> int:
        return self.terms[0][1]

    @property
    def expected(self) -> float:
        return self.terms[0][2]


def series(until: date) -> tuple[list[tuple[str, str]], np.ndarray, list[date]]:
    """The term series that reach ``MIN_COUNT`` today, per kabupaten/kota and per province,
    over the last ``WINDOW + WEEK`` days: keys ``(region, term)``, counts and days."""
    days = WINDOW + WEEK
    since = until - timedelta(days=days - 1)
    calendar = [since + timedelta(days=i) for i in range(days)]
    today = TermCount.objects.filter(day=until).values_list("kabkota", "term", "value")
    by_kab: dict[tuple[str, str], int] = {}
    by_prov: Counter[tuple[str, str]] = Counter()
    for kabkota, term, value in today:
        by_kab[(kabkota, term)] = value
        by_prov[(kabkota[:2], term)] += value
    wanted_kab = {k for k, n in by_kab.items() if n >= MIN_COUNT}
    wanted_prov = {k for k, n in by_prov.items() if n >= MIN_COUNT}
    terms = {t for _, t in wanted_kab} | {t for _, t in wanted_prov}
    keys = sorted(wanted_kab) + sorted(wanted_prov)
    index = {k: i for i, k in enumerate(keys)}
    counts = np.zeros((len(keys), days))
    if not keys:
        return keys, counts, calendar
    history = TermCount.objects.filter(
        day__gte=since, day__lte=until, term__in=sorted(terms)
    ).values_list("day", "kabkota", "term", "value")
    for day, kabkota, term, value in history.iterator(chunk_size=5000):
        offset = (day - since).days
        for key in ((kabkota, term), (kabkota[:2], term)):
            row = index.get(key)
            if row is not None:
                counts[row, offset] += value
    return keys, counts, calendar


def family_size(calendar: list[date]) -> int:
    """How many term series the day's test stands for: every kabupaten/kota x term and province
    x term seen in the window (two counting queries)."""
    from django.db.models.functions import Substr

    window = TermCount.objects.filter(day__gte=calendar[0], day__lte=calendar[-1])
    kab = window.values("kabkota", "term").distinct().count()
    prov = (
        window.annotate(province=Substr("kabkota", 1, 2))
        .values("province", "term")
        .distinct()
        .count()
    )
    return kab + prov


def emerging_on(day: date) -> list[Topic]:
    """The regions with terms rising on ``day``, each with its terms (most significant first)
    and a few public sample reports."""
    keys, counts, calendar = series(day)
    if not keys:
        return []
    result = examine_day(counts, calendar, len(calendar) - 1, family=family_size(calendar))
    found: dict[str, list[tuple[str, int, float, float]]] = defaultdict(list)
    for i in np.flatnonzero(result.alarms & (result.qvalues <= ALPHA)):
        region, term = keys[i]
        found[region].append(
            (
                term,
                int(counts[i, -1]),
                round(float(result.expected[i]), 1),
                float(result.qvalues[i]),
            )
        )
    kab_terms = {(region[:2], t[0]) for region, ts in found.items() if len(region) > 2 for t in ts}
    topics = []
    for region, terms in sorted(found.items()):
        if len(region) == 2:
            terms = [t for t in terms if (region, t[0]) not in kab_terms]
        if not terms:
            continue
        terms.sort(key=lambda t: (t[3], -t[1], t[0]))
        topic = Topic(region, _without_parts(terms)[:MAX_TERMS])
        topic.samples = samples(day, region, [t[0] for t in topic.terms])
        topics.append(topic)
    return topics


def _without_parts(
    terms: list[tuple[str, int, float, float]],
) -> list[tuple[str, int, float, float]]:
    """Drop a single word also named inside a phrase of the list with as many reports."""
    phrases = [t for t in terms if " " in t[0]]
    return [
        t
        for t in terms
        if " " in t[0] or not any(t[0] in p[0].split() and p[1] >= t[1] for p in phrases)
    ]


def samples(day: date, region: str, terms: list[str], limit: int = SAMPLES) -> list[int]:
    """Up to ``limit`` public reports of ``day`` in ``region`` that contain the first term."""
    if not terms:
        return []
    qs = _public_of_day(day).filter(region__pk__startswith=region).order_by("-submitted_at")
    out = []
    for pk, title, body in qs.values_list("pk", "title", "body")[:500]:
        if terms[0] in terms_of(f"{title}. {body}"):
            out.append(pk)
            if len(out) == limit:
                break
    return out


# --- evaluation: an emerging term injected into generated term history ----------------------


@dataclass
class TopicEvaluation:
    detected: list[bool]
    delays: list[int]
    false_alarms_per_week: list[float]  # region-days with a quiet term alarming, per week
    false_alerts_per_week: list[float]  # of those, the new episodes (one alert each)
    tested_per_day: float  # the mean size of the tested family


def evaluate_topics(
    seed: int = 1,
    *,
    regions: int = 30,
    vocabulary: int = 400,
    days: int = 200,
    held_out: int = 56,
    extra: tuple[float, ...] = (4.0, 6.0, 8.0),
) -> TopicEvaluation:
    """Generated term counts (per region, a Zipf-like vocabulary scaled by the region's size, a
    weekday pattern, fewer reports on holidays, negative-binomial noise k = 3) with one emerging
    term injected every 9 held-out days into one region: a term the region barely used before,
    in ``extra`` more reports (4, 6 and 8) on three days running (``early_warning.synthetic``
    for the calendar). Each held-out day is tested as ``emerging_on`` does (the series reaching
    ``MIN_COUNT`` that day, BH over every series seen in the window), on the days before it
    only."""
    from lapor.analytics.early_warning import draw, synthetic

    rng = np.random.default_rng(seed)
    series = regions * vocabulary
    _mean, calendar, _level = synthetic(rng, 1, days, date(2025, 1, 1))
    size = rng.gamma(2.0, 1.0, size=regions)  # a region's reports relative to the typical
    zipf = 25.0 / np.arange(1, vocabulary + 1) ** 1.1  # reports a day containing each term
    weekday = np.array([1.15, 1.1, 1.05, 1.0, 0.95, 0.6, 0.5])
    from lapor.analytics.early_warning import holiday_mask

    pattern = weekday[[d.weekday() for d in calendar]] * np.where(holiday_mask(calendar), 0.5, 1.0)
    level = (size[:, None] * zipf[None, :]).reshape(series)
    counts = draw(rng, level[:, None] * pattern[None, :])
    first = days - held_out
    injected: list[tuple[int, int]] = []  # (row, start day)
    episode = np.zeros((series, days), dtype=bool)
    for begin in range(first + 3, days - 6, 9):
        region = int(rng.integers(regions))
        term = int(rng.integers(vocabulary // 2, vocabulary))  # a rare term becomes the topic
        row = region * vocabulary + term
        for i, add in enumerate(extra):
            counts[row, begin + i] += rng.poisson(add)
        injected.append((row, begin))
        episode[row, begin : begin + len(extra) + WEEK - 1] = True
    alarms = np.zeros((series, days), dtype=bool)
    tested = []
    for t in range(first, days):
        family = np.flatnonzero(counts[:, t] >= MIN_COUNT)
        tested.append(family.size)
        if family.size == 0:
            continue
        seen = int((counts[:, t - WINDOW - WEEK + 1 : t + 1].sum(axis=1) > 0).sum())
        result = examine_day(counts[family, : t + 1], calendar[: t + 1], t, family=seen)
        alarms[family[result.alarms], t] = True
    detected, delays = [], []
    for row, begin in injected:
        hits = [i for i in range(len(extra)) if alarms[row, begin + i]]
        detected.append(bool(hits))
        if hits:
            delays.append(hits[0])
    quiet = alarms & ~episode
    region_days: np.ndarray = np.asarray(quiet.reshape(regions, vocabulary, days).any(axis=1))
    # A new alert: a region's quiet alarm with none in the ``GAP_DAYS`` days before it.
    new = region_days.copy()
    for gap in range(1, 3):
        new[:, gap:] &= ~region_days[:, :-gap]
    weeks = range(first, days - 6, 7)
    return TopicEvaluation(
        detected,
        delays,
        [float(region_days[:, w : w + 7].sum()) for w in weeks],
        [float(new[:, w : w + 7].sum()) for w in weeks],
        float(np.mean(tested)),
    )
