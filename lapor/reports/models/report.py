from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lapor.reports.lifecycle import CLOCK_RUNS, OPEN, Status

if TYPE_CHECKING:
    from lapor.agencies.models import Agency

# Finished for good (no officer acts on them any more), and still holding the reporter's name
# or contact details: what the retention purge erases once the period has passed (UU PDP).
RETAINED = (Status.COMPLETED, Status.CLOSED, Status.ARCHIVED, Status.MERGED)
CONTACT_KEPT = Q(status__in=RETAINED) & (
    ~Q(contact_name="") | ~Q(contact_email="") | ~Q(contact_phone="")
)


class Report(models.Model):
    """A citizen's report: the aggregate every action works on through ``reports.services``."""

    class Type(models.TextChoices):
        PENGADUAN = "pengaduan", _("Pengaduan")
        ASPIRASI = "aspirasi", _("Aspirasi")
        INFORMASI = "informasi", _("Permintaan informasi")

    class Channel(models.TextChoices):
        WEB = "web", _("Situs web")
        APP = "app", _("Aplikasi")
        SMS = "sms", _("SMS")
        EMAIL = "email", _("Surel")
        SOCIAL = "social", _("Media sosial")
        PARTNER = "partner", _("Sistem mitra")
        API = "api", _("API")
        WHATSAPP = "whatsapp", _("WhatsApp")
        LOKET = "loket", _("Loket layanan")
        TELEPON = "telepon", _("Telepon (pusat panggilan)")

    tracking_id = models.CharField(_("nomor pelacakan"), max_length=12, unique=True)
    guest_secret_hash = models.CharField(
        _("hash kode rahasia tamu"), max_length=64, blank=True, editable=False
    )
    type = models.CharField(_("jenis"), max_length=12, choices=Type.choices)
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi laporan"))
    category = models.ForeignKey(
        "categories.Category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("kategori"),
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("wilayah"),
    )
    latitude = models.DecimalField(
        _("garis lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("garis bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    incident_date = models.DateField(_("tanggal kejadian"), null=True, blank=True)
    # Privacy: the safe choice is the default, and ``reports.privacy`` is the one place that
    # decides what the public and the agency may see.
    is_anonymous = models.BooleanField(_("anonim"), default=True)
    is_confidential = models.BooleanField(_("rahasia"), default=True)

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("akun pelapor"),
    )
    contact_name = models.CharField(_("nama pelapor"), max_length=120, blank=True)
    contact_email = models.EmailField(_("surel pelapor"), blank=True)
    contact_phone = models.CharField(_("telepon pelapor"), max_length=32, blank=True)
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    # UU PDP: the version of the privacy notice the reporter accepted by submitting, and when
    # their identity (name, e-mail, phone) was erased, at their request or by retention.
    consent_version = models.CharField(_("versi kebijakan privasi"), max_length=20, blank=True)
    identity_erased_at = models.DateTimeField(_("identitas dihapus pada"), null=True, blank=True)

    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    status_before = models.CharField(
        _("status sebelum ditunda"), max_length=20, choices=Status.choices, blank=True
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("instansi"),
    )
    unit = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="unit_reports",
        verbose_name=_("unit kerja"),
    )
    sla_policy = models.ForeignKey(
        "categories.SlaPolicy", on_delete=models.PROTECT, verbose_name=_("kebijakan SLA")
    )
    # The agency the citizen named on the form (optional). Routing checks it and may correct
    # it; what it decided and why (``routing.requested.Decision.as_data``) is kept here for the
    # track page and in the disposition event's data for the audit trail.
    requested_agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requested_reports",
        verbose_name=_("instansi pilihan pelapor"),
    )
    requested_decision = models.JSONField(
        _("keputusan atas instansi pilihan"), default=dict, blank=True
    )

    submitted_at = models.DateTimeField(_("dikirim"))
    updated_at = models.DateTimeField(_("diperbarui"))
    disposed_at = models.DateTimeField(_("didisposisikan"), null=True, blank=True)
    answered_at = models.DateTimeField(_("dijawab"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)

    # The running SLA deadline of the current status (null while the clock is paused).
    due_at = models.DateTimeField(_("batas waktu"), null=True, blank=True)
    verify_due_at = models.DateTimeField(_("batas verifikasi"), null=True, blank=True)
    followup_due_at = models.DateTimeField(_("batas tindak lanjut"), null=True, blank=True)
    completion_due_at = models.DateTimeField(_("batas penyelesaian"), null=True, blank=True)
    autoclose_at = models.DateTimeField(_("ditutup otomatis pada"), null=True, blank=True)
    hold_until = models.DateTimeField(_("ditunda sampai"), null=True, blank=True)
    overdue_since = models.DateTimeField(_("terlambat sejak"), null=True, blank=True)
    escalate_at = models.DateTimeField(_("dieskalasi pada"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("tingkat eskalasi"), default=0)

    rating = models.PositiveSmallIntegerField(_("nilai"), null=True, blank=True)
    rated_at = models.DateTimeField(_("dinilai"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("jumlah banding"), default=0)
    archive_reason = models.TextField(_("alasan pengarsipan"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
        verbose_name=_("digabung ke"),
    )
    support_count = models.PositiveIntegerField(_("jumlah dukungan"), default=0)

    # Head of the report's tamper-evident event chain.
    event_count = models.PositiveIntegerField(_("jumlah riwayat"), default=0)
    last_event_hash = models.CharField(_("hash riwayat terakhir"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="report_status_sub"),
            models.Index(fields=["agency", "status", "due_at"], name="report_agency_queue"),
            models.Index(fields=["region", "submitted_at"], name="report_region_sub"),
            models.Index(fields=["category", "submitted_at"], name="report_category_sub"),
            models.Index(
                fields=["due_at"],
                name="report_clock_due",
                condition=Q(status__in=sorted(CLOCK_RUNS), overdue_since__isnull=True),
            ),
            models.Index(
                fields=["escalate_at"],
                name="report_escalate_due",
                condition=Q(status__in=sorted(CLOCK_RUNS), escalation_level__lt=2),
            ),
            models.Index(
                fields=["autoclose_at"],
                name="report_autoclose_due",
                condition=Q(status=Status.ANSWERED),
            ),
            models.Index(
                fields=["hold_until"], name="report_hold_due", condition=Q(status=Status.ON_HOLD)
            ),
            # The officers' queues, sorted by due date: national triage, and by status.
            models.Index(
                fields=["due_at", "id"],
                name="report_triage_due",
                condition=Q(status__in=[Status.SUBMITTED, Status.TRIAGE]),
            ),
            models.Index(fields=["status", "due_at", "id"], name="report_status_due"),
            models.Index(
                fields=["submitted_at"],
                name="report_public_recent",
                condition=Q(is_confidential=False),
            ),
            # The retention purge's search (``services.personal_data``): only finished reports
            # still holding contact details are in it, so it stays small however many are kept.
            models.Index(fields=["closed_at"], name="report_contact_kept", condition=CONTACT_KEPT),
            # The public map's box (``portal.map``): only public reports with a point.
            models.Index(
                fields=["latitude", "longitude"],
                name="report_public_point",
                condition=Q(is_confidential=False, latitude__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="report_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.MERGED) | Q(merged_into__isnull=False),
                name="report_merged_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_id} · {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def handling_agency(self) -> Agency | None:
        return self.unit or self.agency


class Supporter(models.Model):
    """A citizen who joined a report: by "dukung", or whose duplicate was merged into it.
    Supporters hear only what the public page shows, only while the report is public, and a
    guest only after confirming their address (``confirmed_at``, double opt-in)."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="supporters")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=32, blank=True)
    source_report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Double opt-in: a guest's address receives nothing until the link sent to it is opened.
    # Accounts and merged reporters (whose address was proven before) are confirmed at once.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirm_token_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("pendukung")
        verbose_name_plural = _("pendukung")
        constraints = [
            # A contact supports a report once.
            models.UniqueConstraint(
                fields=["report", "user"],
                condition=Q(user__isnull=False),
                name="supporter_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["report", "contact_email"],
                condition=~Q(contact_email=""),
                name="supporter_once_per_email",
            ),
            models.UniqueConstraint(
                fields=["report", "contact_phone"],
                condition=~Q(contact_phone=""),
                name="supporter_once_per_phone",
            ),
        ]

    def __str__(self) -> str:
        return f"pendukung {self.report_id}"
