from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """A topic of the two-level taxonomy (main category → sub-category)."""

    code = models.SlugField(_("kode"), max_length=80, unique=True)
    name = models.CharField(_("nama"), max_length=150)
    name_en = models.CharField(_("nama (Inggris)"), max_length=150, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("kategori induk"),
    )
    keywords = models.JSONField(_("kata kunci"), default=list, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["parent_id", "name"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategori")

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent else self.name  # noqa: RUF001


class SlaPolicy(models.Model):
    """Time limits for one agency and/or category. Rows are never edited: a change is a new
    version, and each report keeps the version that was in force when it was submitted."""

    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sla_policies",
        help_text=_("Kosong berarti berlaku untuk semua instansi."),
        verbose_name=_("instansi"),
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sla_policies",
        help_text=_("Kosong berarti berlaku untuk semua kategori."),
        verbose_name=_("kategori"),
    )
    version = models.PositiveIntegerField(_("versi"), default=1)
    verify_days = models.PositiveSmallIntegerField(
        _("verifikasi dan disposisi (hari kerja)"), default=3
    )
    followup_days = models.PositiveSmallIntegerField(
        _("tindak lanjut instansi (hari kerja)"), default=5
    )
    autoclose_days = models.PositiveSmallIntegerField(
        _("tutup otomatis tanpa tanggapan (hari kerja)"), default=10
    )
    completion_days = models.PositiveSmallIntegerField(
        _("penyelesaian (hari kalender)"), default=60
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        _("eskalasi ke admin nasional setelah terlambat (hari kerja)"), default=3
    )
    appeal_window_days = models.PositiveSmallIntegerField(
        _("batas banding setelah ditutup (hari kerja)"), default=10
    )
    effective_from = models.DateTimeField(_("berlaku sejak"), default=timezone.now)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("dibuat oleh"),
    )
    note = models.CharField(_("catatan"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("kebijakan SLA")
        verbose_name_plural = _("kebijakan SLA")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "category", "version"],
                name="sla_policy_unique_version",
            ),
        ]

    def __str__(self) -> str:
        scope = " / ".join(str(x) for x in (self.agency, self.category) if x) or "nasional"
        return f"SLA {scope} v{self.version}"
