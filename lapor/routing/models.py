from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TrainingExample(models.Model):
    """A past report and the agency that handled it: imported history, the training data of
    the routing model. Officer corrections are read from report events at training time."""

    text = models.TextField(_("teks"))
    label = models.CharField(_("label asli"), max_length=200)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("instansi")
    )
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("kategori asli"), max_length=120, blank=True)
    occurred_at = models.DateTimeField(_("waktu laporan"), null=True, blank=True, db_index=True)
    source = models.CharField(_("sumber"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contoh pelatihan perutean")
        verbose_name_plural = _("contoh pelatihan perutean")

    def __str__(self) -> str:
        return f"{self.label} → {self.agency_id}"


class DuplicateSignature(models.Model):
    """A report's MinHash signature, kept to confirm candidates found through its bands."""

    report = models.OneToOneField(
        "reports.Report", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    signature = models.BinaryField()
    region_code = models.CharField(max_length=13, db_index=True)
    submitted_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"signature of report {self.report_id}"


class DuplicateBand(models.Model):
    """One LSH band key of a report: reports sharing a (band, key) are candidate duplicates,
    found by one indexed lookup whatever the number of stored reports."""

    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="+")
    band = models.PositiveSmallIntegerField()
    key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["band", "key"], name="dup_band_key")]

    def __str__(self) -> str:
        return f"band {self.band} of report {self.report_id}"
