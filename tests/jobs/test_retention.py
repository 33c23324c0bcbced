"""Finished job rows are deleted after their keep time; waiting and running ones never."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lapor.jobs.retention import KEEP_FAILED, KEEP_SUCCESSFUL, prune_results
from tests.jobs.tasks import record

pytestmark = pytest.mark.django_db


def _job(status: str, finished_days_ago: float | None) -> str:
    result = record.enqueue("x", "/dev/null")
    finished = None
    if finished_days_ago is not None:
        finished = timezone.now() - timedelta(days=finished_days_ago)
    DBTaskResult.objects.filter(pk=result.id).update(status=status, finished_at=finished)
    return str(result.id)


def _left() -> set[str]:
    return {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)}


def test_old_finished_rows_go_and_the_rest_stays():
    # Given jobs of every kind, on both sides of their keep time
    old_done = _job("SUCCESSFUL", KEEP_SUCCESSFUL.days + 1)
    recent_done = _job("SUCCESSFUL", KEEP_SUCCESSFUL.days - 1)
    failed_keep = _job("FAILED", KEEP_SUCCESSFUL.days + 1)  # failures are kept longer
    failed_old = _job("FAILED", KEEP_FAILED.days + 1)
    waiting = _job("READY", None)
    running = _job("RUNNING", None)
    # When the prune runs, in batches smaller than what it deletes
    assert prune_results(batch=1) == 2
    # Then only the finished rows past their time are gone
    assert _left() == {recent_done, failed_keep, waiting, running}
    assert old_done not in _left() and failed_old not in _left()
    # And a second run finds nothing more
    assert prune_results() == 0


def test_waiting_rows_are_never_pruned_whatever_their_age():
    ready = _job("READY", None)
    DBTaskResult.objects.filter(pk=ready).update(
        enqueued_at=timezone.now() - timedelta(days=400),
        run_after=timezone.now() - timedelta(days=400),
    )
    assert prune_results(now=timezone.now() + timedelta(days=400)) == 0
    assert _left() == {ready}


def test_the_command_says_how_many_rows_it_deleted(capsys):
    _job("SUCCESSFUL", KEEP_SUCCESSFUL.days + 3)
    call_command("jobs_prune")
    assert "Dihapus 1 baris pekerjaan" in capsys.readouterr().out
    assert _left() == set()


def test_the_daily_job_prunes():
    from lapor.jobs.tasks import prune_task_results

    _job("SUCCESSFUL", KEEP_SUCCESSFUL.days + 3)
    assert prune_task_results.call() == 1
