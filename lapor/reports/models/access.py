from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessRecord(models.Model):
    """Somebody read a reporter's personal data or a confidential part of a report.

    Reading is not a change of the report, so it is not a ``ReportEvent`` and takes no lock on
    the audit chain; the reporter can list who, at which agency, looked at what (UU PDP)."""

    class Kind(models.TextChoices):
        CONTACT = "contact", _("Data kontak pelapor dilihat")
        ATTACHMENT = "attachment", _("Lampiran laporan rahasia dibuka")
        CONFIDENTIAL = "confidential", _("Laporan rahasia dibuka")
        EXPORT = "export", _("Data pribadi diunduh pelapor")

    report = models.ForeignKey(
        "reports.Report", on_delete=models.PROTECT, related_name="access_records"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    attachment = models.ForeignKey(
        "reports.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("catatan akses data pribadi")
        verbose_name_plural = _("catatan akses data pribadi")
        indexes = [models.Index(fields=["report", "created_at"], name="access_report_at")]

    def __str__(self) -> str:
        return f"{self.kind} {self.report_id}"
