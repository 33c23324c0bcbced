"""Rollups of the report events (docs/analytics.md, ADR 0017).

``ReportFact`` is each report's state as the events processed so far describe it; ``DailyCount``
and ``CurrentCount`` are the sums of every fact's contributions. The fill (``analytics.fill``)
moves all three and the ``FillCursor`` rows forward in one transaction per batch, so the counts
always equal the facts of exactly the events the cursors cover."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FillCursor(models.Model):
    """How far the fill has read one of a UTC day's striped event chains: the events of
    ``day`` and ``stripe`` with ``day_seq <= seq`` are counted. A chain's sequence is gap-free and
    assigned under its head's row lock, committed with it, so every event up to a committed head
    count is visible and none can appear below it later (``reports.events``, ADR 0015)."""

    day = models.DateField()
    stripe = models.PositiveSmallIntegerField(default=0)
    seq = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("kursor rekap")
        verbose_name_plural = _("kursor rekap")
        constraints = [
            models.UniqueConstraint(fields=["day", "stripe"], name="analytics_cursor_key"),
        ]

    def __str__(self) -> str:
        return f"{self.day}/{self.stripe} #{self.seq}"


class ReportFact(models.Model):
    """One report as the counted events describe it: the dimensions it is counted under now and
    the milestones its durations are measured from. Never shown to anyone."""

    report_id = models.BigIntegerField(primary_key=True)
    seq = models.PositiveIntegerField(default=0)  # the report's last event applied
    province = models.CharField(max_length=2, blank=True)
    kabkota = models.CharField(max_length=5, blank=True)
    agency = models.BigIntegerField(default=0)
    category = models.BigIntegerField(default=0)
    type = models.CharField(max_length=12, blank=True)
    channel = models.CharField(max_length=10, blank=True)
    confidential = models.BooleanField(default=True)
    status = models.CharField(max_length=20, blank=True)
    submitted_at = models.DateTimeField()
    first_answer_at = models.DateTimeField(null=True)
    answered_in_sla = models.BooleanField(default=False)
    finished_at = models.DateTimeField(null=True)
    rated_at = models.DateTimeField(null=True)
    rating = models.PositiveSmallIntegerField(null=True)
    reopened = models.BooleanField(default=False)
    not_authority = models.BooleanField(default=False)
    overdue = models.BooleanField(default=False)
    was_overdue = models.BooleanField(default=False)  # overdue at some point before an answer

    class Meta:
        verbose_name = _("fakta laporan")
        verbose_name_plural = _("fakta laporan")

    def __str__(self) -> str:
        return f"fakta {self.report_id}"


class _Dimensions(models.Model):
    # "" / 0 mean "not broken down": a rahasia report is counted with every dimension blank,
    # in the national totals only (ADR 0017).
    province = models.CharField(max_length=2, blank=True, default="")
    kabkota = models.CharField(max_length=5, blank=True, default="")
    agency = models.BigIntegerField(default=0)
    category = models.BigIntegerField(default=0)
    type = models.CharField(max_length=12, blank=True, default="")
    channel = models.CharField(max_length=10, blank=True, default="")
    metric = models.CharField(max_length=16)
    bucket = models.SmallIntegerField(default=0)
    value = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


DIMENSIONS = ("province", "kabkota", "agency", "category", "type", "channel", "metric", "bucket")


class DailyCount(_Dimensions):
    """A flow per UTC day: reports submitted, first answered, finished, rated, and so on."""

    day = models.DateField()

    class Meta:
        verbose_name = _("rekap harian")
        verbose_name_plural = _("rekap harian")
        constraints = [
            models.UniqueConstraint(fields=["day", *DIMENSIONS], name="analytics_daily_key"),
        ]
        indexes = [
            models.Index(fields=["metric", "day"], name="analytics_daily_metric"),
            models.Index(fields=["province", "metric", "day"], name="analytics_daily_prov"),
            models.Index(fields=["kabkota", "metric", "day"], name="analytics_daily_kab"),
            models.Index(fields=["agency", "metric", "day"], name="analytics_daily_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.metric}={self.value}"


class CurrentCount(_Dimensions):
    """A stock as of the last event counted: reports open, overdue, finished."""

    class Meta:
        verbose_name = _("rekap saat ini")
        verbose_name_plural = _("rekap saat ini")
        constraints = [
            models.UniqueConstraint(fields=list(DIMENSIONS), name="analytics_current_key"),
        ]

    def __str__(self) -> str:
        return f"{self.metric}={self.value}"


class MonthStock(models.Model):
    """An agency's open backlog as a month ended: the open and overdue public reports disposed to
    it, as the first fill after the month counted them (``analytics.stocks``). Agency 0 holds the
    national total. The index trend's backlog component reads it; the rollups hold the stock
    only as of now, and a rebuild cannot make past months' again, so a rebuild keeps these."""

    month = models.DateField()  # the first day of the month that ended (WIB)
    agency = models.BigIntegerField(default=0)
    metric = models.CharField(max_length=16)
    value = models.BigIntegerField(default=0)
    taken_at = models.DateTimeField()

    class Meta:
        verbose_name = _("tunggakan akhir bulan")
        verbose_name_plural = _("tunggakan akhir bulan")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "agency", "metric"], name="analytics_month_stock_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.agency} {self.metric}={self.value}"


