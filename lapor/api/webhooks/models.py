"""Where a partner wants to hear of events (``WebhookEndpoint``) and each message owed to it
(``WebhookDelivery``, an outbox row written in the same transaction as the event).

Delivery state is integration state: it never touches the report or its citizen-visible status.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapor.reports.lifecycle import Action

# The webhook types and the report actions each one tells of.
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "report.disposed": (Action.DISPOSE, Action.DISPOSE_UNIT, Action.FORWARD),
    "report.reporter_replied": (Action.REPORTER_REPLY,),
    "report.rated": (Action.RATE,),
    "report.reopened": (Action.REOPEN,),
    "report.merged": (Action.MERGE,),
    "report.overdue": (Action.MARK_OVERDUE,),
    "report.escalated": (Action.ESCALATE,),
    "report.privacy_changed": (Action.SET_PRIVACY, Action.PRIVACY_CONSENT, Action.ERASE_IDENTITY),
    "report.completed": (Action.COMPLETE,),
    "report.closed": (Action.AUTO_CLOSE,),
}
TYPE_OF_ACTION: dict[str, str] = {a: t for t, actions in EVENT_TYPES.items() for a in actions}


def all_event_types() -> list[str]:
    return list(EVENT_TYPES)


class WebhookEndpoint(models.Model):
    """A partner's receiving URL. The secret is stored encrypted (``webhooks.signing``) and
    shown to the admin once, when it is made or rotated."""

    partner = models.ForeignKey(
        "api.Partner", on_delete=models.PROTECT, related_name="webhook_endpoints"
    )
    url = models.URLField(_("URL"), max_length=500)
    secret_encrypted = models.TextField()
    event_types = models.JSONField(_("jenis peristiwa"), default=all_event_types)
    is_active = models.BooleanField(_("aktif"), default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    secret_rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook mitra")
        verbose_name_plural = _("webhook mitra")

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One message for one endpoint: its ``webhook_id`` stays the same on every retry, so the
    receiver can drop a repeat. Sent in ``report_seq`` order per report and endpoint."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENDING = "sending", _("Sedang dikirim")
        FAILED = "failed", _("Gagal, akan dicoba lagi")
        DELIVERED = "delivered", _("Terkirim")
        ABANDONED = "abandoned", _("Dihentikan")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.PROTECT, related_name="deliveries"
    )
    report = models.ForeignKey("reports.Report", on_delete=models.PROTECT, related_name="+")
    report_seq = models.PositiveIntegerField()
    event_type = models.CharField(max_length=40)
    webhook_id = models.CharField(max_length=40, unique=True)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pengiriman webhook")
        verbose_name_plural = _("pengiriman webhook")
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "report", "report_seq"], name="webhookdelivery_once"
            ),
        ]
        indexes = [
            # The claim query: the workers' queue, whatever the planner's statistics say.
            models.Index(
                fields=["status", "next_attempt_at"],
                name="webhookdelivery_claim",
                condition=Q(status__in=["pending", "sending", "failed"]),
            ),
            models.Index(fields=["endpoint", "-created_at"], name="webhookdelivery_log"),
            # The claim's walk in its order (``delivery._claim``), stopping at the first due
            # delivery with nothing earlier unfinished for its report (one index probe on
            # the report per candidate).
            models.Index(
                fields=["next_attempt_at", "id"],
                name="webhookdelivery_due",
                condition=Q(status__in=["pending", "failed"]),
            ),
        ]

    def __str__(self) -> str:
        return self.webhook_id
