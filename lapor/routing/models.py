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
