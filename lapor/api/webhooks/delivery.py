"""Sending webhook deliveries: each claimed by one worker, in order per report, retried with
backoff for about three days, then abandoned.

A row is claimed before it is sent: locked with SKIP LOCKED (on PostgreSQL; SQLite serialises
writers), moved to SENDING and committed; only then is it POSTed, with no transaction open. So
two workers never send one delivery at once. A worker that dies mid-send leaves the row SENDING;
after ``STALE_AFTER`` the next run takes it back and it is sent again with the same
``webhook-id`` (at least once: receivers drop repeats by that id).

Order: a delivery is not claimed while an earlier one (lower ``report_seq``) of the same report
to the same endpoint is still waiting, failing or being sent; delivered or abandoned lets the
next one go. 2xx is delivered; 410 Gone disables the endpoint at once (the partner said it is
gone); anything else, a timeout included, is retried after ``BACKOFF``; the attempt after the
last backoff failing abandons the delivery, disables the endpoint and alerts the national
admins. Nothing here touches the report: sync state is not the citizen's status."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.db import router, transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from lapor.api.webhooks import signing
from lapor.api.webhooks.models import WebhookDelivery, WebhookEndpoint
from lapor.core.plans import plan_index_only

logger = logging.getLogger("lapor.api.webhooks")

TIMEOUT_SECONDS = 10.0
# Seconds to wait after the 1st, 2nd, ... failed attempt (Standard Webhooks' schedule,
# stretched to about three days): 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, 14 h, 14 h, 14 h.
BACKOFF = (5, 300, 1800, 7200, 18000, 36000, 36000, 50400, 50400, 50400)
MAX_ATTEMPTS = len(BACKOFF) + 1
STALE_AFTER = timedelta(minutes=10)
BATCH = 200  # deliveries per job run; the next run takes the rest
# When the waiting deliveries of a disabled endpoint are due: never, until it is enabled again.
PARKED = datetime(9999, 1, 1, tzinfo=UTC)
S = WebhookDelivery.Status
WAITING = (S.PENDING, S.SENDING, S.FAILED)
FINISHED = (S.DELIVERED, S.ABANDONED)  # with WAITING, every status

ALERT_SUBJECT = "[LAPOR!] Webhook sistem mitra {partner} dinonaktifkan"
ALERT_BODY = (
    "Webhook sistem mitra {partner} ({url}) dinonaktifkan: {reason}\n\n"
    "Pesan untuk mitra ini tertahan sampai webhook diaktifkan kembali. Periksa log pengirimannya "
    "di kantor LAPOR! (menu Sistem mitra), hubungi pengelola sistem mitra, lalu aktifkan kembali."
)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer like any non-2xx: not followed (the body would be lost)."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def backoff(attempts: int) -> int:
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


def due(now: datetime) -> QuerySet[WebhookDelivery]:
    """The deliveries a worker may send now, in the claim's order, locked as read (skipping
    rows another worker holds): due, endpoint active, and nothing earlier of the same report
    to the same endpoint unfinished.

    Read inside ``plan_index_only`` (``_claim``), PostgreSQL walks ``webhookdelivery_due`` in
    that order with one index probe on each candidate's report, stopping at the first,
    whatever its statistics say. With statistics taken while every delivery was delivered,
    the unpinned planner sorted every due row after scanning the whole queue once per row:
    4.2 s a claim with 4,700 due (bench/README.md, webhooks.py)."""
    # "Not finished" rather than "waiting" (the same rows): a condition no partial index
    # holds, so the probe goes through an index on the report (the unique constraint's or the
    # foreign key's), not through a whole partial index thought empty.
    earlier = WebhookDelivery.objects.filter(
        endpoint=OuterRef("endpoint"),
        report=OuterRef("report"),
        report_seq__lt=OuterRef("report_seq"),
    ).exclude(status__in=FINISHED)
    return (
        WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(status__in=[S.PENDING, S.FAILED], next_attempt_at__lte=now)
        .filter(endpoint__is_active=True)
        .exclude(Exists(earlier))
        .order_by("next_attempt_at", "pk")
    )


def _claim(now: datetime) -> WebhookDelivery | None:
    """The first of ``due`` marked SENDING and committed; None when there is none."""
    db = router.db_for_write(WebhookDelivery)
    with transaction.atomic(using=db):
        plan_index_only(db)
        row = due(now).first()
        if row is None:
            return None
        claimed = WebhookDelivery.objects.filter(
            pk=row.pk, status__in=[S.PENDING, S.FAILED]
        ).update(status=S.SENDING, claimed_at=now, attempts=F("attempts") + 1)
        if not claimed:
            return None
    row.status = S.SENDING
    row.attempts += 1
    return row


def _post(row: WebhookDelivery, endpoint: WebhookEndpoint) -> tuple[int | None, str]:
    """POST once: (HTTP status or None, error text or "")."""
    body = json.dumps(row.payload, ensure_ascii=False, separators=(",", ":")).encode()
    if not endpoint.url.startswith(("https://", "http://")):  # checked when set; never file:
        return None, "URL bukan http(s)"
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        endpoint.url,
        data=body,
        method="POST",
        headers=signing.headers(
            secret=signing.decrypt(endpoint.secret_encrypted),
            webhook_id=row.webhook_id,
            at=timezone.now(),
            body=body,
        ),
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code} {exc.reason}"[:2000]
    except (OSError, ValueError) as exc:  # refused, unreachable, timeout, TLS, bad URL
        return None, f"{type(exc).__name__}: {exc}"[:2000]


def park(endpoint_ids: Iterable[int]) -> int:
    """Move the waiting deliveries of disabled endpoints out of the claim's walk (due at
    ``PARKED``, after every real date) until ``endpoint_enable`` makes them due again; how
    many. Left due, they stayed at the head of ``webhookdelivery_due`` and every claim of
    every worker walked past them all."""
    return WebhookDelivery.objects.filter(
        endpoint_id__in=list(endpoint_ids), status__in=[S.PENDING, S.FAILED]
    ).update(next_attempt_at=PARKED)


def _disable(endpoint: WebhookEndpoint, reason: str) -> None:
    """Switch the endpoint off, park its waiting deliveries and, the first time only, alert
    the national admins."""
    with transaction.atomic():
        changed = WebhookEndpoint.objects.filter(pk=endpoint.pk, is_active=True).update(
            is_active=False, disabled_at=timezone.now(), disabled_reason=reason[:300]
        )
        if changed:
            park([endpoint.pk])
            _alert(endpoint, reason)
    logger.error("Webhook endpoint %s disabled: %s", endpoint.pk, reason)


def _alert(endpoint: WebhookEndpoint, reason: str) -> None:
    from lapor.notifications.models import Notification
    from lapor.notifications.services import national_admins, schedule_delivery

    partner = endpoint.partner.name
    rows = []
    for user in national_admins():
        if user.email:
            channel, to = Notification.Channel.EMAIL, user.email
        elif user.phone:
            channel, to = Notification.Channel.SMS, user.phone
        else:
            continue
        body = ALERT_BODY.format(partner=partner, url=endpoint.url, reason=reason)
        rows.append(
            Notification(
                kind="webhook_disabled",
                channel=channel,
                recipient=to,
                subject=ALERT_SUBJECT.format(partner=partner),
                body=body if channel == Notification.Channel.EMAIL else body[:160],
            )
        )
    created = Notification.objects.bulk_create(rows)
    schedule_delivery([n.pk for n in created])


def _record(row: WebhookDelivery, code: int | None, error: str) -> None:
    from lapor.api.webhooks.tasks import deliver_webhooks

    now = timezone.now()
    endpoint = row.endpoint
    mine = WebhookDelivery.objects.filter(pk=row.pk, status=S.SENDING)
    if code is not None and 200 <= code < 300:
        mine.update(
            status=S.DELIVERED,
            delivered_at=now,
            last_status_code=code,
            last_error="",
            claimed_at=None,
        )
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
        return
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    if code == 410:
        # Kept waiting (not counted as an attempt): it goes once the endpoint is enabled again.
        mine.update(
            status=S.FAILED,
            attempts=F("attempts") - 1,
            last_status_code=code,
            last_error=error,
            claimed_at=None,
            next_attempt_at=now,
        )
        _disable(endpoint, "HTTP 410 Gone: penerima menyatakan alamat ini tidak dipakai lagi.")
        return
    if row.attempts >= MAX_ATTEMPTS:
        mine.update(status=S.ABANDONED, last_status_code=code, last_error=error, claimed_at=None)
        _disable(
            endpoint,
            f"pesan {row.webhook_id} gagal {row.attempts} kali selama sekitar tiga hari "
            f"(terakhir: {error}).",
        )
        return
    delay = backoff(row.attempts)
    mine.update(
        status=S.FAILED,
        last_status_code=code,
        last_error=error,
        claimed_at=None,
        next_attempt_at=now + timedelta(seconds=delay),
    )
    deliver_webhooks.using(run_after=now + timedelta(seconds=delay)).enqueue()
    logger.warning(
        "Webhook %s attempt %s failed, retry in %ss: %s", row.pk, row.attempts, delay, error
    )


def recover_stale(*, now: datetime | None = None) -> int:
    """Put back deliveries left SENDING by a worker that died; how many."""
    now = now or timezone.now()
    return WebhookDelivery.objects.filter(
        status=S.SENDING, claimed_at__lt=now - STALE_AFTER
    ).update(status=S.FAILED, claimed_at=None, next_attempt_at=now)


def deliver_due(*, limit: int = BATCH) -> int:
    """Send due deliveries, one claim at a time, until none is left or ``limit``; how many
    were attempted."""
    attempted = 0
    endpoints: dict[int, WebhookEndpoint] = {}
    while attempted < limit:
        row = _claim(timezone.now())
        if row is None:
            break
        attempted += 1
        if row.endpoint_id not in endpoints:
            endpoints[row.endpoint_id] = WebhookEndpoint.objects.select_related("partner").get(
                pk=row.endpoint_id
            )
        row.endpoint = endpoints[row.endpoint_id]
        try:
            code, error = _post(row, row.endpoint)
        except signing.SecretUnreadable as exc:
            code, error = None, f"secret unreadable: {exc}"
        _record(row, code, error)
        if code == 410 or row.attempts >= MAX_ATTEMPTS:
            endpoints.pop(row.endpoint_id, None)
    return attempted
