from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoLoad(models.Model):
    """One run of ``lapor demo load``: its presence tells a second run that the demo data
    already exists."""

    created_at = models.DateTimeField(auto_now_add=True)
    reports = models.PositiveIntegerField()
    # How many reports this batch was asked for (a few merge attempts may come out short).
    requested = models.PositiveIntegerField(default=0)
    events = models.PositiveIntegerField()
    seed = models.IntegerField()
    seconds = models.FloatField()

    class Meta:
        verbose_name = _("muatan data demo")
        verbose_name_plural = _("muatan data demo")

    def __str__(self) -> str:
        return f"demo {self.created_at:%Y-%m-%d %H:%M} ({self.reports} laporan)"
