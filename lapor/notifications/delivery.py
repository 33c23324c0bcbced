"""Delivering queued notifications, each exactly once as far as we can tell.

A row is claimed before it is sent: locked with SKIP LOCKED (another worker holding it is
skipped, not waited for), moved from PENDING to SENDING and committed; only then is it handed
to the channel's sender. Success makes it SENT; a failure puts it back to PENDING with a
backoff and re-enqueues it, and after ``MAX_ATTEMPTS`` it is FAILED with the last error. A row
left SENDING by a worker that died is put back by ``requeue_stale`` (run by the SLA sweep),
which also re-enqueues PENDING rows nobody is going to send (their job failed or was pruned).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lapor.notifications.models import Notification
from lapor.notifications.senders import PermanentError, Sender, sender_for

logger = logging.getLogger("lapor.notifications")

MAX_ATTEMPTS = 5
# Seconds to wait after the 1st, 2nd, 3rd and 4th failed attempt.
BACKOFF = (60, 300, 900, 3600)
STALE_AFTER = timedelta(minutes=10)
S = Notification.Status


def backoff(attempts: int) -> int:
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


def _claim(pk: int, now: datetime) -> Notification | None:
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, status=S.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if row is None:
            return None
        claimed = Notification.objects.filter(pk=pk, status=S.PENDING).update(
            status=S.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
        if not claimed:
            return None
    row.status = S.SENDING
    row.attempts += 1
    return row


def _sent(row: Notification) -> None:
    Notification.objects.filter(pk=row.pk, status=S.SENDING).update(
        status=S.SENT, sent_at=timezone.now(), last_error="", claimed_at=None
    )


def _failed(row: Notification, exc: Exception, retry: dict[int, list[int]]) -> None:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    now = timezone.now()
    if isinstance(exc, PermanentError) or row.attempts >= MAX_ATTEMPTS:
        Notification.objects.filter(pk=row.pk, status=S.SENDING).update(
            status=S.FAILED, last_error=error, claimed_at=None
        )
        logger.error(
            "Notification %s failed for good after %s attempts: %s", row.pk, row.attempts, error
        )
        return
    delay = backoff(row.attempts)
    Notification.objects.filter(pk=row.pk, status=S.SENDING).update(
        status=S.PENDING,
        last_error=error,
        claimed_at=None,
        next_attempt_at=now + timedelta(seconds=delay),
    )
    retry[delay].append(row.pk)
    logger.warning(
        "Notification %s attempt %s failed, retry in %ss: %s", row.pk, row.attempts, delay, error
    )


def deliver(ids: Iterable[int]) -> int:
    """Send the PENDING notifications among ``ids`` that are due; the number sent."""
    from lapor.notifications.tasks import deliver_notifications

    now = timezone.now()
    senders: dict[str, Sender] = {}
    retry: dict[int, list[int]] = defaultdict(list)
    sent = 0
    for pk in sorted(set(ids)):
        row = _claim(pk, now)
        if row is None:
            continue
        try:
            if row.channel not in senders:
                senders[row.channel] = sender_for(row.channel)
            senders[row.channel].send(row)
        except Exception as exc:
            _failed(row, exc, retry)
        else:
            _sent(row)
            sent += 1
    for delay, pks in retry.items():
        deliver_notifications.using(run_after=now + timedelta(seconds=delay)).enqueue(pks)
    return sent


def requeue_stale(*, now: datetime | None = None, limit: int = 10_000) -> int:
    """Re-enqueue notifications nobody is going to send: PENDING and due for more than
    ``STALE_AFTER`` (their job failed or is gone), or SENDING for that long (their worker died).
    The number re-enqueued."""
    from lapor.notifications.tasks import deliver_notifications

    now = now or timezone.now()
    cutoff = now - STALE_AFTER
    with transaction.atomic():
        stuck = list(
            Notification.objects.filter(status=S.SENDING, claimed_at__lt=cutoff).values_list(
                "pk", flat=True
            )[:limit]
        )
        stale = list(
            Notification.objects.filter(status=S.PENDING, next_attempt_at__lt=cutoff)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        # Pushed forward, so the next sweep does not enqueue them again while they wait.
        Notification.objects.filter(pk__in=stuck, status=S.SENDING).update(
            status=S.PENDING, claimed_at=None, next_attempt_at=now
        )
        Notification.objects.filter(pk__in=stale, status=S.PENDING).update(next_attempt_at=now)
        pks = sorted(set(stuck) | set(stale))
        for i in range(0, len(pks), 100):
            deliver_notifications.enqueue(pks[i : i + 100])
    if pks:
        logger.warning("Re-enqueued %s notifications nobody was sending", len(pks))
    return len(pks)
