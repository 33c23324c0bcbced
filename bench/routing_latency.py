"""Routing latency before and after the classifier change of ADR 0018 (logistic regression →
linear SVM with a softmax), in one run beside a calibration.

Learns February + March 2018 of the shared LaporGub! file (labels mapped as ``lapor routing
import-history`` maps them, inside a transaction rolled back at the end) with both pipelines,
then times ``route()`` on every May report, the two models taking turns report by report, and
a trivial indexed query (one agency by code) as the calibration. Prints p50/p99 per model
(milliseconds) and as ratios to the calibration's median, with the load average; no text and
no accuracy (May is judged only by ``routing_eval.py --final``).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_bench \\
        .venv/bin/python bench/routing_latency.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import ROOT, django_on_postgres, prepare

DATA = ROOT.parent / "shared/data/complaints_laporgub_jateng_2018-02_to_05.csv"


def _previous_pipeline() -> Any:
    """The pipeline before ADR 0018's amendment: words min_df 1, logistic regression C=20."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    from lapor.routing.text import analyse, normalise

    words = TfidfVectorizer(preprocessor=analyse, ngram_range=(1, 2), sublinear_tf=True)
    chars = TfidfVectorizer(
        preprocessor=normalise,
        analyzer="char_wb",
        ngram_range=(2, 5),
        sublinear_tf=True,
        min_df=2,
        max_features=200_000,
    )
    return Pipeline(
        [
            ("features", FeatureUnion([("words", words), ("chars", chars)])),
            ("clf", LogisticRegression(C=20.0, max_iter=3000)),
        ]
    )


def _cut(samples: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(sorted(samples), n=100, method="inclusive")
    return q[49], q[98]


def main() -> None:
    if not DATA.exists():
        sys.exit(f"{DATA} is missing")
    django_on_postgres()
    prepare()
    from django.db import transaction

    from lapor.agencies.models import Agency
    from lapor.routing import classifier
    from lapor.routing.history import Example, labels_province, parse_when, read_rows
    from lapor.routing.labels import LabelIndex, agency_for_label
    from lapor.routing.router import route

    with transaction.atomic():
        rows = read_rows(DATA)
        index = LabelIndex(labels_province(rows))
        codes: dict[str, str] = {}
        examples = []
        for r in rows:
            label = r["label"].strip()
            codes.setdefault(label, agency_for_label(label, index).code)
            examples.append(Example(r["text"], codes[label], parse_when(r["date"])))
        learn = [e for e in examples if e.at and e.at.month in (2, 3)]
        may = [e for e in examples if e.at and e.at.month == 5]
        models = {}
        for name, build in (("before", _previous_pipeline), ("after", None)):
            real = classifier.build_pipeline
            if build is not None:
                classifier.build_pipeline = build  # type: ignore[assignment]
            try:
                started = time.perf_counter()
                models[name] = classifier.fit([e.text for e in learn], [e.agency for e in learn])
                took = time.perf_counter() - started
            finally:
                classifier.build_pipeline = real  # type: ignore[assignment]
            models[name].rule_weight = 0.25
            print(f"fit {name}: {took:.1f} s on {len(learn)} reports")
        times: dict[str, list[float]] = {"before": [], "after": [], "calibration": []}
        for model in models.values():  # warm-up: vocabularies, gazetteer
            route(title="", body=may[0].text, region_code=None, model=model, any_agency=True)
        print(f"load average before: {Path('/proc/loadavg').read_text().strip()}")
        for e in may:
            for name, model in models.items():
                started = time.perf_counter()
                route(title="", body=e.text, region_code=None, model=model, any_agency=True)
                times[name].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            Agency.objects.filter(code="pemprov-33").exists()
            times["calibration"].append((time.perf_counter() - started) * 1000)
        print(f"load average after: {Path('/proc/loadavg').read_text().strip()}")
        base = statistics.median(times["calibration"])
        for name, samples in times.items():
            p50, p99 = _cut(samples)
            print(
                f"{name}: n={len(samples)} min {min(samples):.2f} / p50 {p50:.2f} / "
                f"p99 {p99:.2f} / max {max(samples):.2f} ms; p50 {p50 / base:.1f}x, "
                f"p99 {p99 / base:.1f}x the calibration's median ({base:.2f} ms)"
            )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
