"""Webhooks reach the partner's receiver signed, once per message id, in order per report,
through failures and timeouts; a receiver that is gone or keeps failing is switched off and the
national admins hear of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lapor.api.partners import PARTNER_STOPPED, partner_deactivate
from lapor.api.webhooks import delivery
from lapor.api.webhooks.delivery import deliver_due
from lapor.api.webhooks.models import WebhookDelivery
from lapor.api.webhooks.services import delivery_redeliver, endpoint_enable
from lapor.core.errors import ValidationFailed
from lapor.notifications.models import Notification
from lapor.reports import services
from lapor.reports.models import Report
from tests.factories import officer, submit

pytestmark = pytest.mark.django_db
S = WebhookDelivery.Status
TASK = "lapor.api.webhooks.tasks.deliver_webhooks"


def dispose_twice(kab, unit) -> Report:  # type: ignore[no-untyped-def]
    """A report disposed to the partner's agency (seq 2), then to its unit (seq 3)."""
    report = submit().report
    services.report_dispose(report=report, to_agency=kab, actor=None)
    services.report_dispose_unit(report=report, unit=unit, actor=officer(kab))
    return report


def drain(traveller, rounds: int = 12, step: timedelta = timedelta(hours=1)) -> None:  # type: ignore[no-untyped-def]
    """Run the job, move the clock past the next backoff, again, until nothing waits."""
    for _ in range(rounds):
        deliver_due()
        if not WebhookDelivery.objects.filter(status__in=delivery.WAITING).exists():
            return
        traveller.shift(step)


def test_every_event_arrives_once_in_order_through_failures_and_a_timeout(
    kab, unit, endpoint, receiver
):
    # Given three reports disposed to the partner's agency and then to its unit
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        reports = [dispose_twice(kab, unit) for _ in range(3)]
        # And a receiver that fails twice with 500, then hangs past the timeout, then accepts
        receiver.script = ["500", "500", "sleep"]
        # When the delivery job runs as time passes
        drain(traveller)
    # Then every event arrived signed, once per webhook-id, in seq order per report
    assert receiver.bad_signatures == 0
    assert receiver.by_report() == {r.tracking_id: [2, 3] for r in reports}
    ids = [i for i, _ in receiver.accepted]
    assert len(ids) == len(set(ids)) == 6
    # And the message that timed out came again with the same webhook-id (the receiver dropped it)
    received = [i for i, _ in receiver.received]
    assert len(received) > len(set(received))
    assert all(d.status == S.DELIVERED for d in WebhookDelivery.objects.all())
    assert max(WebhookDelivery.objects.values_list("attempts", flat=True)) > 1
    first = receiver.accepted[0][1]
    assert first["type"] == "report.disposed"
    assert first["data"]["agency"] == "pemkab-3321"


def test_a_later_event_waits_for_the_earlier_one_of_the_same_report(kab, unit, endpoint, receiver):
    # Given a report with two events and a receiver failing the first attempt
    report = dispose_twice(kab, unit)
    receiver.script = ["500"]
    # When the job runs once
    deliver_due()
    # Then seq 3 was not sent while seq 2 waits for its retry
    assert [p["data"]["seq"] for _, p in receiver.received] == [2]
    waiting = WebhookDelivery.objects.get(report=report, report_seq=3)
    assert waiting.status == S.PENDING and waiting.attempts == 0
    # And the retry is enqueued for its time
    assert DBTaskResult.objects.filter(task_path=TASK, run_after__isnull=False).exists()


def test_410_gone_disables_the_endpoint_at_once_and_enabling_resumes(
    kab, unit, endpoint, receiver, admin
):
    # Given a receiver that answers 410 Gone
    report = dispose_twice(kab, unit)
    receiver.script = ["410"]
    # When the job runs
    deliver_due()
    # Then the endpoint is disabled and nothing more is sent
    endpoint.refresh_from_db()
    assert not endpoint.is_active and "410" in endpoint.disabled_reason
    assert len(receiver.received) == 1
    assert deliver_due() == 0
    # and its waiting messages are parked out of every worker's claim walk
    waiting = WebhookDelivery.objects.filter(report=report, status__in=[S.PENDING, S.FAILED])
    assert {row.next_attempt_at for row in waiting} == {delivery.PARKED}
    assert not delivery.due(timezone.now() + timedelta(days=365)).filter(report=report).exists()
    # When an admin enables it again
    endpoint_enable(endpoint=endpoint, actor=admin)
    deliver_due()
    # Then the waiting messages arrive, in order
    assert receiver.by_report() == {report.tracking_id: [2, 3]}


