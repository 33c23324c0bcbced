"""What the channels keep: every inbound message as it arrived, the link from a report to the
channel and address it came from, and the short conversations that gather what a report needs.

A conversation's state is its own; it never lives in the report's status (docs/channels.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Surel")
    WHATSAPP = "whatsapp", _("WhatsApp")
    LOKET = "loket", _("Loket layanan")
    TELEPON = "telepon", _("Telepon (pusat panggilan)")


class InboundMessage(models.Model):
    """One message a provider delivered, stored raw before it is parsed, in the same
    transaction as everything it causes. A provider's retry carries the same message ID and is
    acknowledged without effect (unique per channel)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Diterima")
        PROCESSED = "processed", _("Diproses")
        FAILED = "failed", _("Gagal diproses")
        IGNORED = "ignored", _("Diabaikan")
        LIMITED = "limited", _("Melebihi batas kiriman")

    channel = models.CharField(max_length=10, choices=Channel.choices)
    provider = models.CharField(max_length=20)
    provider_message_id = models.CharField(max_length=255)
    sender = models.CharField(max_length=254, blank=True)
    # As it came: text (a JSON payload), or bytes (raw MIME, a delivery that could not be
    # read) where text could not hold it (PostgreSQL text refuses NUL bytes).
    payload = models.TextField(blank=True)
    payload_raw = models.BinaryField(blank=True, default=b"")
    headers = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)
    report = models.ForeignKey(
        "reports.Report",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("pesan masuk")
        verbose_name_plural = _("pesan masuk")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "provider_message_id"], name="inbound_once_per_channel"
            ),
        ]
        indexes = [
            models.Index(fields=["channel", "sender", "received_at"], name="inbound_by_sender"),
            models.Index(
                fields=["received_at"], name="inbound_failed", condition=Q(status="failed")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.provider_message_id} ({self.status})"


class ChannelReport(models.Model):
    """The channel a report came in by (the same value as the report's own ``channel``), and
    the address answers go back to."""

    report = models.OneToOneField(
        "reports.Report", on_delete=models.PROTECT, related_name="channel_link"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    address = models.CharField(max_length=254, blank=True)
    inbound = models.ForeignKey(
        InboundMessage, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The officer who recorded a walk-in or call-centre report for the citizen.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("kanal laporan")
        verbose_name_plural = _("kanal laporan")
        indexes = [models.Index(fields=["channel", "address"], name="channel_report_addr")]

    def __str__(self) -> str:
        return f"{self.channel} {self.report_id}"


class Conversation(models.Model):
    """A short exchange with one sender that gathers what a report needs (what happened,
    where, the privacy choice, a confirmation), kept apart from any report's status."""

    class Step(models.TextChoices):
        WHAT = "what", _("Menunggu cerita kejadian")
        WHERE = "where", _("Menunggu lokasi")
        PRIVACY = "privacy", _("Menunggu pilihan privasi")
        CONFIRM = "confirm", _("Menunggu konfirmasi")
        DONE = "done", _("Selesai")
        CANCELLED = "cancelled", _("Dibatalkan")

    channel = models.CharField(max_length=10, choices=Channel.choices)
    sender = models.CharField(max_length=254)
    step = models.CharField(max_length=10, choices=Step.choices)
    data = models.JSONField(default=dict, blank=True)
    report = models.ForeignKey(
        "reports.Report", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("percakapan kanal")
        verbose_name_plural = _("percakapan kanal")
        constraints = [
            # One open conversation per sender and channel.
            models.UniqueConstraint(
                fields=["channel", "sender"],
                condition=~Q(step__in=["done", "cancelled"]),
                name="conversation_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.step}"


class SmsPart(models.Model):
    """One part of a concatenated SMS a gateway delivered on its own; the message is acted on
    once every part of it has arrived."""

    sender = models.CharField(max_length=32)
    reference = models.CharField(max_length=32)
    total = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    inbound = models.ForeignKey(InboundMessage, on_delete=models.CASCADE, related_name="+")
    received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "reference", "total", "number"], name="sms_part_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.number}/{self.total}"
