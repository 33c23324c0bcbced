"""The partner API's own rows: the reports a partner pushed (its ``external_id``) and the
``Idempotency-Key`` records of its writes (``partner.idempotency``)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import lapor.api.partner.error_codes  # noqa: F401  (registers the partner API's codes)


class PartnerReport(models.Model):
    """A report pushed by a partner, under the partner's own ID for it (one report each)."""

    partner = models.ForeignKey("api.Partner", on_delete=models.PROTECT, related_name="reports")
    report = models.OneToOneField(
        "reports.Report", on_delete=models.PROTECT, related_name="partner_origin"
    )
    external_id = models.CharField(_("ID di sistem mitra"), max_length=100)
    external_url = models.URLField(_("alamat di sistem mitra"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("laporan dari sistem mitra")
        verbose_name_plural = _("laporan dari sistem mitra")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "external_id"], name="partnerreport_external_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner_id}:{self.external_id}"


class IdempotencyRecord(models.Model):
    """One ``Idempotency-Key`` of a partner: inserted ``in_flight`` in its own transaction
    before the work (so a concurrent request with the key, in any process, sees it), then
    ``done`` with the response to replay. Kept ``IDEMPOTENCY_KEY_TTL``, pruned daily."""

    class State(models.TextChoices):
        IN_FLIGHT = "in_flight", _("sedang diproses")
        DONE = "done", _("selesai")

    partner = models.ForeignKey("api.Partner", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=State.choices, default=State.IN_FLIGHT)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    # JSON text, not ``jsonb``: PostgreSQL would reorder the keys and the replay would differ
    response_body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kunci idempotensi")
        verbose_name_plural = _("kunci idempotensi")
        constraints = [
            models.UniqueConstraint(fields=["partner", "key"], name="idempotency_partner_key")
        ]

    def __str__(self) -> str:
        return f"{self.partner_id}:{self.key}"
