"""The monthly policy report's archive and the automation's own monthly accounts.

Both are written by jobs (``analytics.policy_report``, ``analytics.automation``), never on a
page request; pages read these rows as they are (docs/analytics.md, ADR 0020)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PolicyReport(models.Model):
    """One month's "Suara Rakyat" for the nation (``region`` blank) or a province: the files in
    the default storage, in Bahasa Indonesia and in English. One row per month and region, so
    making it again does nothing (``policy_report.archive.make``)."""

    month = models.DateField()  # the first day of the month
    region = models.CharField(max_length=2, blank=True, default="")
    region_name = models.CharField(max_length=100, blank=True, default="")
    html = models.FileField(max_length=200)
    pdf = models.FileField(max_length=200)
    html_en = models.FileField(max_length=200, blank=True)
    pdf_en = models.FileField(max_length=200, blank=True)
    pdf_pages = models.PositiveSmallIntegerField(default=0)
    # The public reports quoted as examples (ids): re-checked so that a report made rahasia
    # after the month was archived leaves the files (``archive.refresh_hidden``).
    examples = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("laporan kebijakan")
        verbose_name_plural = _("laporan kebijakan")
        constraints = [
            models.UniqueConstraint(fields=["month", "region"], name="analytics_policy_month"),
        ]
        indexes = [models.Index(fields=["-month", "region"], name="analytics_policy_recent")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region or 'nasional'}"

    @property
    def slug(self) -> str:
        return self.region or "nasional"


class AutomationMonth(models.Model):
    """What the routing machine did to the reports submitted in one month (WIB), nationally
    (``province`` blank: rahasia reports included) or in a province (public reports only).
    Raw counts: every page and export shows them through ``analytics.suppress``."""

    month = models.DateField()
    province = models.CharField(max_length=2, blank=True, default="")
    reports = models.PositiveIntegerField(default=0)
    auto_routed = models.PositiveIntegerField(default=0)  # disposed by the router itself
    corrected = models.PositiveIntegerField(default=0)  # of those, later moved by a person
    corrected_not_authority = models.PositiveIntegerField(default=0)
    corrected_forwarded = models.PositiveIntegerField(default=0)
    corrected_redisposed = models.PositiveIntegerField(default=0)
    triaged = models.PositiveIntegerField(default=0)  # sent to the national triage queue
    triage_left = models.PositiveIntegerField(default=0)  # of those, out of it by now
    triage_wait_h = models.FloatField(null=True)  # median hours in triage of triage_left
    merged = models.PositiveIntegerField(default=0)  # merged into another as its duplicate
    flagged = models.PositiveIntegerField(default=0)  # the machine named possible duplicates
    flagged_merged = models.PositiveIntegerField(default=0)
    supports = models.PositiveIntegerField(default=0)  # "Dukung" given in the month
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("akuntabilitas otomasi")
        verbose_name_plural = _("akuntabilitas otomasi")
        constraints = [
            models.UniqueConstraint(fields=["month", "province"], name="analytics_auto_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.province or 'nasional'}"
