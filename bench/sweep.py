"""Time the SLA sweep over the generated data set (``bench/generate.py``), twice.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_bench .venv/bin/python bench/sweep.py

The first run catches up what became due since the data set was generated; the second, right
after, must change nothing (the sweep is idempotent). Goal: under 10 s per sweep.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on_postgres


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true", help="print where the first run spends")
    parser.add_argument(
        "--hours-later",
        type=float,
        default=0,
        help="sweep as if this many hours had passed without a sweep (an outage's backlog); "
        "changes the data set",
    )
    args = parser.parse_args()
    django_on_postgres()
    from django.db.models import Count, Q
    from django.utils import timezone

    from lapor.reports.lifecycle import OPEN
    from lapor.reports.models import Report
    from lapor.reports.sweep import run_sweep

    counts = Report.objects.aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(status__in=sorted(OPEN)))
    )
    print(f"data set: {counts['total']:,} reports, {counts['open']:,} open")
    at = timezone.now() + timedelta(hours=args.hours_later)
    if args.hours_later:
        print(f"sweeping as of {args.hours_later:g} hours from now")
    profile = cProfile.Profile() if args.profile else None
    for run in (1, 2):
        if profile and run == 1:
            profile.enable()
        started = time.perf_counter()
        result = run_sweep(now=at)
        seconds = time.perf_counter() - started
        if profile and run == 1:
            profile.disable()
        print(f"sweep {run}: {seconds:.2f} s  {result.as_dict()}  (changed {result.changed:,})")
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats("lapor", 25)


if __name__ == "__main__":
    main()
