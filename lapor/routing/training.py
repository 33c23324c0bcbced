"""``lapor routing train`` and ``evaluate``: learn from history and corrections, judge a
model on a later time slice, and swap it in only when it does better."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from lapor.routing import calibration, classifier
from lapor.routing.history import Example, correction_examples, imported_examples, training_bound
from lapor.routing.router import RULE_WEIGHTS, gather, rank, route

MIN_EXAMPLES = 20
MIN_JUDGE = 10
# At most this many of the newest held-back reports are routed to judge the models (routing
# each costs milliseconds); the older held-back reports are learned from instead.
MAX_JUDGE = 2000
# Training reads at most this many characters of text, the newest first: the features'
# memory grows with the text (about 90 bytes a character at the fit), so long complaints
# cannot take training past its memory bound (docs/routing.md, "Learning").
MAX_CHARS = 10_000_000
# Judging prints a progress line every this many reports.
JUDGE_STEP = 500
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


Counted = Callable[[int], None]  # reports done so far


def _counting(examples: list[Example], counted: Counted | None) -> Any:
    """``examples`` one by one, telling ``counted`` every ``JUDGE_STEP`` and at the end."""
    for done, e in enumerate(examples, start=1):
        yield e
        if counted is not None and (done % JUDGE_STEP == 0 or done == len(examples)):
            counted(done)


def score(
    model: Any,
    examples: list[Example],
    *,
    use_region: bool = True,
    counted: Counted | None = None,
) -> Score:
    if not examples:
        return Score(0.0, 0.0, 0)
    truth = [e.agency for e in examples]
    return _score(
        truth,
        [
            predict(model, e.text, e.region if use_region else None)
            for e in _counting(examples, counted)
        ],
    )


def choose_rule_weight(
    model: Any,
    examples: list[Example],
    *,
    use_region: bool = True,
    counted: Counted | None = None,
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
        for e in _counting(examples, counted)
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


def calibrate(
    examples: list[Example],
    *,
    rule_weight: float,
    use_region: bool = True,
    fit: Callable[[list[Example]], Any] | None = None,
    progress: Progress | None = None,
) -> tuple[calibration.Record, ...]:
    """The latest weeks of ``examples`` routed out of sample (``calibration.out_of_sample``),
    each by a model fitted as ``train`` fits one, beside the rules at ``rule_weight``: the
    records that decide which agencies the model may dispose to by itself."""

    def fitted(learn: list[Example]) -> Any:
        if fit is not None:
            return fit(learn)
        model = classifier.fit([e.text for e in learn], [e.agency for e in learn])
        model.rule_weight = rule_weight
        return model

    def route_one(model: Any, e: Example) -> tuple[str, float]:
        best = route(
            title="",
            body=e.text,
            region_code=e.region if use_region else None,
            model=model,
            any_agency=True,
        ).best
        return (best.agency, best.confidence) if best else ("", 0.0)

    def done(back: int, routed: int, learned: int) -> None:
        if progress is not None:
            progress(
                _(
                    "Kalibrasi: %(routed)d laporan %(back)d minggu sebelum akhir dirutekan oleh "
                    "model yang dilatih pada %(learned)d laporan sebelumnya."
                )
                % {"routed": routed, "back": back, "learned": learned}
            )

    return calibration.out_of_sample(examples, fit=fitted, route_one=route_one, done=done)


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


class Progress:
    """Tells the operator how far training has got, each line with the seconds since the
    start (``write`` None: silent)."""

    def __init__(self, write: Callable[[str], None] | None) -> None:
        self.write = write
        self.start = time.monotonic()

    def __call__(self, message: str) -> None:
        if self.write is not None:
            seconds = time.monotonic() - self.start
            self.write(
                _("[%(seconds)6.1f dtk] %(message)s") % {"seconds": seconds, "message": message}
            )

    def reading(self, what: str, limit: int) -> Counted:
        def counted(read: int) -> None:
            self(
                _("%(what)s dibaca: %(read)d dari paling banyak %(limit)d")
                % {"what": what, "read": read, "limit": limit}
            )

        return counted

    def judging(self, what: str, total: int) -> Counted:
        def counted(done: int) -> None:
            self(
                _("%(what)s: %(done)d dari %(total)d laporan dinilai")
                % {"what": what, "done": done, "total": total}
            )

        return counted


def read_examples(progress: Progress) -> list[Example]:
    """Imported history and officer corrections, within ``history.training_bound()``: the
    newest of each agency, then the newest in all; oldest first."""
    per_agency, limit = training_bound()
    progress(
        _(
            "Membaca contoh latih: paling banyak %(per_agency)d terbaru per instansi, "
            "%(limit)d seluruhnya."
        )
        % {"per_agency": per_agency, "limit": limit}
    )
    imported = imported_examples(
        per_agency=per_agency, limit=limit, progress=progress.reading(_("Riwayat impor"), limit)
    )
    progress(_("Memilih koreksi petugas terbaru per instansi dari riwayat laporan…"))
    corrections = correction_examples(
        per_agency=per_agency,
        limit=limit,
        progress=progress.reading(_("Koreksi petugas"), limit),
    )
    examples = _bounded(imported + corrections, per_agency=per_agency, limit=limit, chars=MAX_CHARS)
    progress(
        _("Contoh latih: %(n)d (%(imported)d riwayat impor, %(corrections)d koreksi petugas).")
        % {"n": len(examples), "imported": len(imported), "corrections": len(corrections)}
    )
    return examples


def _bounded(examples: list[Example], *, per_agency: int, limit: int, chars: int) -> list[Example]:
    """The newest ``per_agency`` of each agency, and of those the newest ``limit`` whose texts
    add up to at most ``chars`` characters; oldest first (examples without a date count as the
    oldest)."""
    floor = datetime.min.replace(tzinfo=None)

    def when(e: Example) -> datetime:
        return e.at.replace(tzinfo=None) if e.at else floor

    kept: list[Example] = []
    per: dict[str, int] = {}
    for e in sorted(examples, key=when, reverse=True):
        if per.get(e.agency, 0) < per_agency:
            chars -= len(e.text)
            if chars < 0:
                break
            per[e.agency] = per.get(e.agency, 0) + 1
            kept.append(e)
            if len(kept) == limit:
                break
    kept.reverse()
    return kept


def _split(
    examples: list[Example], current: Any, holdout: float
) -> tuple[list[Example], list[Example]]:
    """What the new model learns from and what both models are judged on (see ``train``)."""
    if current is not None and current.trained_until is not None:
        until = current.trained_until
        newer = [e.at is not None and e.at > until for e in examples]
        judge = [e for e, n in zip(examples, newer, strict=True) if n]
        if len(judge) < MIN_JUDGE:
            raise ValueError(
                f"Baru {len(judge)} laporan yang lebih baru dari data model sekarang; "
                f"perlu paling sedikit {MIN_JUDGE} untuk menilai model baru."
            )
        learn = [e for e, n in zip(examples, newer, strict=True) if not n]
    else:
        learn, judge = time_split(examples, holdout)
    if len(judge) > MAX_JUDGE:  # judged on the newest; the rest is learned from
        judge = sorted(judge, key=lambda e: e.at.replace(tzinfo=None) if e.at else datetime.min)
        learn, judge = learn + judge[:-MAX_JUDGE], judge[-MAX_JUDGE:]
    return learn, judge


def train(
    *,
    holdout: float = 0.25,
    use_region: bool = True,
    progress: Callable[[str], None] | None = None,
) -> TrainResult:
    """Train on history and corrections and swap the model in only when it does better.

    Reads at most ``history.training_bound()`` examples (the newest per agency, then the
    newest in all), so time and memory do not grow with the history. Both models are judged
    on reports neither has learned from: with no current model, the latest ``holdout`` share
    (against the rules alone); otherwise the examples newer than everything the current model
    learned; at most the newest ``MAX_JUDGE`` of them. The model put in use is then refitted
    on every example. ``progress`` receives a line at each step (in Bahasa Indonesia)."""
    say = Progress(progress)
    examples = read_examples(say)
    if len(examples) < MIN_EXAMPLES:
        raise ValueError(
            f"Terlalu sedikit data latih ({len(examples)}); impor riwayat dulu dengan "
            "`lapor routing import-history FILE.csv`."
        )
    current = classifier.current()
    learn, judge = _split(examples, current, holdout)
    say(_("Melatih model calon pada %(n)d contoh…") % {"n": len(learn)})
    candidate = classifier.fit([e.text for e in learn], [e.agency for e in learn])
    say(_("Model calon selesai dilatih."))
    # The rules' weight beside the new model is chosen on the held-back reports too.
    weight, new = choose_rule_weight(
        candidate, judge, use_region=use_region, counted=say.judging(_("Model calon"), len(judge))
    )
    del candidate
    old = score(  # None model = rules alone
        current,
        judge,
        use_region=use_region,
        counted=say.judging(_("Model sekarang") if current else _("Aturan saja"), len(judge)),
    )
    if new.accuracy <= old.accuracy:
        return TrainResult(
            new, old, False, current.version if current else "", len(examples), weight
        )
    say(_("Melatih ulang model pada semua %(n)d contoh…") % {"n": len(examples)})
    final = classifier.fit([e.text for e in examples], [e.agency for e in examples])
    final.rule_weight = weight
    # Which agencies it may dispose to by itself: its latest weeks routed out of sample.
    final.calibration = calibrate(examples, rule_weight=weight, use_region=use_region, progress=say)
    final.score = new.accuracy
    final.trained_until = max((e.at for e in examples if e.at is not None), default=None)
    classifier.save(final)
    say(_("Model disimpan."))
    return TrainResult(new, old, True, final.version, len(examples), weight)
