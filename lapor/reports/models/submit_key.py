from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SubmitKey(models.Model):
    """An idempotency key a caller sent with a submission, and the report it made.

    A caller (``partner:<id>``, ``user:<id>``, ``portal``) that resends the same submission
    with the same key, after a timeout or twice at once, gets the first report back instead of
    a second one (``reports.services.report_submit``). ``request_hash`` is the SHA-256 of the
    submitted fields: the same key with another body is the caller's mistake and is refused."""

    caller = models.CharField(max_length=100)
    key = models.CharField(max_length=200)
    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="submit_keys"
    )
    request_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kunci pengiriman laporan")
        verbose_name_plural = _("kunci pengiriman laporan")
        constraints = [
            models.UniqueConstraint(fields=["caller", "key"], name="submitkey_unique_caller_key")
        ]

    def __str__(self) -> str:
        return f"{self.caller} {self.key}"
