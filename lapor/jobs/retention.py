"""How long finished job rows are kept.

Every submit writes a routing job and every notification a delivery job (``django_tasks_db``'s
``DBTaskResult``); nothing removed them, so the table grew with every report. ``prune_results``
deletes finished rows past their keep time, in batches of short transactions: successful ones
after ``KEEP_SUCCESSFUL``, failed ones after ``KEEP_FAILED`` (longer: they are what an operator
looks into, and the routing safety net counts a report's failed routing jobs), with their lock
deferral counts (``LockDeferral``), the partner API's expired idempotency keys and the
submissions' (``reports.SubmitKey``). Rows
waiting or running are never touched, whatever their age. Run daily by the scheduler
(``jobs.tasks``) and by hand with ``lapor jobs prune``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lapor.jobs.models import LockDeferral

KEEP_SUCCESSFUL = timedelta(days=14)
KEEP_FAILED = timedelta(days=60)
BATCH = 5000


def prune_results(
    *,
    now: datetime | None = None,
    keep_successful: timedelta = KEEP_SUCCESSFUL,
    keep_failed: timedelta = KEEP_FAILED,
    batch: int = BATCH,
) -> int:
    """Delete finished job rows past their keep time; the number deleted. Also drops the
    partner API's ``Idempotency-Key`` records past theirs (``api.partner.idempotency``)."""
    from lapor.api.partner.idempotency import prune as prune_idempotency_keys
    from lapor.reports.services.submit import prune_submit_keys

    now = now or timezone.now()
    prune_idempotency_keys(now=now)
    prune_submit_keys(now=now)
    old = DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - keep_successful)
        | Q(status=TaskResultStatus.FAILED, finished_at__lt=now - keep_failed)
    )
    deleted = 0
    while True:
        ids = list(old.order_by().values_list("pk", flat=True)[:batch])
        if not ids:
            return deleted
        with transaction.atomic():
            LockDeferral.objects.filter(task_id__in=ids).delete()
            count, _ = DBTaskResult.objects.filter(pk__in=ids).delete()
        deleted += count
