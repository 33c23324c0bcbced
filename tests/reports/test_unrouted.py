"""The sweep's safety net for routing: a report still submitted whose routing job is gone (it
failed, its row was pruned) gets a new one; one whose job waits or runs does not get a second."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lapor.reports.lifecycle import Status
from lapor.reports.models import Report
from lapor.reports.sweep import run_sweep
from lapor.reports.tasks import MAX_ROUTE_FAILURES, ROUTE_STALE_AFTER, requeue_unrouted
from tests.factories import submit

pytestmark = pytest.mark.django_db
ROUTE = "lapor.reports.tasks.route_report"
NOW = timezone.now()
LATE = NOW - ROUTE_STALE_AFTER - timedelta(minutes=1)


def routing_jobs(report: Report, status: str | None = None) -> int:
    found = DBTaskResult.objects.filter(task_path=ROUTE, args_kwargs__args__0=report.pk)
    return found.filter(status=status).count() if status else found.count()


def submitted(at=LATE) -> Report:  # type: ignore[no-untyped-def]
    return submit(at=at).report


def lose_job(report: Report) -> None:
    DBTaskResult.objects.filter(task_path=ROUTE, args_kwargs__args__0=report.pk).delete()


def fail_job(report: Report) -> None:
    DBTaskResult.objects.filter(
        task_path=ROUTE, args_kwargs__args__0=report.pk, status="READY"
    ).update(status="FAILED", exception_class_path="django.db.utils.OperationalError")


def test_a_submitted_report_without_a_job_gets_one_once():
    # Given a report submitted 11 minutes ago whose routing job row is gone
    report = submitted()
    lose_job(report)
    # When the sweep runs
    assert run_sweep(now=NOW).routing_requeued == 1
    # Then a routing job waits for it, and the next sweep does not add a second one
    assert routing_jobs(report, "READY") == 1
    assert run_sweep(now=NOW).routing_requeued == 0
    assert routing_jobs(report) == 1


def test_a_report_whose_job_waits_or_runs_gets_no_second_one():
    # Given late reports whose jobs still wait (workers behind) or run right now
    waiting = submitted()
    running = submitted()
    DBTaskResult.objects.filter(args_kwargs__args__0=running.pk, task_path=ROUTE).update(
        status="RUNNING", started_at=NOW
    )
    # Then the safety net leaves them alone
    assert requeue_unrouted(now=NOW) == 0
    assert routing_jobs(waiting) == 1 and routing_jobs(running) == 1


def test_a_fresh_or_routed_report_is_left_alone():
    # Given a report submitted a minute ago, and an old one already in triage, neither with a job
    fresh = submitted(at=NOW - timedelta(minutes=1))
    routed = submitted()
    Report.objects.filter(pk=routed.pk).update(status=Status.TRIAGE)
    lose_job(fresh)
    lose_job(routed)
    # Then neither gets a job
    assert requeue_unrouted(now=NOW) == 0
    assert not DBTaskResult.objects.filter(task_path=ROUTE).exists()


def test_a_failed_routing_is_tried_again_until_it_has_failed_three_times():
    # Given a report whose routing job failed
    report = submitted()
    fail_job(report)
    # When the sweeps run, each one tries again after a failure
    for _ in range(MAX_ROUTE_FAILURES - 1):
        assert requeue_unrouted(now=NOW) == 1
        fail_job(report)
    # Then after the third failure it is left to the national admins' triage queue
    assert routing_jobs(report, "FAILED") == MAX_ROUTE_FAILURES
    assert requeue_unrouted(now=NOW) == 0
    assert routing_jobs(report) == MAX_ROUTE_FAILURES


def test_the_sweep_command_reports_the_requeued_routings(capsys):
    lose_job(submitted(at=timezone.now() - timedelta(hours=1)))
    call_command("sla_sweep")
    assert "       1  laporan diantrekan ulang untuk perutean" in capsys.readouterr().out
