"""Rolling-origin routing evaluation on the real LaporGub! complaints in ../shared (never copied
into the repository; texts are never printed): ``lapor routing evaluate FILE --rolling``, by
ISO week (the cadence of the daily retraining, judged conservatively: a week's model is up to
seven days old; May's five weeks held out until ``--final``), by half month (May a/b held out)
and by month (May held out).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_bench \\
        .venv/bin/python bench/routing_eval.py [--final] [--period week|half|month]

Prints the command's lines (every fold, per method the mean, the worst fold and the worst
agency) and its wall time beside a calibration in the same run: fitting the plain baseline on
February alone, five times (min/median/max), and the ratio of the evaluation's time to the
calibration's median.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import django_on_postgres, prepare

DATA = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "complaints_laporgub_jateng_2018-02_to_05.csv"
)


# The periods of May 2018 (held out until --final): ISO weeks 18-22, May a/b, May.
HOLDOUT = {"week": 5, "half": 2, "month": 1}


def _calibration() -> list[float]:
    from lapor.routing.evaluation import baseline
    from lapor.routing.history import Example, parse_when

    with DATA.open(newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["date"][:7] == "2018-02"]
    examples = [Example(r["text"], r["label"], parse_when(r["date"])) for r in rows]
    times = []
    for _ in range(5):
        started = time.perf_counter()
        baseline(examples)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--period", choices=tuple(HOLDOUT), default="week")
    parser.add_argument("--final", action="store_true", help="judge the held-out months too")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} is missing")
    django_on_postgres()
    prepare()
    from django.core.management import call_command

    calibration = _calibration()
    holdout = str(HOLDOUT[args.period])
    argv = ["routing_evaluate", str(DATA), "--rolling", "--without-region"]
    argv += ["--period", args.period, "--holdout", holdout]
    if args.final:
        argv.append("--final")
    out = StringIO()
    started = time.perf_counter()
    call_command(*argv, stdout=out)
    took = time.perf_counter() - started
    print(out.getvalue().rstrip())
    median = statistics.median(calibration)
    print(
        f"evaluation: {took:.1f} s; calibration (baseline fit on February, 5 runs): "
        f"min {min(calibration):.2f} / median {median:.2f} / max {max(calibration):.2f} s; "
        f"ratio {took / median:.0f}x the calibration's median"
    )


if __name__ == "__main__":
    main()
