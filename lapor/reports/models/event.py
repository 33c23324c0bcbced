from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lapor.reports.lifecycle import Action, Status


class AppendOnlyError(Exception):
    """History rows are never edited or deleted."""


class EventQuerySet(models.QuerySet["ReportEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("report events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("report events are append-only")


class ReportEvent(models.Model):
    """One thing that happened to a report. Append-only and hash-chained twice: per report
    (``seq``/``prev_hash``/``hash``) and per UTC day across the platform, in one of the day's
    striped chains (``stripe``/``day_seq``/``day_hash``, ADR 0015), so an edited, removed or
    inserted row is detectable (``lapor audit verify``).
    """

    report = models.ForeignKey(
        "reports.Report", on_delete=models.PROTECT, related_name="events", verbose_name=_("laporan")
    )
    seq = models.PositiveIntegerField(_("urutan"))
    action = models.CharField(_("tindakan"), max_length=24, choices=Action.choices)
    from_status = models.CharField(
        _("status sebelum"), max_length=20, choices=Status.choices, blank=True
    )
    to_status = models.CharField(
        _("status sesudah"), max_length=20, choices=Status.choices, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pelaku"),
    )
    actor_role = models.CharField(_("peran pelaku"), max_length=20, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("instansi"),
    )
    message = models.TextField(_("pesan"), blank=True)
    is_internal = models.BooleanField(_("internal"), default=False)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("waktu"))
    prev_hash = models.CharField(_("hash sebelumnya"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)
    day = models.DateField(_("hari"))
    # Which of the day's chains (``reports.events.STRIPES``); ``day_seq`` counts within it.
    stripe = models.PositiveSmallIntegerField(_("lajur"), default=0, db_default=0)
    day_seq = models.PositiveIntegerField(_("urutan harian"))
    day_hash = models.CharField(_("hash harian"), max_length=64)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("riwayat laporan")
        verbose_name_plural = _("riwayat laporan")
        ordering = ["report_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["report", "seq"], name="event_report_seq"),
            models.UniqueConstraint(
                fields=["day", "stripe", "day_seq"], name="event_day_stripe_seq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("report events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("report events are append-only")


class AuditStripeHead(models.Model):
    """The head of one of a UTC day's striped event chains. A transaction locks at most one
    stripe head, after every report row it changes (``core.locks``); writers of other stripes
    do not wait for it (ADR 0015)."""

    day = models.DateField()
    stripe = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("kepala rantai audit harian")
        verbose_name_plural = _("kepala rantai audit harian")
        constraints = [
            models.UniqueConstraint(fields=["day", "stripe"], name="audit_stripe_head_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.day}/{self.stripe} ({self.count})"


class AuditDayHead(models.Model):
    """The seal of one UTC day: the heads of its striped chains (``stripes``: stripe ->
    [count, last_hash]) hashed together into ``last_hash`` once the day is over
    (``reports.events.seal_days``); ``count`` is the events sealed. The day's one head to
    publish outside the database (docs/audit.md)."""

    day = models.DateField(primary_key=True)
    count = models.PositiveIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)
    stripes = models.JSONField(default=dict, blank=True)
    sealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("segel rantai audit harian")
        verbose_name_plural = _("segel rantai audit harian")

    def __str__(self) -> str:
        return f"{self.day} ({self.count})"
