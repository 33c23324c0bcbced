"""The daily retraining job: it keeps the model current from history and corrections, and
changes nothing when there is nothing new to learn or judge."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from lapor.jobs.scheduler import PERIODIC
from lapor.routing import classifier
from lapor.routing.tasks import retrain_routing
from tests.routing.test_learning import _history

pytestmark = pytest.mark.usefixtures("country")


def test_the_daily_job_retrains_only_when_there_is_something_new(tmp_path):
    # Given no history: nothing is trained, and the job says why
    first = retrain_routing.call()
    assert first["replaced"] is False and "Terlalu sedikit data latih" in first["reason"]
    assert classifier.current() is None
    # When history arrives, the next run puts a model in use
    call_command("routing_import_history", str(_history(tmp_path / "h.csv")), stdout=StringIO())
    second = retrain_routing.call()
    assert second["replaced"] is True and second["examples"] == 72
    model = classifier.current()
    assert model is not None and second["version"] == model.version
    # And a run with no newer reports leaves that model in use
    third = retrain_routing.call()
    assert third["replaced"] is False and "lebih baru" in third["reason"]
    assert classifier.current().version == model.version
    # When a later month arrives, the next run judges both models on it and keeps the current
    # one unless the new one routes it better (here both route all of it right)
    later = _history(tmp_path / "apr.csv", months=("2018-04",))
    call_command("routing_import_history", str(later), stdout=StringIO())
    fourth = retrain_routing.call()
    assert fourth["examples"] == 108
    assert (fourth["accuracy"], fourth["current_accuracy"]) == (1.0, 1.0)
    assert fourth["replaced"] is False and classifier.current().version == model.version


def test_the_job_is_scheduled_once_a_day():
    job = next(p for p in PERIODIC if p.name == "routing_retrain")
    assert job.task_path == "lapor.routing.tasks.retrain_routing"
    assert job.interval() == 86400 and not job.follows_sweep
