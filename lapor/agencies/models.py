from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lapor.regions.models import WIB


class AgencyQuerySet(models.QuerySet["Agency"]):
    def subtree_of(self, agency: Agency) -> AgencyQuerySet:
        """The agency and every unit below it."""
        return self.filter(path__startswith=agency.path)


class Agency(models.Model):
    """A node of the national agency tree: a ministry, a regional government, or a unit in it.

    ``path`` is the materialised chain of codes from the root
    (``/kemenpanrb/pemkab-3321/pemkab-3321-dinkes/``), so "everything below this agency" is one
    indexed prefix match. Regional governments are siblings under the root, not regencies under
    their province (see docs/reference-data.md).
    """

    class Kind(models.TextChoices):
        NATIONAL = "nasional", _("Pengelola nasional")
        MINISTRY = "kementerian", _("Kementerian")
        INSTITUTION = "lembaga", _("Lembaga")
        STATE_COMPANY = "bumn", _("BUMN")
        UNIVERSITY = "universitas", _("Perguruan tinggi")
        MISSION = "perwakilan", _("Perwakilan RI di luar negeri")
        PROVINCE = "pemprov", _("Pemerintah provinsi")
        REGENCY = "pemkab", _("Pemerintah kabupaten")
        CITY = "pemkot", _("Pemerintah kota")
        UNIT = "unit", _("Unit kerja")
        GROUP = "kelompok", _("Kelompok")
        IMPORTED = "impor", _("Diimpor")

    code = models.SlugField(_("kode"), max_length=64, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("nama singkat"), max_length=60, blank=True)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices, db_index=True)
    unit_type = models.CharField(_("jenis unit"), max_length=40, blank=True, db_index=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("instansi induk"),
    )
    path = models.CharField(_("jalur pohon"), max_length=600, db_index=True, editable=False)
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
        help_text=_("Wilayah tempat instansi berada atau yang diperintahnya."),
        verbose_name=_("wilayah"),
    )
    timezone = models.CharField(_("zona waktu"), max_length=32, default=WIB)
    aliases = models.JSONField(_("nama lain"), default=list, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    accepts_reports = models.BooleanField(_("menerima laporan"), default=True)
    jurisdiction_regions = models.ManyToManyField(
        "regions.Region",
        blank=True,
        related_name="jurisdiction_agencies",
        verbose_name=_("wilayah kewenangan"),
        help_text=_("Kosong berarti seluruh Indonesia."),
    )
    topics = models.ManyToManyField(
        "categories.Category",
        blank=True,
        related_name="agencies",
        verbose_name=_("topik yang ditangani"),
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        # Prefix matches (``path LIKE '/a/b/%'``) use this index on PostgreSQL whatever the
        # collation; other databases ignore the operator class.
        indexes = [
            models.Index(
                fields=["path"], name="agency_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.path = self.compute_path()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id and self.parent else "/"
        return f"{prefix}{self.code}/"

    def is_within(self, other: Agency) -> bool:
        return self.path.startswith(other.path)

    def top_agency(self) -> Agency:
        """The agency a unit belongs to (itself when it is not a unit)."""
        node: Agency = self
        while node.kind == Agency.Kind.UNIT and node.parent is not None:
            node = node.parent
        return node


class Membership(models.Model):
    """A staff role, scoped to an agency and everything below it."""

    class Role(models.TextChoices):
        NATIONAL_ADMIN = "admin_nasional", _("Admin nasional")
        AGENCY_ADMIN = "admin_instansi", _("Admin instansi")
        UNIT_OFFICER = "pic_unit", _("Admin penghubung / PIC unit")
        INSPECTOR = "inspektur", _("Inspektorat / APIP")
        # A partner system's service account (``api.Partner.user``): it speaks for the agency.
        PARTNER = "mitra", _("Sistem mitra")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("pengguna"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("instansi")
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("keanggotaan staf")
        verbose_name_plural = _("keanggotaan staf")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="membership_unique_role"
            ),
        ]
        indexes = [models.Index(fields=["role"], condition=Q(is_active=True), name="mb_active")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency}"
