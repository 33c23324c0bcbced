"""Webhook deliveries that failed and wait for a retry, for Prometheus (lapor.core.metrics,
ADR 0027); counted through the delivery queue's own partial index, up to ``COUNT_CAP``."""

from __future__ import annotations

from lapor.api.webhooks.models import WebhookDelivery
from lapor.core.metrics import register_gauge

COUNT_CAP = 10_000


def failing() -> int:
    rows = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.FAILED)
    return min(rows.values("pk")[: COUNT_CAP + 1].count(), COUNT_CAP)


def register() -> None:
    register_gauge(
        "lapor_webhooks_failing",
        f"Webhook deliveries that failed and wait for a retry (counted up to {COUNT_CAP}).",
        failing,
    )