def test_persistent_failure_abandons_disables_and_alerts_national_admins(
    kab, unit, endpoint, receiver, admin
):
    # Given a receiver that always fails
    receiver.script = ["500"] * 100
    report = submit().report
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        services.report_dispose(report=report, to_agency=kab, actor=None)
        # When the job keeps trying for about three days
        drain(traveller, rounds=20, step=timedelta(hours=15))
    # Then the delivery is abandoned after every attempt of the schedule
    row = WebhookDelivery.objects.get(report=report)
    assert row.status == S.ABANDONED
    assert row.attempts == delivery.MAX_ATTEMPTS and row.last_status_code == 500
    assert len(receiver.received) == delivery.MAX_ATTEMPTS
    # And the endpoint is disabled, and the national admin is told once
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    alert = Notification.objects.get(kind="webhook_disabled")
    assert alert.recipient == admin.email and "e-LAPOR! Demak" in alert.subject
    # When an admin redelivers it once the partner is fixed
    endpoint_enable(endpoint=endpoint, actor=admin)
    receiver.script = []
    delivery_redeliver(delivery=row, actor=admin)
    deliver_due()
    # Then it arrives with the same webhook-id
    row.refresh_from_db()
    assert row.status == S.DELIVERED
    assert receiver.accepted == [(row.webhook_id, receiver.received[-1][1])]


def test_delivery_rows_roll_back_with_a_failed_transaction(kab, endpoint):
    # Given a report
    report = submit().report
    jobs_before = DBTaskResult.objects.filter(task_path=TASK).count()
    # When its disposition is rolled back after the event was written
    with pytest.raises(RuntimeError), transaction.atomic():
        services.report_dispose(report=report, to_agency=kab, actor=None)
        assert WebhookDelivery.objects.count() == 1
        raise RuntimeError("later step failed")
    # Then no delivery and no job remain
    assert WebhookDelivery.objects.count() == 0
    assert DBTaskResult.objects.filter(task_path=TASK).count() == jobs_before


def test_a_worker_that_died_mid_send_is_taken_over(kab, endpoint, receiver):
    # Given a delivery a dead worker claimed long ago
    report = submit().report
    services.report_dispose(report=report, to_agency=kab, actor=None)
    row = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=row.pk).update(
        status=S.SENDING, claimed_at=timezone.now() - timedelta(hours=1), attempts=1
    )
    # When the periodic job runs
    from lapor.api.webhooks.tasks import deliver_webhooks

    deliver_webhooks.call()
    # Then it is sent, with its own webhook-id
    assert [i for i, _ in receiver.accepted] == [row.webhook_id]


def test_a_deactivated_partner_is_sent_nothing_more_not_even_what_was_queued(
    kab, unit, endpoint, receiver, admin
):
    # Given messages queued for the partner's endpoint, not yet sent
    report = dispose_twice(kab, unit)
    assert WebhookDelivery.objects.filter(report=report, status=S.PENDING).count() == 2
    # When the national admin deactivates the partner
    partner_deactivate(partner=endpoint.partner, actor=admin)
    # Then its endpoint is off, its queued messages are parked, and the job sends nothing
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_reason == PARTNER_STOPPED
    assert set(
        WebhookDelivery.objects.filter(report=report).values_list("next_attempt_at", flat=True)
    ) == {delivery.PARKED}
    assert deliver_due() == 0
    assert receiver.received == []
    # And later events of its agency's reports owe it nothing either
    services.report_dispose(report=submit().report, to_agency=kab, actor=None)
    assert deliver_due() == 0 and receiver.received == []
    # And its endpoint cannot be switched back on while the partner stays deactivated
    with pytest.raises(ValidationFailed):
        endpoint_enable(endpoint=endpoint, actor=admin)
    endpoint.refresh_from_db()
    assert not endpoint.is_active
