from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An outgoing message, written in the same transaction as the change it tells of and
    delivered by a background job after commit (an outbox: a crash never loses one)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Surel")
        SMS = "sms", _("SMS")
        WHATSAPP = "whatsapp", _("WhatsApp")

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENDING = "sending", _("Sedang dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    report = models.ForeignKey(
        "reports.Report",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
        verbose_name=_("laporan"),
    )
    kind = models.CharField(_("jenis pesan"), max_length=32)
    channel = models.CharField(_("kanal"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("penerima"), max_length=254)
    subject = models.CharField(_("subjek"), max_length=200, blank=True)
    body = models.TextField(_("isi"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("jumlah percobaan"), default=0)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)
    # Not before this moment: the backoff after a failed attempt.
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), default=timezone.now)
    # When a worker took the row for sending (status SENDING); a row SENDING for long
    # belongs to a worker that died, and the sweep puts it back.
    claimed_at = models.DateTimeField(_("diambil pekerja"), null=True, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="notification_waiting",
                condition=Q(status__in=["pending", "sending"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient}: {self.kind}"
