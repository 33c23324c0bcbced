"""Periodic jobs, enqueued by whichever worker first claims the current time slot.

Every worker calls ``enqueue_due`` on each turn of its loop. Time is cut into slots of
``interval`` seconds (aligned on the Unix epoch, so every worker computes the same slots); the
first worker to insert the (job, slot) row enqueues the job, in the same transaction, and every
other worker's insert hits the unique key and does nothing. A periodic job is thus enqueued at
most once per slot across all workers, and a slot missed while no worker ran is simply skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from lapor.jobs.models import ScheduledSlot

logger = logging.getLogger("lapor.jobs")
KEEP_SLOTS = timedelta(days=7)


@dataclass(frozen=True)
class Periodic:
    name: str
    task_path: str  # dotted path of a django-tasks ``Task``
    interval: Callable[[], int]  # seconds, read from settings at each turn
    # The worker's --sweep-interval (``interval_override``) sets this job's interval too.
    follows_sweep: bool = True


PERIODIC: tuple[Periodic, ...] = (
    Periodic(
        name="sla_sweep",
        task_path="lapor.reports.sweep.sla_sweep",
        interval=lambda: int(settings.LAPOR_SWEEP_INTERVAL_SECONDS),
    ),
    # Band rows of reports no longer open (``routing.bands``): cheap when there are none.
    Periodic(
        name="duplicate_prune",
        task_path="lapor.routing.tasks.prune_duplicate_bands",
        interval=lambda: int(settings.LAPOR_SWEEP_INTERVAL_SECONDS),
    ),
    # Finished job rows past their keep time (``jobs.retention``), once a day.
    Periodic(
        name="job_prune",
        task_path="lapor.jobs.tasks.prune_task_results",
        interval=lambda: 86400,
        follows_sweep=False,
    ),
    # The seal of each finished UTC day's audit chains (``reports.events.seal_days``).
    Periodic(
        name="audit_seal",
        task_path="lapor.reports.sweep.audit_seal",
        interval=lambda: 3600,
        follows_sweep=False,
    ),
    # Contact details of reports finished past CONTACT_RETENTION_DAYS (``privacy.retention``).
    Periodic(
        name="privacy_purge",
        task_path="lapor.privacy.tasks.privacy_purge",
        interval=lambda: 86400,
        follows_sweep=False,
    ),
    # Senders and payloads of inbound channel messages past the same period, channel addresses
    # of erased reporters, finished conversations (``channels.retention``).
    Periodic(
        name="channels_purge",
        task_path="lapor.channels.tasks.channels_purge",
        interval=lambda: 86400,
        follows_sweep=False,
    ),
    # Webhook deliveries whose job is gone or whose worker died (``api.webhooks.delivery``).
    Periodic(
        name="webhook_delivery",
        task_path="lapor.api.webhooks.tasks.deliver_webhooks",
        interval=lambda: int(settings.LAPOR_SWEEP_INTERVAL_SECONDS),
    ),
    # The dashboards' rollups (``analytics.fill``): every event counted within a few minutes.
    Periodic(
        name="analytics_fill",
        task_path="lapor.analytics.tasks.fill_rollups",
        interval=lambda: 120,
        follows_sweep=False,
    ),
    # Early-warning alerts from those rollups (``analytics.alerts``), every hour.
    Periodic(
        name="early_warning",
        task_path="lapor.analytics.tasks.early_warning",
        interval=lambda: 3600,
        follows_sweep=False,
    ),
    # Last month's policy reports, once (``analytics.policy_report.archive``: idempotent).
    Periodic(
        name="policy_reports",
        task_path="lapor.analytics.tasks.policy_reports",
        interval=lambda: 3600,
        follows_sweep=False,
    ),
    # The automation's monthly accounts (``analytics.automation``), once a day.
    Periodic(
        name="automation_accounts",
        task_path="lapor.analytics.tasks.automation_accounts",
        interval=lambda: 86400,
        follows_sweep=False,
    ),
    # Routing retrained on history and the officers' corrections (``routing.tasks``), once a
    # day; the new model is used only when it routes the reports since the last one better.
    Periodic(
        name="routing_retrain",
        task_path="lapor.routing.tasks.retrain_routing",
        interval=lambda: 86400,
        follows_sweep=False,
    ),
)


def slot_start(now: datetime, interval: int) -> datetime:
    """The start of the ``interval``-second slot holding ``now`` (UTC, epoch-aligned)."""
    if interval <= 0:
        raise ValueError("interval must be positive")
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % interval, tz=UTC)


def claim_slot(name: str, start: datetime, *, worker_id: str, task_path: str) -> bool:
    """Insert the (name, slot) row and enqueue ``task_path``, atomically; False if another
    worker already claimed the slot."""
    task = import_string(task_path)
    try:
        with transaction.atomic():
            slot = ScheduledSlot.objects.create(
                name=name,
                slot_start=start,
                claimed_by=worker_id[:64],
                claimed_at=timezone.now(),
            )
            result = task.enqueue()
            slot.task_id = str(result.id)
            slot.save(update_fields=["task_id"])
    except IntegrityError:
        return False
    ScheduledSlot.objects.filter(name=name, slot_start__lt=start - KEEP_SLOTS).delete()
    logger.info("Enqueued %s for slot %s (worker %s)", name, start.isoformat(), worker_id)
    return True


def enqueue_due(
    *,
    worker_id: str,
    now: datetime | None = None,
    jobs: tuple[Periodic, ...] = PERIODIC,
    interval_override: int | None = None,
) -> list[str]:
    """Enqueue every periodic job whose current slot nobody has claimed; the names enqueued."""
    now = now or timezone.now()
    enqueued = []
    for job in jobs:
        interval = (interval_override if job.follows_sweep else None) or job.interval()
        if claim_slot(
            job.name, slot_start(now, interval), worker_id=worker_id, task_path=job.task_path
        ):
            enqueued.append(job.name)
    return enqueued
