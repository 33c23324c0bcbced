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


class LockDeferral(models.Model):
    """How often a queued task was put back because its run hit a database lock
    (``jobs.locks``). Kept apart from ``DBTaskResult.worker_ids``, which count claims: a
    claim that ended in a lock deferral is not a worker that died (``jobs.recovery``).

    No foreign-key constraint and no cascade, so pruning task rows stays a plain DELETE;
    ``jobs.retention`` removes these rows with their task rows."""

    task = models.OneToOneField(
        "django_tasks_database.DBTaskResult",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    count = models.PositiveIntegerField(_("jumlah penundaan"), default=0)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    last_at = models.DateTimeField(_("terakhir ditunda pada"))

    class Meta:
        verbose_name = _("penundaan tugas karena kunci basis data")
        verbose_name_plural = _("penundaan tugas karena kunci basis data")

    def __str__(self) -> str:
        return f"{self.task_id}: {self.count}"
