"""The webhook claim walks the due deliveries' index in its order and checks each candidate's
earlier deliveries by one index probe on its report, whatever PostgreSQL's statistics say: with
statistics taken while every delivery was delivered, then a burst, the unpinned plan sorted
every due row and scanned the whole queue once per row (4.2 s a claim with 4,700 due)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from lapor.api.webhooks import delivery
from lapor.api.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.factories import submit
from tests.plans import autovacuum_off, pinned_plan

TABLE = WebhookDelivery._meta.db_table
S = WebhookDelivery.Status
REPORTS, SEQS = 40, 80  # 3,200 deliveries


def _deliveries(endpoint: WebhookEndpoint, status: str, first_seq: int = 1) -> None:
    now = timezone.now()
    reports = [submit().report for _ in range(REPORTS)]
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                endpoint=endpoint,
                report=report,
                report_seq=seq,
                event_type="report.disposed",
                webhook_id=f"msg_{uuid.uuid4().hex}",
                payload={},
                status=status,
                next_attempt_at=now - timedelta(seconds=seq),
            )
            for report in reports
            for seq in range(first_seq, first_seq + SEQS)
        ],
        batch_size=2000,
    )


def _plan() -> str:
    return pinned_plan(delivery.due(timezone.now())[:1])


@pytest.fixture
def no_autovacuum():  # type: ignore[no-untyped-def]
    with autovacuum_off(TABLE):
        yield


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_claim_walks_the_due_index_with_stale_statistics(no_autovacuum, endpoint):
    # Given statistics taken when every delivery had been delivered, then a burst of due ones
    _deliveries(endpoint, S.DELIVERED)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {TABLE}")
    _deliveries(endpoint, S.PENDING)
    # When the claim's plan is asked for
    plan = _plan()
    # Then it walks the due index in order, looks up each row's report by an index (the
    # unique one or the report's), and sorts nothing
    assert "webhookdelivery_due" in plan and "Anti Join" in plan, plan
    assert "Sort" not in plan and "Seq Scan" not in plan, plan
    conditions = [line for line in plan.splitlines() if "Index Cond" in line]
    assert any("report_id = api_webhookdelivery.report_id" in c for c in conditions), plan


@pytest.mark.django_db(transaction=True)
def test_the_claim_takes_the_oldest_due_delivery_with_nothing_earlier_waiting(endpoint):
    # Given reports with deliveries 1..80 pending, the later ones the longer overdue (so the
    # walk meets every blocked one first)
    _deliveries(endpoint, S.PENDING)
    # When workers claim three times
    claimed = [delivery._claim(timezone.now()) for _ in range(3)]
    # Then each took a first delivery of its report (nothing earlier waiting), oldest first,
    # and the claim's plan settings ended with its transaction
    assert all(row is not None and row.report_seq == 1 for row in claimed)
    assert len({row.report_id for row in claimed if row}) == 3
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_sort")
            assert cursor.fetchone()[0] == "on"
