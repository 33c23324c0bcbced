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
    scheme = models.PositiveSmallIntegerField(default=1)  # minhash.SCHEME it was made with
    # The number of distinct shingles of the text: with the signature, the containment of the
    # shorter of two texts in the longer (minhash.containment).
    shingles = models.PositiveIntegerField(default=0, db_default=0)
    # The kabupaten/kota and kecamatan codes the text names (duplicates.Places.stored).
    places = models.CharField(max_length=200, blank=True, default="")
    region_code = models.CharField(max_length=13, db_index=True)
    submitted_at = models.DateTimeField(db_index=True)

    class Meta:
        # The same-street pass (routing.nearby): one kabupaten/kota's signatures since a date.
        indexes = [
            models.Index(fields=["region_code", "submitted_at"], name="routing_dupsig_region_time")
        ]

    def __str__(self) -> str:
        return f"signature of report {self.report_id}"


class DuplicateBand(models.Model):
    """One LSH band key of a report. The key hashes the band's number, its rows of the
    signature and the report's province, so reports sharing a key are candidate duplicates of
    the same province. The primary key (key, submitted_at, report) is also the lookup index:
    "the newest reports with this key since a date" is one index-only range scan, however
    common the key."""

    pk = models.CompositePrimaryKey("key", "submitted_at", "report")
    key = models.BigIntegerField()
    submitted_at = models.DateTimeField()
    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"band key {self.key} of report {self.report_id}"


class LabelAlias(models.Model):
    """An operator's mapping of a history label onto an agency (``lapor routing
    import-history --aliases FILE``, lines ``label,agency_code``); it wins over every other
    way of matching."""

    key = models.CharField(_("label (dinormalkan)"), max_length=200, unique=True)
    label = models.CharField(_("label"), max_length=200)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="+", verbose_name=_("instansi")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("alias label riwayat")
        verbose_name_plural = _("alias label riwayat")

    def __str__(self) -> str:
        return f"{self.label} → {self.agency_id}"
