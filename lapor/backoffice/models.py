from django.db import models
from django.utils.translation import gettext_lazy as _


class LoginLock(models.Model):
    """Failed staff sign-ins (back office and admin) of one existing account from one client
    address; too many in a row lock that account *from that address* for a while, so an
    outsider cannot lock an officer out. Rows are written only for existing accounts and
    pruned once their lock has passed (``backoffice.access``)."""

    username = models.CharField(_("nama pengguna"), max_length=150)
    source = models.CharField(_("alamat asal"), max_length=45, default="")
    failures = models.PositiveSmallIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True, db_index=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("penguncian masuk petugas")
        verbose_name_plural = _("penguncian masuk petugas")
        constraints = [
            models.UniqueConstraint(fields=["username", "source"], name="login_lock_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.username} @ {self.source} ({self.failures})"


class AnswerTemplate(models.Model):
    """A reusable follow-up text; national (no agency) or of an agency and its units."""

    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answer_templates",
        verbose_name=_("instansi"),
        help_text=_("Kosong berarti dapat dipakai semua instansi."),
    )
    title = models.CharField(_("judul"), max_length=120)
    body = models.TextField(_("isi jawaban"))
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("templat jawaban")
        verbose_name_plural = _("templat jawaban")

    def __str__(self) -> str:
        return self.title
