"""Bookkeeping of the background queue that django-tasks-db does not keep itself."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledSlot(models.Model):
    """One run of a periodic job in one time slot. The unique key (name, slot_start) is the
    claim: of all workers that try to insert the same slot, exactly one succeeds and enqueues
    the job, so a periodic job runs at most once per interval however many workers run."""

    name = models.CharField(_("nama tugas"), max_length=64)
    slot_start = models.DateTimeField(_("awal slot"))
    claimed_by = models.CharField(_("diambil oleh worker"), max_length=64)
    claimed_at = models.DateTimeField(_("diambil pada"))
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("slot tugas berkala")
        verbose_name_plural = _("slot tugas berkala")
        constraints = [
            models.UniqueConstraint(fields=["name", "slot_start"], name="jobs_slot_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {self.slot_start.isoformat()}"
