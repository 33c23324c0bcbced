"""Routing on real LaporGub! Jawa Tengah complaints: accuracy on a time split and latency.

Learns February + March 2018 (``lapor routing import-history`` then ``lapor routing train``),
judges May 2018 (``lapor routing evaluate``), then times ``route()`` for every May report in one
process (model loaded, warm) and the whole background job (``route_report``: duplicate lookup,
routing, disposition or triage, events) for the same reports submitted anew.

Reads ../shared/data (never copied into the repository). Uses a model directory of its own
under var/ and the database named by DATABASE_URL, which should be one of its own:

    createdb -h 127.0.0.1 -U postgres lapor_bench_routing
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_bench_routing \\
        .venv/bin/python bench/routing.py
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import ROOT, django_on_postgres, prepare

DATA = ROOT.parent / "shared/data/complaints_laporgub_jateng_2018-02_to_05.csv"


def _slice(rows: list[dict[str, str]], months: tuple[str, ...], path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=["text", "label", "date"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(r for r in rows if r["date"][:7] in months)
    return path


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    cut = statistics.quantiles(ordered, n=100, method="inclusive")
    return (
        f"n={len(ordered)} p50={cut[49]:.1f} ms p99={cut[98]:.1f} ms "
        f"max={ordered[-1]:.1f} ms mean={statistics.fmean(ordered):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", default=str(ROOT / "var/bench-models"))
    parser.add_argument("--jobs", type=int, default=438, help="reports routed as background jobs")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} is missing")
    django_on_postgres()
    from django.conf import settings

    settings.LAPOR_ROUTING_MODEL_DIR = args.model_dir
    Path(args.model_dir).mkdir(parents=True, exist_ok=True)
    prepare()

    from django.core.management import call_command

    from lapor.routing.models import TrainingExample

    with DATA.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    tmp = Path(tempfile.mkdtemp(prefix="lapor-bench-routing-"))
    train = _slice(rows, ("2018-02", "2018-03"), tmp / "train.csv")
    may = _slice(rows, ("2018-05",), tmp / "may.csv")

    TrainingExample.objects.all().delete()
    from lapor.routing.classifier import model_dir

    for stale in model_dir().glob("*"):
        stale.unlink()
    started = time.perf_counter()
    call_command("routing_import_history", str(train), stdout=StringIO())
    imported = time.perf_counter() - started
    started = time.perf_counter()
    out = StringIO()
    call_command("routing_train", "--without-region", stdout=out)
    trained = time.perf_counter() - started
    print(f"import-history Feb+Mar 2018: {imported:.1f} s; train: {trained:.1f} s")
    print("train:", out.getvalue().strip().splitlines()[-1])
    started = time.perf_counter()
    out = StringIO()
    call_command("routing_evaluate", str(may), stdout=out)
    print(f"evaluate May 2018 ({time.perf_counter() - started:.1f} s):")
    print(out.getvalue().strip().splitlines()[-1])

    _latency([r for r in rows if r["date"][:7] == "2018-05"], args.jobs)


def _latency(may: list[dict[str, str]], jobs: int) -> None:
    from django.db import connection

    from lapor.regions.models import Region
    from lapor.reports.lifecycle import Status
    from lapor.reports.models import Report
    from lapor.reports.services import report_submit
    from lapor.reports.tasks import route_report
    from lapor.routing.classifier import current
    from lapor.routing.router import route

    current()  # loaded once per process, as the worker does
    route(title="", body=may[0]["text"], region_code=None)
    samples = []
    for row in may:
        started = time.perf_counter()
        route(title="", body=row["text"], region_code=None)
        samples.append((time.perf_counter() - started) * 1000)
    print("route(), one process, warm:", _percentiles(samples))

    # The whole job as the worker runs it, on reports submitted through the real service.
    region = Region.objects.get(code="33")
    ids = []
    for i, row in enumerate(may[:jobs]):
        submitted = report_submit(
            type=Report.Type.PENGADUAN,
            title=row["text"][:80] or f"Laporan {i}",
            body=row["text"],
            region=region,
            category=None,
            channel=Report.Channel.WEB,
            contact_email=f"bench{i}@example.org",
        )
        ids.append(submitted.report.pk)
    samples, outcomes = [], {"disposed": 0, "triage": 0}
    for pk in ids:
        started = time.perf_counter()
        status = route_report.call(pk)
        samples.append((time.perf_counter() - started) * 1000)
        outcomes["triage" if status == Status.TRIAGE else "disposed"] += 1
    print(
        f"route_report job (duplicates + routing + service), {connection.vendor}:",
        _percentiles(samples),
    )
    print(f"outcomes: {outcomes['disposed']} disposed automatically, {outcomes['triage']} triage")


if __name__ == "__main__":
    main()
