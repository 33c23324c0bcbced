"""The model store is tied to its database: several databases on one machine (a staging copy,
a test run, another province) never share a model by accident."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from lapor.routing import classifier
from tests.routing.test_learning import _history

pytestmark = pytest.mark.usefixtures("country")


def _train() -> str:
    out = StringIO()
    call_command("routing_train", stdout=out)
    return out.getvalue()


def test_a_model_of_another_database_is_neither_used_nor_in_the_way(tmp_path, monkeypatch):
    # Given a model trained on this database's history
    call_command("routing_import_history", str(_history(tmp_path / "h.csv")), stdout=StringIO())
    assert "Model baru dipakai" in _train()
    ours = classifier.current()
    assert ours is not None
    first_dir = classifier.model_dir()
    assert first_dir.name.startswith(classifier.database_key().split("-")[0])
    # When the same machine (same model directory) serves another database
    monkeypatch.setitem(connection.settings_dict, "NAME", "lapor_lain")
    # Then that database has no model yet, and training there is not refused because of ours
    assert classifier.model_dir() != first_dir
    assert classifier.current() is None
    assert "Model baru dipakai" in _train()
    theirs = classifier.current()
    assert theirs is not None and theirs.version != ours.version
    # And back on the first database its own model is still the one in use
    monkeypatch.undo()
    current = classifier.current()
    assert current is not None and current.version == ours.version


def test_the_database_key_is_stable_and_names_the_database(monkeypatch):
    key = classifier.database_key()
    assert key == classifier.database_key()
    monkeypatch.setitem(connection.settings_dict, "HOST", "db.example.invalid")
    assert classifier.database_key() != key
