"""Training stays bounded however long the history: it reads only the newest examples of each
agency (and the newest in all), streams them in chunks, and says how far it has got."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lapor import config
from lapor.reports import services
from lapor.reports.models import Report
from lapor.routing import history, training
from lapor.routing.models import TrainingExample
from tests.factories import AgencyFactory, RegencyFactory, national_admin, officer, submit
from tests.routing.test_learning import _history

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _disposed(agency, admin, day: int, title: str):  # type: ignore[no-untyped-def]
    """A report an officer disposed by hand to ``agency`` on ``START`` + ``day`` days."""
    with time_machine.travel(START + timedelta(days=day), tick=False):
        report = submit(title=title, region=RegencyFactory()).report
        services.report_send_to_triage(report=report)
        services.report_dispose(report=report, to_agency=agency, actor=admin)
    return report


@pytest.fixture
def corrections(db):  # type: ignore[no-untyped-def]
    """Five reports disposed to the Dinas PU (days 0-4) and two to the Dinas Sosial (5-6)."""
    admin = national_admin()
    pu = AgencyFactory(code="dinas-pu")
    sosial = AgencyFactory(code="dinas-sosial")
    for day in range(5):
        _disposed(pu, admin, day, f"Jalan rusak {day}")
    for day in (5, 6):
        _disposed(sosial, admin, day, f"Bansos {day}")
    return pu, sosial


def _kept(examples: list[history.Example]) -> list[tuple[str, str]]:
    return sorted((e.agency, e.text.split(".")[0]) for e in examples)


def test_only_the_newest_corrections_of_each_agency_are_read(corrections):
    # When training may read two examples per agency
    examples = history.correction_examples(per_agency=2, limit=100)
    # Then each agency keeps its two newest reports and the older ones are dropped
    assert _kept(examples) == [
        ("dinas-pu", "Jalan rusak 3"),
        ("dinas-pu", "Jalan rusak 4"),
        ("dinas-sosial", "Bansos 5"),
        ("dinas-sosial", "Bansos 6"),
    ]
    # And the time kept is the officer's disposition (what recency and the judge split use)
    newest = max(examples, key=lambda e: e.at)
    assert newest.at == START + timedelta(days=6)


def test_the_overall_cap_keeps_the_newest_whatever_the_agency(corrections):
    examples = history.correction_examples(per_agency=10, limit=3)
    assert _kept(examples) == [
        ("dinas-pu", "Jalan rusak 4"),
        ("dinas-sosial", "Bansos 5"),
        ("dinas-sosial", "Bansos 6"),
    ]


def test_the_agency_an_officer_chose_last_is_the_one_learned(corrections):
    pu, sosial = corrections
    # Given the newest Dinas PU report forwarded by its officer to the Dinas Sosial
    report = Report.objects.get(title="Jalan rusak 4")
    with time_machine.travel(START + timedelta(days=7), tick=False):
        services.report_forward(
            report=report, to_agency=sosial, actor=officer(pu), reason="Ini urusan bansos desa."
        )
    # Then that report is learned once, with the Dinas Sosial, and counts among its newest
    examples = history.correction_examples(per_agency=2, limit=100)
    assert _kept(examples) == [
        ("dinas-pu", "Jalan rusak 2"),
        ("dinas-pu", "Jalan rusak 3"),
        ("dinas-sosial", "Bansos 6"),
        ("dinas-sosial", "Jalan rusak 4"),
    ]


def test_corrections_are_streamed_in_chunks_by_one_bounded_query(corrections, monkeypatch):
    # Given a fetch size smaller than the history
    monkeypatch.setattr(history, "CHUNK", 2)
    read: list[int] = []
    with CaptureQueriesContext(connection) as queries:
        examples = history.correction_examples(per_agency=10, limit=5, progress=read.append)
    # Then the rows came two at a time, and only as many as the cap
    assert read == [2, 4, 5]
    assert len(examples) == 5
    # And the database chose them: one query, ranking per agency and limited, no event loaded
    # into Python to be sorted there
    assert len(queries.captured_queries) == 1
    sql = queries.captured_queries[0]["sql"].upper()
    assert "ROW_NUMBER() OVER" in sql and "PARTITION BY" in sql and "LIMIT 5" in sql


def test_imported_history_is_bounded_per_agency_too(db):
    pu = AgencyFactory(code="dinas-pu")
    sosial = AgencyFactory(code="dinas-sosial")
    for day in range(4):
        TrainingExample.objects.create(
            text=f"pu {day}", label="PU", agency=pu, occurred_at=START + timedelta(days=day)
        )
    TrainingExample.objects.create(text="pu tanpa tanggal", label="PU", agency=pu)
    TrainingExample.objects.create(text="sosial", label="DINSOS", agency=sosial, occurred_at=START)
    examples = history.imported_examples(per_agency=2, limit=100)
    assert sorted(e.text for e in examples) == ["pu 2", "pu 3", "sosial"]
    assert [e.text for e in history.imported_examples(per_agency=5, limit=2)] == ["pu 3", "pu 2"]


@pytest.mark.usefixtures("country")
def test_train_says_how_far_it_has_got(tmp_path, settings):
    # Given imported history of 72 reports and a bound of 20 per agency (3 agencies)
    call_command("routing_import_history", str(_history(tmp_path / "h.csv")), stdout=StringIO())
    settings.LAPOR_ROUTING_TRAIN_PER_AGENCY = 20
    out = StringIO()
    call_command("routing_train", stdout=out)
    lines = out.getvalue().splitlines()
    # Then it printed each step with the seconds since the start
    assert any("Riwayat impor dibaca: 60 dari paling banyak" in line for line in lines)
    assert any("Koreksi petugas dibaca: 0" in line for line in lines)
    assert any("Contoh latih: 60 (60 riwayat impor, 0 koreksi petugas)" in line for line in lines)
    assert any("Melatih model calon pada 45 contoh" in line for line in lines)
    assert any("Model calon: 15 dari 15 laporan dinilai" in line for line in lines)
    assert any("Melatih ulang model pada semua 60 contoh" in line for line in lines)
    assert all(line.startswith("[") and " dtk] " in line for line in lines[:-3])
    # And it learned from the bounded set only
    assert "Contoh: 60." in out.getvalue()


@pytest.mark.usefixtures("country")
def test_judging_is_capped_at_the_newest_held_back_reports(tmp_path, monkeypatch):
    call_command("routing_import_history", str(_history(tmp_path / "h.csv")), stdout=StringIO())
    monkeypatch.setattr(training, "MAX_JUDGE", 12)
    result = training.train()
    # 18 held back (a quarter of 72); the 12 newest judged, the other 6 learned from
    assert result.new.n == 12 and result.examples == 72


def test_an_invalid_bound_is_refused_naming_the_setting(db, settings):
    settings.LAPOR_ROUTING_TRAIN_PER_AGENCY = 0
    with pytest.raises(CommandError, match="LAPOR_ROUTING_TRAIN_PER_AGENCY"):
        call_command("routing_train", stdout=StringIO())
    with pytest.raises(config.ConfigError, match="ROUTING_TRAIN_MAX_EXAMPLES"):
        config.read({"ROUTING_TRAIN_MAX_EXAMPLES": "banyak"})
    with pytest.raises(config.ConfigError, match="ROUTING_TRAIN_PER_AGENCY"):
        config.read({"ROUTING_TRAIN_PER_AGENCY": "0"})
    assert config.read({"ROUTING_TRAIN_PER_AGENCY": "500"}).routing_train_per_agency == 500


def test_long_texts_cannot_take_training_past_its_character_budget():
    # Given three examples of 100 characters, newest last
    examples = [
        history.Example("x" * 100, "dinas-pu", START + timedelta(days=day)) for day in range(3)
    ]
    # When the budget holds two of them
    kept = training._bounded(examples, per_agency=10, limit=10, chars=250)
    # Then the two newest are kept, oldest first
    assert [e.at for e in kept] == [START + timedelta(days=1), START + timedelta(days=2)]
