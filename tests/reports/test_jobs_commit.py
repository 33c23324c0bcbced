"""A change and the jobs it owes commit together: the routing job of a submit, the delivery job
of a notification. No job for a report that does not exist, no report without its job."""

from __future__ import annotations

import io
import threading

import pytest
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from lapor.core.errors import ValidationFailed
from lapor.jobs.runner import run_pending
from lapor.notifications.models import Notification
from lapor.notifications.services import notify_staff_digest
from lapor.reports.lifecycle import Action, Status
from lapor.reports.models import Report
from lapor.reports.services import Upload
from tests.factories import UserFactory, submit

ROUTE = "lapor.reports.tasks.route_report"
DELIVER = "lapor.notifications.tasks.deliver_notifications"


class Boom(Exception):
    pass


def jobs(path: str) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=path))


def delivered_ids() -> set[int]:
    return {pk for job in jobs(DELIVER) for pk in job.args_kwargs["args"][0]}


@pytest.mark.django_db
def test_a_submit_writes_its_routing_and_delivery_jobs_before_it_returns(
    django_capture_on_commit_callbacks,
):
    # When a guest submits a report, and nothing scheduled for after the commit is run
    with django_capture_on_commit_callbacks(execute=False):
        report = submit().report
        # Then its routing job is already in the queue, waiting for a worker
        [route] = jobs(ROUTE)
        assert route.args_kwargs == {"args": [report.pk], "kwargs": {}}
        assert route.status == "READY"
        # And so is the delivery of the guest's "laporan diterima" message
        note = Notification.objects.get(report=report)
        assert delivered_ids() == {note.pk}


@pytest.mark.django_db
def test_a_submit_that_fails_after_the_enqueue_leaves_neither_report_nor_job(monkeypatch):
    # Given the last write of the submit (the day chain's event) fails, after the enqueue
    def fail(events):  # type: ignore[no-untyped-def]
        raise Boom("disk full")

    monkeypatch.setattr("lapor.reports.services.submit.write_events", fail)
    # When a guest submits
    with pytest.raises(Boom):
        submit()
    # Then nothing of it is left: no report, no message, no job
    assert not Report.objects.exists()
    assert not Notification.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_a_refused_upload_leaves_neither_report_nor_job():
    fake = Upload(name="foto.jpg", content=io.BytesIO(b"MZ\x90\x00 not a picture"))
    with pytest.raises(ValidationFailed):
        submit(attachments=[fake])
    assert not Report.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_a_caller_whose_transaction_rolls_back_takes_the_jobs_with_it():
    # Given a caller (a channel adapter, an import) that submits inside its own transaction
    with pytest.raises(Boom), transaction.atomic():
        submit()
        assert len(jobs(ROUTE)) == 1
        # When it fails after the submit
        raise Boom
    # Then the report and its jobs are gone together
    assert not Report.objects.exists()
    assert not Notification.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_a_notification_and_its_delivery_job_commit_and_roll_back_together():
    report = submit().report
    officer = UserFactory(email="pic@demak.go.id")
    before = DBTaskResult.objects.count()

    def digest() -> list[Notification]:
        return notify_staff_digest(
            kind=Action.MARK_OVERDUE,
            recipients=[officer],
            reports=[report],
            agency_name="Dinas PU Kabupaten Demak",
        )

    # When a digest is written in a transaction that rolls back, neither row stays
    with pytest.raises(Boom), transaction.atomic():
        assert digest()
        raise Boom
    assert not Notification.objects.filter(recipient="pic@demak.go.id").exists()
    assert DBTaskResult.objects.count() == before
    # And when it is written in one that commits, its delivery job is there with it
    with transaction.atomic():
        [note] = digest()
    assert note.pk in delivered_ids()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_jobs_are_written_at_once():
    # Given no transaction around the call (autocommit: a script, a shell)
    assert connection.get_autocommit()
    report = submit().report
    officer = UserFactory(email="pic@demak.go.id")
    [note] = notify_staff_digest(
        kind=Action.MARK_OVERDUE,
        recipients=[officer],
        reports=[report],
        agency_name="Dinas PU Kabupaten Demak",
    )
    # Then the report's routing job and the digest's delivery job are stored
    assert [j.args_kwargs["args"] for j in jobs(ROUTE)] == [[report.pk]]
    assert note.pk in delivered_ids()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_sees_the_routing_job_only_once_the_report_is_committed():
    ran: list[int] = []

    def worker() -> None:  # its own connection, as a worker process has
        try:
            ran.append(run_pending())
        finally:
            connection.close()

    def run_worker() -> int:
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join(timeout=60)
        return ran.pop()

    # Given a submit whose transaction is still open
    with transaction.atomic():
        report = submit().report
        # Then a worker finds nothing to run yet
        assert run_worker() == 0
    # When it commits, the worker finds the routing (and the delivery) and routes the report
    assert run_worker() == 2
    report.refresh_from_db()
    assert report.status in (Status.TRIAGE, Status.DISPOSED)
    assert DBTaskResult.objects.successful().count() == 2
