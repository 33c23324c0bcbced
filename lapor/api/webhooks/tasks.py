"""The webhook delivery job: enqueued with the deliveries (same transaction), again at each
retry's time, and periodically by the scheduler as a safety net (``lapor.jobs.scheduler``)."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_webhooks() -> int:
    """Take back deliveries of dead workers, then send what is due; the number attempted."""
    from lapor.api.webhooks.delivery import deliver_due, recover_stale

    recover_stale()
    return deliver_due()
