from django.db import models
from django.utils.translation import gettext_lazy as _


class Attachment(models.Model):
    """A file a reporter or officer attached; type checked by its content, not its name."""

    report = models.ForeignKey(
        "reports.Report", on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(upload_to="attachments/%Y/%m/")
    # A photo's small copy for lists and public pages, stored beside ``file`` when the photo
    # arrives (``core.thumbnails``); served after the same access check as the original.
    thumbnail = models.FileField(max_length=200, blank=True, default="")
    original_name = models.CharField(_("nama berkas"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    is_public = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")

    def __str__(self) -> str:
        return self.original_name
