"""Automatic disposition: a score at the threshold is not enough, the agency must have been
right on the model's own out-of-sample weeks (``calibration``); the routing job, the citizen's
named agency and ``lapor routing evaluate`` decide with the same ``Routing.confident``."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from lapor.jobs.runner import run_pending
from lapor.regions.models import Region
from lapor.reports.lifecycle import Action, Status
from lapor.reports.models import ReportEvent
from lapor.routing import calibration, classifier, training
from lapor.routing.calibration import Record
from lapor.routing.history import Example
from lapor.routing.router import Routing, Suggestion
from tests.factories import submit
from tests.routing.test_learning import _history

PLN_TEXT = "Listrik padam berjam-jam setiap malam, gardu sering meledak di desa kami"


def _routing(agency: str, confidence: float, trusted: frozenset[str] | None) -> Routing:
    return Routing([Suggestion(agency, agency, confidence)], None, [], "v1", trusted)


def _records(agency: str, right: int, wrong: int, score: float = 0.97) -> list[Record]:
    return [Record(agency, score, True)] * right + [Record(agency, score, False)] * wrong


def test_an_agency_is_trusted_only_when_its_past_dispositions_were_right():
    records = (
        _records("pln", right=9, wrong=1)  # (9 + 1) / (10 + 1) = 0.91
        + _records("perkim", right=3, wrong=2)  # (3 + 1) / (5 + 1) = 0.67
        + _records("dinsos", right=5, wrong=0, score=0.9)  # right, but under the threshold
    )
    trusted = calibration.trusted(records, threshold=0.95, precision=0.8)
    # Then only the agency whose confident routings were right often enough is trusted
    assert trusted == frozenset({"pln"})
    # And a lower threshold brings in the agency whose records were under the old one
    assert calibration.trusted(records, threshold=0.9, precision=0.8) == {"pln", "dinsos"}


def test_it_abstains_on_a_sure_score_for_an_agency_it_does_not_trust():
    # Given a model that routed 0.99 sure to an agency its past weeks do not vouch for
    routing = _routing("pemprov-33-perkim", 0.99, frozenset({"pln"}))
    # Then it does not dispose by itself: the national admins decide
    assert not routing.confident


def test_it_disposes_a_sure_score_for_a_trusted_agency_and_never_under_the_threshold():
    assert _routing("pln", 0.96, frozenset({"pln"})).confident
    assert not _routing("pln", 0.94, frozenset({"pln"})).confident
    # A model file trained before the records (trusted None) keeps the threshold alone
    assert _routing("pemprov-33-perkim", 0.96, None).confident


def test_out_of_sample_weeks_are_routed_by_models_that_never_saw_them():
    start = datetime(2018, 2, 1, 8)
    examples = [
        Example(f"laporan {i}", "pln" if i % 3 else "pemprov-33-dinsos", start + timedelta(days=i))
        for i in range(40)
    ]
    fitted: list[list[Example]] = []

    def fit(learn: list[Example]) -> int:
        fitted.append(learn)
        return len(fitted) - 1

    records = calibration.out_of_sample(
        examples, fit=fit, route_one=lambda model, e: ("pln", 0.97), weeks=2
    )
    # Then the last two weeks were routed, each by a model learned only from before it
    newest = examples[-1].at
    assert newest is not None
    assert len(fitted) == 2 and len(records) == 14
    for back, learn in zip((2, 1), fitted, strict=True):
        cut = newest - timedelta(days=7 * back)
        assert max(e.at for e in learn if e.at is not None) <= cut
        assert len(learn) == sum(1 for e in examples if e.at is not None and e.at <= cut)
    # And each record says whether the best suggestion was history's agency
    routed = [e for e in examples if e.at is not None and e.at > newest - timedelta(days=14)]
    assert [r.right for r in records] == [e.agency == "pln" for e in routed]


@pytest.mark.parametrize(
    "name", ["LAPOR_ROUTING_AUTO_AGENCY_PRECISION", "LAPOR_ROUTING_AUTO_DISPOSE_AT"]
)
@pytest.mark.parametrize("value", ["banyak", 0, 1.5])
def test_a_setting_that_is_not_a_share_stops_the_start_naming_it(settings, name, value):
    setattr(settings, name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        calibration.check_settings()


@pytest.mark.usefixtures("country")
def test_the_routing_job_disposes_only_to_agencies_the_model_trusts(tmp_path):
    # Given a model trained on two months of history, its last weeks routed out of sample
    call_command("routing_import_history", str(_history(tmp_path / "h.csv")), stdout=StringIO())
    training.train(use_region=False)
    model = classifier.current()
    assert model is not None and model.calibration
    assert any(r.agency == "pln" and r.right for r in model.calibration)
    demak = Region.objects.get(code="33.21")
    # When a citizen reports a power cut
    report = submit(title="Listrik padam", body=PLN_TEXT, region=demak).report
    run_pending()
    report.refresh_from_db()
    # Then PLN, right on the model's own past weeks, gets it without a person
    assert report.status == Status.DISPOSED and report.agency is not None
    assert report.agency.code == "pln"
    assert ReportEvent.objects.get(report=report, action=Action.DISPOSE).actor_id is None

    # Given the same model, had PLN been wrong on its past weeks
    doubted = replace(
        model,
        version=model.version + "b",
        calibration=tuple(replace(r, right=r.agency != "pln") for r in model.calibration),
    )
    classifier.save(doubted)
    report = submit(title="Listrik padam", body=PLN_TEXT, region=demak).report
    run_pending()
    report.refresh_from_db()
    # Then the same report waits for the national admins, with PLN as the suggestion
    assert report.status == Status.TRIAGE and report.agency is None
    event = ReportEvent.objects.get(report=report, action=Action.TRIAGE)
    assert event.data["routing"]["suggestions"][0]["agency"] == "pln"
    assert event.data["routing"]["confidence"] >= 0.95


@pytest.mark.usefixtures("country")
def test_evaluate_prints_what_automatic_disposition_would_do(tmp_path):
    path = _history(tmp_path / "h.csv", months=("2018-02", "2018-03", "2018-04", "2018-05"))
    out = StringIO()
    call_command(
        "routing_evaluate", str(path), "--rolling", "--without-region", "--no-baseline",
        "--min-learn", "1", stdout=out,
    )  # fmt: skip
    last = dict(part.split("=", 1) for part in out.getvalue().strip().splitlines()[-1].split())
    # Then the last line carries auto_precision and auto_coverage after macro_f1
    assert list(last)[:4] == ["accuracy", "macro_f1", "auto_precision", "auto_coverage"]
    # and the trusted agencies were disposed of, all of them right; in the first fold none
    # (February's last week learns from too little to be routed out of sample: no agency has
    # earned trust yet), in the second the March weeks vouch for them
    folds = [line for line in out.getvalue().splitlines() if "latih_sampai=" in line]
    assert "auto_coverage=0.000" in folds[0]
    assert "auto_precision=1.000" in folds[1] and "auto_coverage=0.000" not in folds[1]
    assert float(last["auto_precision"]) == 1.0 and float(last["auto_coverage"]) > 0.3
