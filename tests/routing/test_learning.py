"""History import, officer corrections as training data, and `train` guarding the model."""

from __future__ import annotations

import csv
import random
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from lapor.agencies.models import Agency
from lapor.regions.models import Region
from lapor.routing import classifier, training
from lapor.routing.history import correction_examples
from lapor.routing.models import TrainingExample
from lapor.routing.router import route
from tests.factories import national_admin, submit

pytestmark = pytest.mark.usefixtures("country")

TEMPLATES = {
    "DINAS SOSIAL": "Bantuan sosial PKH untuk keluarga miskin di desa kami tidak tersalurkan {n}",
    "Kabupaten Demak": "Lampu taman alun-alun dan trotoar kota rusak, mohon pemda perbaiki {n}",
    "PLN Distribusi Jateng": "Listrik padam berjam-jam setiap malam, gardu sering meledak {n}",
}


def _history(path: Path, months: tuple[str, ...] = ("2018-02", "2018-03")) -> Path:
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "label", "region_code", "date"])
        for m, month in enumerate(months):
            for n in range(12):
                for label, text in TEMPLATES.items():
                    writer.writerow([text.format(n=n), label, "33", f"{month}-{n + 1:02d} 08:{m}0"])
    return path


def test_import_maps_labels_onto_the_agency_tree(tmp_path):
    # Given a history file with an agency name, a regional government and a provincial office
    out = StringIO()
    call_command("routing_import_history", str(_history(tmp_path / "h.csv")), stdout=out)
    # Then each label lands on the agency the tree knows
    agencies = set(TrainingExample.objects.values_list("label", "agency__code").distinct())
    assert ("Kabupaten Demak", "pemkab-3321") in agencies
    assert ("PLN Distribusi Jateng", "pln") in agencies
    # a provincial office named without its province: the unit of the file's province
    assert ("DINAS SOSIAL", "pemprov-33-dinsos") in agencies
    assert "72 laporan" in out.getvalue()
    # And importing the same file again adds nothing
    call_command("routing_import_history", str(tmp_path / "h.csv"), stdout=StringIO())
    assert TrainingExample.objects.count() == 72


def test_train_then_evaluate_learns_the_history(tmp_path):
    call_command("routing_import_history", str(_history(tmp_path / "h.csv")), stdout=StringIO())
    out = StringIO()
    call_command("routing_train", stdout=out)
    assert "Model baru dipakai" in out.getvalue()
    assert classifier.current() is not None
    # A new report about bansos now gets the agency history used, with the model's words
    routing = route(
        title="Bantuan PKH",
        body="Bantuan sosial PKH tidak tersalurkan ke keluarga miskin",
        region_code="33",
        any_agency=True,
    )
    assert routing.best is not None and routing.best.agency == "pemprov-33-dinsos"
    assert any("model" in r for r in routing.best.reasons)
    evaluated = StringIO()
    path = _history(tmp_path / "may.csv", months=("2018-05",))
    call_command("routing_evaluate", str(path), "--without-region", stdout=evaluated)
    last = evaluated.getvalue().strip().splitlines()[-1]
    assert last.startswith("accuracy=1.000 macro_f1=1.000 auto_precision=")
    assert "auto_coverage=" in last and last.endswith("top3=1.000 n=36")


def test_train_refuses_to_swap_in_a_worse_model(tmp_path, monkeypatch):
    # Given a good current model
    call_command("routing_import_history", str(_history(tmp_path / "h.csv")), stdout=StringIO())
    first = training.train()
    assert first.replaced
    # When the next candidate learned nonsense (shuffled labels)
    real_fit = classifier.fit

    def shuffled(texts, labels):  # type: ignore[no-untyped-def]
        labels = list(labels)
        random.Random(1).shuffle(labels)
        return real_fit(texts, labels)

    monkeypatch.setattr(classifier, "fit", shuffled)
    # And a later month of history arrives to judge both models on
    later = _history(tmp_path / "apr.csv", months=("2018-04",))
    call_command("routing_import_history", str(later), stdout=StringIO())
    second = training.train()
    # Then the current model stays
    assert not second.replaced and second.new.accuracy < second.old.accuracy
    assert second.new.n == 36
    assert classifier.current().version == first.version


def test_an_officer_correction_becomes_training_data():
    # Given a report an officer disposed by hand to BPJS Kesehatan
    report = submit(region=Region.objects.get(code="33.21")).report
    from lapor.reports import services

    services.report_send_to_triage(report=report)
    bpjs = Agency.objects.get(code="bpjs-kesehatan")
    services.report_dispose(report=report, to_agency=bpjs, actor=national_admin())
    # Then the next training sees the report's text with that agency
    examples = correction_examples()
    assert [(e.agency, e.text.startswith(report.title)) for e in examples] == [
        ("bpjs-kesehatan", True)
    ]


def test_train_keeps_the_rule_weight_that_routed_the_held_back_reports_best(tmp_path):
    call_command("routing_import_history", str(_history(tmp_path / "h.csv")), stdout=StringIO())
    out = StringIO()
    call_command("routing_train", stdout=out)
    model = classifier.current()
    assert model is not None
    assert model.rule_weight in (1.0, 0.5, 0.25, 0.1)
    assert f"bobot aturan {model.rule_weight:g}" in out.getvalue()
    # The history named Kabupaten Demak's government: the model knows it learned that place
    assert model.places == frozenset({"pemkab-3321"})


def test_rule_weight_damps_rules_for_every_place():
    # Given a stand-in model that learned from Kabupaten Demak's reports but never Kudus's
    from lapor.routing.router import gather, rank

    class Seen:
        version = "t"
        rule_weight = 0.1
        places = frozenset({"pemkab-3321"})

        def knows(self, code: str) -> bool:
            return True

        def predict(self, text, loc):  # type: ignore[no-untyped-def]
            return {}, []

    text = "KTP elektronik belum jadi sudah 3 bulan di Kabupaten {}"
    demak = rank(gather(title="", body=text.format("Demak"), region_code=None, model=Seen()))
    kudus = rank(gather(title="", body=text.format("Kudus"), region_code=None, model=Seen()))
    full = rank(gather(title="", body=text.format("Kudus"), region_code=None, model=None))
    assert demak.best is not None and kudus.best is not None and full.best is not None
    assert kudus.best.agency == "pemkab-3319-disdukcapil"
    # Then the rule counts a tenth at the place history saw and at the one it never saw alike
    # (the model's local-government class reaches new places; chosen on rolling-origin folds)
    assert kudus.best.confidence == pytest.approx(full.best.confidence * 0.1)
    assert demak.best.confidence == pytest.approx(kudus.best.confidence)
    # And choosing the weight explicitly overrides the model's
    assert rank(
        gather(title="", body=text.format("Kudus"), region_code=None, model=Seen()), rule_weight=1.0
    ).best.confidence == pytest.approx(full.best.confidence)
