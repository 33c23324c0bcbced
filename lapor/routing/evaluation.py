"""Rolling-origin evaluation of routing (``lapor routing evaluate FILE --rolling``).

The file's rows are cut into periods (calendar months, or half months). For every period
after the first, a model is trained the way ``lapor routing train`` trains one, on every
period before it only, and judged on that period: what the router does next season, never
on what it learned from. The latest ``holdout`` periods are left out of the development
figures entirely and judged only when asked (``final``), so a change is never tuned on the
months reported at the end. A plain TF-IDF + logistic regression is judged on the same
splits as a baseline.

Figures per fold: accuracy, macro-F1, top-3 (the right agency among the first three
suggestions), and what automatic disposition would do: ``auto_coverage`` the share of
reports the router would dispose of by itself (``Routing.confident``: the best suggestion
reaches the auto-dispose threshold and its agency is trusted by the model's out-of-sample
records, each fold's model measured as ``routing train`` measures it), ``auto_precision`` the
share right among those. Summaries: the mean over folds and the worst fold; the worst
agency is the lowest recall among agencies with at least ``MIN_AGENCY`` judged reports.
Nothing is written: agencies the file's labels need are created inside a transaction that
is rolled back."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction

from lapor.routing import classifier
from lapor.routing.history import Example
from lapor.routing.router import auto_dispose_at, route

MIN_AGENCY = 10
PERIODS = ("month", "half", "week")
# A fold learning from fewer reports than this is not judged: no model would be put in use on
# so little history (the first week of a history), and it is not what the product does later.
MIN_LEARN = 200


@dataclass(frozen=True)
class Metrics:
    accuracy: float
    macro_f1: float
    top3: float
    auto_precision: float
    auto_coverage: float
    n: int

    def line(self) -> str:
        return (
            f"accuracy={self.accuracy:.3f} macro_f1={self.macro_f1:.3f} "
            f"auto_precision={self.auto_precision:.3f} auto_coverage={self.auto_coverage:.3f} "
            f"top3={self.top3:.3f} n={self.n}"
        )


@dataclass(frozen=True)
class Prediction:
    ranked: list[str]  # agency codes, best first
    confidence: float  # of the best
    # Whether it would be disposed of automatically (``Routing.confident``, the service's own
    # decision); None: by the threshold alone (the plain baseline).
    auto: bool | None = None


def metrics(truth: list[str], predictions: list[Prediction], threshold: float) -> Metrics:
    from sklearn.metrics import f1_score

    n = len(truth)
    if n == 0:
        return Metrics(0.0, 0.0, 0.0, 0.0, 0.0, 0)
    best = [p.ranked[0] if p.ranked else "" for p in predictions]
    right = [b == t for b, t in zip(best, truth, strict=True)]
    auto = [p.confidence >= threshold if p.auto is None else p.auto for p in predictions]
    taken = sum(auto)
    return Metrics(
        accuracy=sum(right) / n,
        macro_f1=float(f1_score(truth, best, average="macro", zero_division=0)),
        top3=sum(t in p.ranked[:3] for t, p in zip(truth, predictions, strict=True)) / n,
        auto_precision=(sum(r for r, a in zip(right, auto, strict=True) if a) / taken)
        if taken
        else 0.0,
        auto_coverage=taken / n,
        n=n,
    )


def period_of(at: datetime, period: str) -> str:
    """``2018-03`` (month), ``2018-03a`` / ``2018-03b`` (days 1-15 / 16-end) or ``2018-W09``
    (ISO week, Monday to Sunday: the cadence of a model retrained at least weekly)."""
    if period == "week":
        year, week, _ = at.isocalendar()
        return f"{year}-W{week:02d}"
    month = at.strftime("%Y-%m")
    if period == "half":
        return month + ("a" if at.day <= 15 else "b")
    return month


@dataclass(frozen=True)
class Fold:
    origin: str  # the last period learned from
    judged: str  # the period judged
    learn: list[Example]
    judge: list[Example]
    held_out: bool  # one of the latest periods, judged only at the very end


def folds(
    examples: Iterable[Example],
    *,
    period: str = "month",
    holdout: int = 1,
    min_learn: int = MIN_LEARN,
) -> list[Fold]:
    """Train on every period up to t, judge on t+1, for every t with at least ``min_learn``
    examples to learn from (examples without a date are left out: they cannot be placed in
    time). The latest ``holdout`` periods are marked held out."""
    by_period: dict[str, list[Example]] = defaultdict(list)
    for e in examples:
        if e.at is not None:
            by_period[period_of(e.at, period)].append(e)
    order = sorted(by_period)
    result = []
    for i in range(1, len(order)):
        learn = [e for p in order[:i] for e in by_period[p]]
        if len(learn) < min_learn:
            continue
        result.append(
            Fold(order[i - 1], order[i], learn, by_period[order[i]], i >= len(order) - holdout)
        )
    return result


# A method learns from examples and returns a function ranking the agencies for a report.
Predictor = Callable[[Example], Prediction]
Method = Callable[[list[Example]], Predictor]


def baseline(learn: list[Example]) -> Predictor:
    """Plain TF-IDF (scikit-learn defaults) + logistic regression on the raw text."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    pipe = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))
    pipe.fit([e.text for e in learn], [e.agency for e in learn])
    classes = list(pipe.classes_)

    def predict(e: Example) -> Prediction:
        proba = pipe.predict_proba([e.text])[0]
        order = np.argsort(proba)[::-1][:3]
        return Prediction([classes[i] for i in order], float(proba[order[0]]))

    return predict


