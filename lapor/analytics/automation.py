"""The automation accounts for itself: what the router did to each month's reports.

Computed by a job (``tasks.automation_accounts``, daily) from the report events into
``AutomationMonth`` rows, never on a page request. A report belongs to the month (WIB) it was
submitted in; what happened to it later (a correction, a merge) is counted in that month, so the
job recomputes the last ``RECOMPUTE_MONTHS`` months each time. Per province only public reports
are counted (a rahasia report's routing could otherwise be singled out); the national row counts
every report, as the dashboards' national totals do (ADR 0017, ADR 0020).

- *auto-routed*: the report's first disposition was made by the router itself (no actor, straight
  from "submitted");
- *corrected*: an auto-routed report later sent back as bukan wewenang, forwarded by the agency,
  or disposed again by a person (each kind counted once per report; ``corrected`` counts reports);
- *triaged*: the router sent it to the national triage queue; the wait is from that step to the
  first step out of triage (median over the reports out of it by now);
- *merged*: merged into another report as its duplicate; *flagged*: the router named possible
  duplicates when it routed it (and how many of those were merged); *supports*: "Dukung" given
  in the month to reports of the region (a citizen joining a report instead of filing anew; the
  support a merge adds to the report kept is counted as the merge).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from lapor.analytics.facts import DAY_ZONE
from lapor.analytics.report_models import AutomationMonth
from lapor.reports.lifecycle import Action, Status
from lapor.reports.models import Report, ReportEvent

RECOMPUTE_MONTHS = 3
# Every action that can start, correct or end what the router did.
ACTIONS = (
    Action.TRIAGE,
    Action.DISPOSE,
    Action.NOT_AUTHORITY,
    Action.FORWARD,
    Action.MERGE,
    Action.ARCHIVE,
    Action.HOLD,
    Action.REQUEST_INFO,
)


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=1) + timedelta(days=32)).replace(day=1)


def previous_month(month: date) -> date:
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)


def bounds(month: date) -> tuple[datetime, datetime]:
    """The month's first and the next month's first instant, in WIB."""
    start = datetime.combine(month, time.min, tzinfo=DAY_ZONE)
    return start, datetime.combine(next_month(month), time.min, tzinfo=DAY_ZONE)


@dataclass
class Tally:
    reports: int = 0
    auto_routed: int = 0
    corrected: int = 0
    corrected_not_authority: int = 0
    corrected_forwarded: int = 0
    corrected_redisposed: int = 0
    triaged: int = 0
    waits: list[float] = field(default_factory=list)
    merged: int = 0
    flagged: int = 0
    flagged_merged: int = 0
    supports: int = 0

    def row(self, month: date, province: str) -> AutomationMonth:
        return AutomationMonth(
            month=month,
            province=province,
            reports=self.reports,
            auto_routed=self.auto_routed,
            corrected=self.corrected,
            corrected_not_authority=self.corrected_not_authority,
            corrected_forwarded=self.corrected_forwarded,
            corrected_redisposed=self.corrected_redisposed,
            triaged=self.triaged,
            triage_left=len(self.waits),
            triage_wait_h=round(statistics.median(self.waits), 2) if self.waits else None,
            merged=self.merged,
            flagged=self.flagged,
            flagged_merged=self.flagged_merged,
            supports=self.supports,
        )


@dataclass
class Trail:
    """One report's routing story, read from its events in order."""

    auto: bool = False
    disposed: bool = False
    kinds: set[str] = field(default_factory=set)
    triage_at: datetime | None = None
    wait_h: float | None = None
    flagged: bool = False
    merged: bool = False

    def apply(
        self,
        action: str,
        actor_id: int | None,
        from_status: str,
        to_status: str,
        at: datetime,
        data: dict,
    ) -> None:
        if action == Action.DISPOSE:
            if not self.disposed:
                self.disposed = True
                self.auto = actor_id is None and from_status == Status.SUBMITTED
            elif self.auto:
                self.kinds.add("redisposed")
        elif action == Action.NOT_AUTHORITY and self.auto:
            self.kinds.add("not_authority")
        elif action == Action.FORWARD and self.auto:
            self.kinds.add("forwarded")
        elif action == Action.MERGE:
            self.merged = True
        if action == Action.TRIAGE and self.triage_at is None:
            self.triage_at = at
        elif (
            self.triage_at is not None
            and self.wait_h is None
            and from_status == Status.TRIAGE
            and to_status not in ("", Status.TRIAGE)
        ):
            self.wait_h = (at - self.triage_at).total_seconds() / 3600
        if action in (Action.DISPOSE, Action.TRIAGE) and (data or {}).get("duplicates"):
            self.flagged = True

    def add_to(self, tally: Tally) -> None:
        if self.auto:
            tally.auto_routed += 1
            if self.kinds:
                tally.corrected += 1
            tally.corrected_not_authority += "not_authority" in self.kinds
            tally.corrected_forwarded += "forwarded" in self.kinds
            tally.corrected_redisposed += "redisposed" in self.kinds
        if self.triage_at is not None:
            tally.triaged += 1
            if self.wait_h is not None:
                tally.waits.append(self.wait_h)
        tally.merged += self.merged
        tally.flagged += self.flagged
        tally.flagged_merged += self.flagged and self.merged


