"""Two worker processes draining the webhook queue together on PostgreSQL never send one
delivery twice, and keep each report's messages in order."""

from __future__ import annotations

import time

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from lapor.api.webhooks.models import WebhookDelivery
from lapor.api.webhooks.tasks import deliver_webhooks
from lapor.reports import services
from tests.factories import officer, submit
from tests.jobs.test_worker import _worker

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_workers_never_send_the_same_delivery_twice(kab, unit, endpoint, receiver):
    # Given 20 reports with two messages each, and a receiver that takes a moment to answer
    staff = officer(kab)
    for _ in range(20):
        report = submit().report
        services.report_dispose(report=report, to_agency=kab, actor=None)
        services.report_dispose_unit(report=report, unit=unit, actor=staff)
    assert WebhookDelivery.objects.count() == 40
    receiver.delay = 0.05
    with transaction.atomic():
        for _ in range(6):
            deliver_webhooks.enqueue()  # several jobs, so both workers send at once
    started = time.monotonic()
    # When two worker processes run the queue until it is empty
    workers = [_worker("--worker-id", f"w{n}", "--batch") for n in (1, 2)]
    for w in workers:
        out, _ = w.communicate(timeout=120)
        assert w.returncode == 0, out.decode()
    # Then every message arrived exactly once, each report's in order
    assert time.monotonic() - started < 120
    received = [i for i, _ in receiver.received]
    assert len(received) == len(set(received)) == 40
    assert all(seqs == [2, 3] for seqs in receiver.by_report().values())
    # And both workers sent some
    jobs = DBTaskResult.objects.filter(task_path="lapor.api.webhooks.tasks.deliver_webhooks")
    assert {j.worker_ids[0] for j in jobs if j.return_value} == {"w1", "w2"}
