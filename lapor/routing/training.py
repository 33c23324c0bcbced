"""``lapor routing train`` and ``evaluate``: learn from history and corrections, judge a
model on a later time slice, and swap it in only when it does better."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lapor.routing import classifier
from lapor.routing.history import Example, correction_examples, imported_examples
from lapor.routing.router import RULE_WEIGHTS, gather, rank, route

MIN_EXAMPLES = 20
MIN_JUDGE = 10
# Recency weighting of training examples (days for an example's weight to halve); None = off.
DEFAULT_HALF_LIFE_DAYS: float | None = None


@dataclass(frozen=True)
class Score:
    accuracy: float
    macro_f1: float
    n: int

    def line(self) -> str:
        return f"accuracy={self.accuracy:.3f} macro_f1={self.macro_f1:.3f} n={self.n}"


def predict(model: Any, text: str, region: str | None) -> str:
    routing = route(title="", body=text, region_code=region, model=model, any_agency=True)
    return routing.best.agency if routing.best else ""


def _score(truth: list[str], guess: list[str]) -> Score:
    from sklearn.metrics import accuracy_score, f1_score

    return Score(
        float(accuracy_score(truth, guess)),
        float(f1_score(truth, guess, average="macro", zero_division=0)),
        len(truth),
    )


def score(model: Any, examples: list[Example], *, use_region: bool = True) -> Score:
    if not examples:
        return Score(0.0, 0.0, 0)
    truth = [e.agency for e in examples]
    return _score(
        truth, [predict(model, e.text, e.region if use_region else None) for e in examples]
    )


def choose_rule_weight(
    model: Any, examples: list[Example], *, use_region: bool = True
) -> tuple[float, Score]:
    """The weight of the rules beside ``model`` that routes ``examples`` best (ties go to the
    larger weight), with its score. Each report's evidence is gathered once."""
    evidence = [
        gather(
            title="",
            body=e.text,
            region_code=e.region if use_region else None,
            model=model,
            any_agency=True,
        )
        for e in examples
    ]
    truth = [e.agency for e in examples]
    best: tuple[float, Score] | None = None
    for weight in RULE_WEIGHTS:
        guess = []
        for ev in evidence:
            top = rank(ev, rule_weight=weight).best
            guess.append(top.agency if top else "")
        result = _score(truth, guess)
        if best is None or result.accuracy > best[1].accuracy:
            best = (weight, result)
    assert best is not None
    return best


def time_split(examples: list[Example], holdout: float) -> tuple[list[Example], list[Example]]:
    """The earlier part to learn from and the latest ``holdout`` share to judge on."""
    floor = datetime.min.replace(tzinfo=None)
    ordered = sorted(examples, key=lambda e: e.at.replace(tzinfo=None) if e.at else floor)
    cut = int(len(ordered) * (1 - holdout))
    if (
        ordered
        and ordered[cut - 1].at
        and ordered[cut - 1].at == ordered[min(cut, len(ordered) - 1)].at
    ):
        pass  # same timestamp straddling the cut: acceptable, the slice stays later-or-equal
    return ordered[:cut], ordered[cut:]


@dataclass(frozen=True)
class TrainResult:
    new: Score
    old: Score | None
    replaced: bool
    version: str
    examples: int
    rule_weight: float = 1.0


def _newer(examples: list[Example], than: datetime) -> list[Example]:
    return [e for e in examples if e.at is not None and e.at > than]


def train(*, holdout: float = 0.25, use_region: bool = True) -> TrainResult:
    """Train on history and corrections and swap the model in only when it does better.

    Both models are judged on reports neither has learned from: with no current model, the
    latest ``holdout`` share (against the rules alone); otherwise the examples newer than
    everything the current model learned. The model put in use is then refitted on every
    example."""
    examples = imported_examples() + correction_examples()
    if len(examples) < MIN_EXAMPLES:
        raise ValueError(
            f"Terlalu sedikit data latih ({len(examples)}); impor riwayat dulu dengan "
            "`lapor routing import-history FILE.csv`."
        )
    current = classifier.current()
    if current is not None and current.trained_until is not None:
        judge = _newer(examples, current.trained_until)
        if len(judge) < MIN_JUDGE:
            raise ValueError(
                f"Baru {len(judge)} laporan yang lebih baru dari data model sekarang; "
                f"perlu paling sedikit {MIN_JUDGE} untuk menilai model baru."
            )
        learn = [e for e in examples if e not in judge]
    else:
        learn, judge = time_split(examples, holdout)
    candidate = classifier.fit([e.text for e in learn], [e.agency for e in learn])
    # The rules' weight beside the new model is chosen on the held-back reports too.
    weight, new = choose_rule_weight(candidate, judge, use_region=use_region)
    old = score(current, judge, use_region=use_region)  # None model = rules alone
    if new.accuracy <= old.accuracy:
        return TrainResult(
            new, old, False, current.version if current else "", len(examples), weight
        )
    final = classifier.fit([e.text for e in examples], [e.agency for e in examples])
    final.rule_weight = weight
    final.score = new.accuracy
    final.trained_until = max((e.at for e in examples if e.at is not None), default=None)
    classifier.save(final)
    return TrainResult(new, old, True, final.version, len(examples), weight)