def _add_reports(tally: Tally, n: int) -> None:
    tally.reports += n


def _add_support(tally: Tally) -> None:
    tally.supports += 1


def compute(month: date) -> list[AutomationMonth]:
    """The month's rows: national first, then each province with public reports. Three reads:
    the month's reports per region, their routing events (streamed in report and sequence
    order), the supports given in the month."""
    start, end = bounds(month)
    tallies: dict[str, Tally] = defaultdict(Tally)
    tallies[""] = Tally()

    def count(province: str, confidential: bool, add: Callable[[Tally], None]) -> None:
        add(tallies[""])
        if not confidential:
            add(tallies[province])

    in_month = Report.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    for region, confidential, n in (
        in_month.order_by()
        .values("region_id", "is_confidential")
        .annotate(n=Count("pk"))
        .values_list("region_id", "is_confidential", "n")
    ):
        add: Callable[[Tally], None] = partial(_add_reports, n=n)
        count(region[:2], confidential, add)
    # One report's events at a time (ordered by report): memory does not grow with the month.
    events = (
        ReportEvent.objects.filter(report__in=in_month, action__in=ACTIONS)
        .order_by("report_id", "seq")
        .values_list(
            "report_id",
            "report__region_id",
            "report__is_confidential",
            "action",
            "actor_id",
            "from_status",
            "to_status",
            "created_at",
            "data",
        )
    )
    current, trail, where = None, Trail(), ("", True)
    for report_id, region, confidential, *event in events.iterator(chunk_size=5000):
        if report_id != current:
            if current is not None:
                count(*where, trail.add_to)
            current, trail, where = report_id, Trail(), (region[:2], confidential)
        trail.apply(*event)
    if current is not None:
        count(*where, trail.add_to)
    # A merge adds a support to the report kept (``data.merged``): counted as merged, not here.
    for region, confidential in (
        ReportEvent.objects.filter(action=Action.SUPPORT, created_at__gte=start, created_at__lt=end)
        .exclude(data__has_key="merged")
        .values_list("report__region_id", "report__is_confidential")
    ):
        count(region[:2], confidential, _add_support)
    return [tallies[key].row(month, key) for key in sorted(tallies)]


def refresh(month: date) -> list[AutomationMonth]:
    """Replace the month's rows in one transaction (a page never sees half a month)."""
    rows = compute(month)
    now = timezone.now()
    for row in rows:
        row.computed_at = now
    with transaction.atomic():
        AutomationMonth.objects.filter(month=month).delete()
        AutomationMonth.objects.bulk_create(rows)
    return rows


def refresh_recent(today: date, months: int = RECOMPUTE_MONTHS) -> int:
    """The job: the current month and the ``months - 1`` before it; the rows written."""
    month, written = month_start(today), 0
    for _ in range(months):
        written += len(refresh(month))
        month = previous_month(month)
    return written
