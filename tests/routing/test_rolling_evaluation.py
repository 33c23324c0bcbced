"""`lapor routing evaluate FILE --rolling`: train on the periods up to t, judge on t+1, for
every t; the latest periods are held out until asked for; a plain baseline on the same
splits; mean, worst fold and worst agency; nothing written."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lapor.agencies.models import Agency
from lapor.routing import classifier
from lapor.routing.evaluation import Prediction, folds, metrics, period_of
from lapor.routing.history import Example, parse_when
from lapor.routing.models import TrainingExample
from tests.routing.test_learning import _history

pytestmark = pytest.mark.usefixtures("country")

MONTHS = ("2018-02", "2018-03", "2018-04", "2018-05")


def _values(line: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in line.split() if "=" in part)


def test_rolling_origin_judges_each_next_month_and_holds_out_the_last(tmp_path):
    path = _history(tmp_path / "h.csv", months=MONTHS)
    out = StringIO()
    call_command(
        "routing_evaluate",
        str(path),
        "--rolling",
        "--without-region",
        "--min-learn",
        "1",
        stdout=out,
    )
    lines = out.getvalue().strip().splitlines()
    folds_seen = [_values(line) for line in lines if "latih_sampai=" in line]
    # Then every month after the first is judged by each method, except the held-out May
    judged = {(f["metode"], f["latih_sampai"], f["nilai"]) for f in folds_seen}
    assert judged == {
        (method, origin, month)
        for method in ("router", "baseline")
        for origin, month in (("2018-02", "2018-03"), ("2018-03", "2018-04"))
    }
    # trained on every month up to the origin, never on the month judged
    router = [f for f in folds_seen if f["metode"] == "router"]
    assert [f["latih"] for f in router] == ["36", "72"]
    assert any(line.startswith("metode=router rerata") for line in lines)
    assert any(line.startswith("metode=baseline terburuk nilai=") for line in lines)
    last = _values(lines[-1])
    assert list(last) == ["accuracy", "macro_f1", "auto_precision", "auto_coverage", "top3", "n"]
    assert float(last["accuracy"]) == 1.0 and last["n"] == "72"
    # And no report text is printed (texts can hold names and phone numbers)
    assert "keluarga miskin" not in out.getvalue() and "gardu" not in out.getvalue()
    # And nothing was written: no model, no history, no imported agency
    assert classifier.current() is None
    assert not TrainingExample.objects.exists()
    assert not Agency.objects.filter(kind=Agency.Kind.IMPORTED).exists()


def test_final_judges_the_held_out_months_too(tmp_path):
    path = _history(tmp_path / "h.csv", months=MONTHS)
    out = StringIO()
    call_command(
        "routing_evaluate",
        str(path),
        "--rolling",
        "--final",
        "--no-baseline",
        "--min-learn",
        "1",
        stdout=out,
    )
    held = [line for line in out.getvalue().splitlines() if "disimpan sampai akhir" in line]
    assert len(held) == 1 and "nilai=2018-05" in held[0] and "latih=108" in held[0]
    assert _values(out.getvalue().strip().splitlines()[-1])["n"] == "108"


def test_too_few_periods_are_refused(tmp_path):
    path = _history(tmp_path / "h.csv", months=("2018-02", "2018-03"))
    with pytest.raises(CommandError, match="paling sedikit dua periode"):
        call_command("routing_evaluate", str(path), "--rolling", stdout=StringIO())


def test_half_month_periods_and_metrics():
    at = [parse_when(d) for d in ("2018-02-01", "2018-02-20", "2018-03-02", "2018-03-30")]
    examples = [Example(f"t{i}", "a", when) for i, when in enumerate(at)]
    found = folds(examples, period="half", holdout=1, min_learn=1)
    assert [(f.origin, f.judged, len(f.learn), f.held_out) for f in found] == [
        ("2018-02a", "2018-02b", 1, False),
        ("2018-02b", "2018-03a", 2, False),
        ("2018-03a", "2018-03b", 3, True),
    ]
    result = metrics(
        ["a", "b", "c", "d"],
        [
            Prediction(["a"], 0.9),  # right, automatic
            Prediction(["x", "b"], 0.95),  # wrong, automatic; right in the top 3
            Prediction(["c"], 0.5),  # right, left to a person
            Prediction([], 0.0),
        ],
        threshold=0.8,
    )
    assert (result.accuracy, result.top3) == (0.5, 0.75)
    assert (result.auto_precision, result.auto_coverage) == (0.5, 0.5)


def test_week_periods_follow_the_retraining_cadence_and_skip_too_little_history():
    # Given reports on four ISO weeks (Thursday 1 February 2018 is in week 5)
    days = ["2018-02-01", "2018-02-04", "2018-02-05", "2018-02-12", "2018-02-13", "2018-02-19"]
    examples = [Example(f"t{i}", "a", parse_when(d)) for i, d in enumerate(days)]
    assert period_of(parse_when("2018-02-04"), "week") == "2018-W05"
    assert period_of(parse_when("2018-02-05"), "week") == "2018-W06"
    # When folds need at least three reports to learn from
    found = folds(examples, period="week", holdout=1, min_learn=3)
    # Then week 6 (learning from week 5's two reports only) is not judged; each later week is,
    # learning from every report before it
    assert [(f.origin, f.judged, len(f.learn), f.held_out) for f in found] == [
        ("2018-W06", "2018-W07", 3, False),
        ("2018-W07", "2018-W08", 5, True),
    ]


def test_the_default_minimum_of_history_skips_folds_learning_from_too_little(tmp_path):
    # Given 36 reports a month: no fold learns from the 200 reports asked by default
    path = _history(tmp_path / "h.csv", months=MONTHS)
    with pytest.raises(CommandError, match="paling sedikit dua periode"):
        call_command("routing_evaluate", str(path), "--rolling", stdout=StringIO())
    # And with the minimum lowered, weeks are judged
    out = StringIO()
    call_command(
        "routing_evaluate",
        str(path),
        "--rolling",
        "--period",
        "week",
        "--min-learn",
        "30",
        "--no-baseline",
        stdout=out,
    )
    judged = [_values(line)["nilai"] for line in out.getvalue().splitlines() if "nilai=" in line]
    assert judged and all("-W" in week for week in judged)