class Alert(models.Model):
    """One early-warning episode of a kabupaten/kota x category: opened by the first alarming
    day, extended by each alarming day within ``alerts.GAP_DAYS`` of the last, so the hourly
    run raises one alert per episode, not one per hour or per day."""

    class Kind(models.TextChoices):
        REGION = "wilayah", _("Wilayah dan kategori")
        AGENCY = "instansi", _("Instansi")
        TOPIC = "topik", _("Topik baru")

    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.REGION)
    # A kabupaten/kota (or, for a topic, a province) code; blank for an agency's series.
    kabkota = models.CharField(max_length=5, blank=True)
    category = models.BigIntegerField(default=0)
    agency = models.BigIntegerField(default=0)
    terms = models.CharField(max_length=300, blank=True)  # a topic's stems, "; "-separated
    samples = models.JSONField(default=list, blank=True)  # report ids; shown through privacy
    started_on = models.DateField()
    last_seen_on = models.DateField()
    count = models.PositiveIntegerField()  # reports on the last alarming day
    expected = models.FloatField()
    peak = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("peringatan dini")
        verbose_name_plural = _("peringatan dini")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "kabkota", "category", "agency", "started_on"],
                name="analytics_alert_episode_kind",
            ),
        ]
        indexes = [models.Index(fields=["-last_seen_on"], name="analytics_alert_recent")]

    def __str__(self) -> str:
        return f"{self.kind} {self.kabkota}/{self.category}/{self.agency} {self.started_on}"


class TermCount(models.Model):
    """How many public reports submitted on a WIB day in a kabupaten/kota contain a term (a
    stem, or two stems in a row), for the emerging-topic test (``analytics.topics``). Rahasia
    reports are never counted; a day is recounted while it may still change."""

    day = models.DateField()
    kabkota = models.CharField(max_length=5)
    term = models.CharField(max_length=61)
    value = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("hitungan istilah")
        verbose_name_plural = _("hitungan istilah")
        constraints = [
            models.UniqueConstraint(fields=["day", "kabkota", "term"], name="analytics_term_key"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kabkota} {self.term}={self.value}"


class TermDay(models.Model):
    """A WIB day whose ``TermCount`` rows are written, and when: a day counted after it ended
    (plus a margin for late commits) is final."""

    day = models.DateField(primary_key=True)
    counted_at = models.DateTimeField()

    class Meta:
        verbose_name = _("hari istilah")
        verbose_name_plural = _("hari istilah")

    def __str__(self) -> str:
        return f"{self.day} @ {self.counted_at}"


# The policy report archive and the automation accounts (ADR 0020), in their own module.
from lapor.analytics.report_models import AutomationMonth, PolicyReport  # noqa: E402, F401


class ScopeCount(models.Model):
    """The counts a dashboard page reads, summed per scope (``analytics.facts.scope_keys``):
    per month (``grain`` "m"), per day for submissions by category ("d") and as a stock ("s",
    ``day`` 1970-01-01). Written by the fill in the same transaction as ``DailyCount`` and
    ``CurrentCount``, so a page reads a few thousand rows whatever the number of reports."""

    scope = models.CharField(max_length=24)  # "n", "p:<code>", "k:<code>", "a:<agency id>"
    grain = models.CharField(max_length=1)
    day = models.DateField()
    dim = models.CharField(max_length=10, blank=True, default="")
    key = models.CharField(max_length=20, blank=True, default="")
    metric = models.CharField(max_length=16)
    bucket = models.SmallIntegerField(default=0)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("rekap per cakupan")
        verbose_name_plural = _("rekap per cakupan")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "grain", "day", "dim", "key", "metric", "bucket"],
                name="analytics_scope_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.grain} {self.day} {self.metric}={self.value}"
