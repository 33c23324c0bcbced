"""Early warning on PostgreSQL: seconds per hourly run over every kabupaten/kota x category, every
agency and the emerging terms, on a generated history, beside a calibration in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_ansignals_bench \\
        .venv/bin/python bench/analytics_signals.py [--categories 30] [--rounds 3]

It empties the analytics rollups and term counts of that database (use one of its own) and
writes five weeks of generated history ending today:

- ``DailyCount`` (public reports submitted) for every kabupaten/kota of the reference data x
  ``--categories`` categories, about 3 reports a day per series on average (gamma levels,
  weekday pattern, negative-binomial noise); each row's agency is the kabupaten/kota's
  government, or one of the vertical agencies for a fifth of the rows (so the agency series are
  the same reports, as in the real rollups);
- ``TermCount`` for every kabupaten/kota x ``--vocabulary`` terms (Zipf-like levels, the same
  noise), past days marked as counted for good (``TermDay``).

Then, per round: the hourly run's tests (``alarms_on`` for the report series and
``emerging_on`` for the terms: the reads of the rollups, the statistics, the samples) beside the
calibration of reading the same rows alone (the two series queries without any statistics); and
the recount of today's texts (``topics.terms_of`` over generated report texts, in process) per
1,000 reports, from which the hourly recount of a day of 60,000 reports is extrapolated.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on_postgres, prepare


def spread(values: list[float], places: int = 2) -> str:
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"{low:,.{places}f} / {mid:,.{places}f} / {high:,.{places}f}"


def generate(categories: int, vocabulary: int) -> dict[str, int]:
    import numpy as np
    from django.db import connection

    from lapor.agencies.models import Agency
    from lapor.analytics.early_warning import WEEK, WINDOW, draw, holiday_mask
    from lapor.analytics.facts import Metric
    from lapor.analytics.selectors import today
    from lapor.regions.models import Region

    rng = np.random.default_rng(7)
    end = today()
    days = [end - timedelta(days=WINDOW + WEEK - 1 - i) for i in range(WINDOW + WEEK)]
    weekday = np.array([1.15, 1.1, 1.05, 1.0, 0.95, 0.6, 0.5])
    pattern = weekday[[d.weekday() for d in days]] * np.where(holiday_mask(days), 0.5, 1.0)
    kabkota = list(
        Region.objects.filter(level=Region.Level.KABUPATEN_KOTA)
        .order_by("code")
        .values_list("code", flat=True)
    )
    governments = dict(
        Agency.objects.filter(
            kind__in=[Agency.Kind.REGENCY, Agency.Kind.CITY], region__isnull=False
        ).values_list("region_id", "pk")
    )
    vertical = list(
        Agency.objects.exclude(
            kind__in=[Agency.Kind.REGENCY, Agency.Kind.CITY, Agency.Kind.UNIT]
        ).values_list("pk", flat=True)
    )[:100] or [0]
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE analytics_dailycount, analytics_currentcount, analytics_termcount, "
            "analytics_termday"
        )
    series = len(kabkota) * categories
    level = rng.gamma(2.0, 1.5, size=series)
    counts = draw(rng, level[:, None] * pattern[None, :])
    pick = random.Random(7)
    rows = 0
    with connection.cursor() as cur:
        columns = "day, province, kabkota, agency, category, type, channel, metric, bucket, value"
        with cur.cursor.copy(f"COPY analytics_dailycount ({columns}) FROM STDIN") as copy:
            for s in range(series):
                code = kabkota[s // categories]
                category = 1 + s % categories
                for t, day in enumerate(days):
                    n = int(counts[s, t])
                    if not n:
                        continue
                    own = governments.get(code, 0)
                    agency = own if pick.random() < 0.8 else pick.choice(vertical)
                    copy.write_row(
                        (day, code[:2], code, agency, category, "pengaduan", "web",
                         Metric.SUBMITTED, 0, n)
                    )  # fmt: skip
                    rows += 1
    zipf = 25.0 / np.arange(1, vocabulary + 1) ** 1.1
    size = rng.gamma(2.0, 1.0, size=len(kabkota))
    terms = [f"istilah{i:04d}" for i in range(vocabulary)]
    term_rows = 0
    with connection.cursor() as cur:
        with cur.cursor.copy(
            "COPY analytics_termcount (day, kabkota, term, value) FROM STDIN"
        ) as copy:
            for k, code in enumerate(kabkota):
                drawn = draw(rng, (size[k] * zipf)[:, None] * pattern[None, :])
                for v in range(vocabulary):
                    for t, day in enumerate(days):
                        n = int(drawn[v, t])
                        if n:
                            copy.write_row((day, code, terms[v], n))
                            term_rows += 1
        final = datetime.now(UTC) + timedelta(days=2)
        with cur.cursor.copy("COPY analytics_termday (day, counted_at) FROM STDIN") as copy:
            for day in days:
                copy.write_row((day, final))
        cur.execute("ANALYZE analytics_dailycount")
        cur.execute("ANALYZE analytics_termcount")
    return {
        "kabkota": len(kabkota),
        "report_series": series,
        "agencies": len(set(governments.values()) | set(vertical)),
        "dailycount_rows": rows,
        "termcount_rows": term_rows,
        "term_series": len(kabkota) * vocabulary,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--categories", type=int, default=30)
    parser.add_argument("--vocabulary", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--texts", type=int, default=3000)
    parser.add_argument("--reuse", action="store_true", help="keep the history already made")
    args = parser.parse_args()
    django_on_postgres()
    prepare()
    import numpy as np

    from lapor.analytics import early_warning, topics
    from lapor.analytics.models import TermCount
    from lapor.analytics.selectors import today
    from lapor.demo import texts

    started = time.perf_counter()
    if not (args.reuse and TermCount.objects.exists()):
        size = generate(args.categories, args.vocabulary)
        print(f"history: {size} in {time.perf_counter() - started:.0f} s")
    day = today()
    runs, calibrations, counts, reports, terms = [], [], [], [], []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        keys, _m, _c = early_warning.series_from_rollups(day)
        list(TermCount.objects.filter(day=day).values_list("kabkota", "term", "value"))
        calibrations.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        alarms = early_warning.alarms_on(day)
        t1 = time.perf_counter()
        found = topics.emerging_on(day)
        t2 = time.perf_counter()
        term_keys, _tc, _td = topics.series(day)
        runs.append(t2 - t0)
        reports.append(t1 - t0)
        terms.append(t2 - t1)
        counts.append((len(keys), len(alarms), len(term_keys), len(found)))
    print(
        f"report + agency series, their alarms, term series tested, regions with topics: {counts}"
    )
    print(f"hourly tests, s (min/median/max): {spread(runs)}")
    print(f"  of which report and agency series: {spread(reports)}; topics: {spread(terms)}")
    print(f"calibration, reading the same rows, s: {spread(calibrations)}")
    print(f"ratio: {spread([r / c for r, c in zip(runs, calibrations, strict=True)], 1)}")
    rng = random.Random(3)
    bodies = [texts.fill(b, rng, wilayah="Kabupaten") for tp in texts.TOPICS for b in tp.bodies]
    titles = [texts.fill(t, rng, wilayah="") for tp in texts.TOPICS for t in tp.titles]
    sample = [f"{rng.choice(titles)}. {rng.choice(bodies)}" for _ in range(args.texts)]
    per_thousand = []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        for text in sample:
            topics.terms_of(text)
        per_thousand.append((time.perf_counter() - t0) / len(sample) * 1000)
    print(f"terms of 1,000 report texts, s: {spread(per_thousand, 3)}")
    print(
        f"a day of 60,000 reports recounted: about {60 * float(np.median(per_thousand)):.0f} s "
        "of text work (plus reading the rows)"
    )
    with open("/proc/loadavg") as f:
        print(f"load: {f.read().strip()}")


if __name__ == "__main__":
    main()
