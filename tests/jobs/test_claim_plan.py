"""The job claim walks the waiting jobs' index in the queue's order, whatever the planner's
statistics say (none at all, or taken when the queue was empty), on PostgreSQL's real planner;
and it claims the right job first on every database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lapor.jobs.claim import claim_next, waiting
from tests.plans import autovacuum_off, pinned_plan

TABLE = DBTaskResult._meta.db_table
INDEX = "tasks_db_new_ordering_idx"
WAITING = 6000


def _jobs(count: int, *, status: str = "READY", priority: int = 0) -> None:
    now = timezone.now()
    DBTaskResult.objects.bulk_create(
        [
            DBTaskResult(
                task_path="tests.jobs.tasks.record",
                args_kwargs={"args": [], "kwargs": {}},
                backend_name="default",
                queue_name="default",
                priority=priority,
                status=status,
                run_after=now - timedelta(seconds=i % 50),
            )
            for i in range(count)
        ],
        batch_size=2000,
    )


def _claim_plan() -> str:
    query = waiting(backend_name="default", queue_names=["default"], excluded_queue_names=[])
    return pinned_plan(query.select_for_update(skip_locked=True)[:1])


@pytest.fixture
def no_autovacuum():  # type: ignore[no-untyped-def]
    with autovacuum_off(TABLE):
        yield


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_claim_uses_the_index_with_no_statistics(no_autovacuum):
    # Given thousands of waiting jobs and no statistics ever taken of the table
    _jobs(WAITING)
    # When the claim's plan is asked for
    plan = _claim_plan()
    # Then it walks the waiting jobs' index in order and sorts nothing
    assert INDEX in plan and "Sort" not in plan and "Seq Scan" not in plan, plan


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_claim_uses_the_index_with_stale_statistics(no_autovacuum):
    # Given statistics taken when the queue held a few finished jobs, then a burst of jobs
    _jobs(5, status="SUCCESSFUL")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {TABLE}")
    _jobs(WAITING)
    # When the claim's plan is asked for
    plan = _claim_plan()
    # Then it still walks the index in order and sorts nothing
    assert INDEX in plan and "Sort" not in plan and "Seq Scan" not in plan, plan


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_index_only_settings_end_with_the_claim(no_autovacuum):
    # Given a claim made (its transaction forbade sorts and sequential scans)
    _jobs(3)
    assert claim_next(
        worker_id="w1", backend_name="default", queue_names=["default"], excluded_queue_names=[]
    )
    # Then the worker's next statements plan as usual again
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_sort")
        assert cursor.fetchone()[0] == "on"


@pytest.mark.django_db(transaction=True)
def test_claim_takes_the_most_urgent_job_and_marks_it_running():
    # Given waiting jobs of normal priority, one of high priority, and a finished one
    _jobs(20)
    _jobs(1, priority=10)
    _jobs(1, status="SUCCESSFUL", priority=50)
    # When a worker claims
    row = claim_next(
        worker_id="w1", backend_name="default", queue_names=["*"], excluded_queue_names=[]
    )
    # Then it got the high-priority waiting job, now RUNNING under its name
    assert row is not None and row.priority == 10
    row.refresh_from_db()
    assert row.status == "RUNNING" and row.worker_ids == ["w1"]
    # and the next claim takes a normal one; a queue with no job gives nothing
    nxt = claim_next(
        worker_id="w2", backend_name="default", queue_names=["default"], excluded_queue_names=[]
    )
    assert nxt is not None and nxt.priority == 0
    assert (
        claim_next(
            worker_id="w3", backend_name="default", queue_names=["mail"], excluded_queue_names=[]
        )
        is None
    )


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_churning_tables_have_their_own_vacuum_settings():
    # Given the migrated database, then the job and event tables carry their own settings
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s)",
            [[TABLE, "reports_reportevent", "reports_auditstripehead"]],
        )
        options = {name: set(opts or []) for name, opts in cursor.fetchall()}
    assert "autovacuum_analyze_scale_factor=0.02" in options[TABLE]
    assert "autovacuum_vacuum_insert_scale_factor=0.05" in options["reports_reportevent"]
    assert "fillfactor=50" in options["reports_auditstripehead"]