def recency_weights(examples: list[Example], half_life_days: float | None) -> list[float] | None:
    """Each example weighs half as much per ``half_life_days`` before the newest one."""
    if not half_life_days:
        return None
    newest = max(e.at for e in examples if e.at is not None)
    return [
        math.pow(0.5, ((newest - e.at).total_seconds() / 86400) / half_life_days)
        if e.at is not None
        else 0.5
        for e in examples
    ]


def router_method(*, use_region: bool, half_life_days: float | None = None) -> Method:
    """The router as ``lapor routing train`` would leave it after learning ``learn``: the
    model, with the rules' weight chosen on the latest quarter of ``learn`` (routed by a
    candidate learned from the rest)."""
    from lapor.routing.training import calibrate, choose_rule_weight, time_split

    def method(learn: list[Example]) -> Predictor:
        early, late = time_split(learn, 0.25)
        candidate = classifier.fit(
            [e.text for e in early],
            [e.agency for e in early],
            recency_weights(early, half_life_days),
        )
        weight, _ = choose_rule_weight(candidate, late, use_region=use_region)
        model = classifier.fit(
            [e.text for e in learn],
            [e.agency for e in learn],
            recency_weights(learn, half_life_days),
        )
        model.rule_weight = weight
        # as train does: the latest weeks routed out of sample decide the trusted agencies
        model.calibration = calibrate(
            learn,
            rule_weight=weight,
            use_region=use_region,
            fit=(
                None
                if half_life_days is None
                else lambda part: _weighted_fit(part, weight, half_life_days)
            ),
        )

        def predict(e: Example) -> Prediction:
            routing = route(
                title="",
                body=e.text,
                region_code=e.region if use_region else None,
                model=model,
                any_agency=True,
            )
            ranked = [s.agency for s in routing.suggestions]
            return Prediction(
                ranked, routing.best.confidence if routing.best else 0.0, routing.confident
            )

        return predict

    return method


def _weighted_fit(learn: list[Example], weight: float, half_life_days: float) -> Any:
    model = classifier.fit(
        [e.text for e in learn], [e.agency for e in learn], recency_weights(learn, half_life_days)
    )
    model.rule_weight = weight
    return model


@dataclass
class Outcome:
    method: str
    per_fold: list[tuple[Fold, Metrics]] = field(default_factory=list)
    recall: dict[str, list[int]] = field(default_factory=dict)  # agency → [right, total]

    def mean(self) -> Metrics:
        rows = [m for _, m in self.per_fold]
        if not rows:
            return Metrics(0.0, 0.0, 0.0, 0.0, 0.0, 0)
        k = len(rows)
        # A fold that disposed of nothing has no precision: left out of its mean.
        disposing = [m.auto_precision for m in rows if m.auto_coverage > 0]
        return Metrics(
            sum(m.accuracy for m in rows) / k,
            sum(m.macro_f1 for m in rows) / k,
            sum(m.top3 for m in rows) / k,
            sum(disposing) / len(disposing) if disposing else 0.0,
            sum(m.auto_coverage for m in rows) / k,
            sum(m.n for m in rows),
        )

    def worst(self) -> tuple[Fold, Metrics] | None:
        return min(self.per_fold, key=lambda fm: fm[1].accuracy, default=None)

    def worst_agency(self) -> tuple[str, float, int] | None:
        rows = [
            (code, right / total, total)
            for code, (right, total) in self.recall.items()
            if total >= MIN_AGENCY
        ]
        return min(rows, key=lambda r: r[1], default=None)


def evaluate(
    examples: list[Example],
    methods: dict[str, Method],
    *,
    period: str = "month",
    holdout: int = 1,
    final: bool = False,
    min_learn: int = MIN_LEARN,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Outcome]:
    """Every method on every fold (the held-out ones only when ``final``)."""
    threshold = auto_dispose_at()
    outcomes = {name: Outcome(name) for name in methods}
    for fold in folds(examples, period=period, holdout=holdout, min_learn=min_learn):
        if fold.held_out and not final:
            continue
        truth = [e.agency for e in fold.judge]
        for name, method in methods.items():
            predict = method(fold.learn)
            predictions = [predict(e) for e in fold.judge]
            result = metrics(truth, predictions, threshold)
            outcomes[name].per_fold.append((fold, result))
            for t, p in zip(truth, predictions, strict=True):
                counts = outcomes[name].recall.setdefault(t, [0, 0])
                counts[0] += bool(p.ranked) and p.ranked[0] == t
                counts[1] += 1
            if progress is not None:
                held = " (disimpan sampai akhir)" if fold.held_out else ""
                progress(
                    f"metode={name} latih_sampai={fold.origin} nilai={fold.judged}{held} "
                    f"latih={len(fold.learn)} {result.line()}"
                )
    return outcomes


def without_writing(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` in a transaction that is rolled back (agencies made for labels vanish)."""
    with transaction.atomic():
        try:
            return fn()
        finally:
            transaction.set_rollback(True)
