"""Reads of reports, written against query counts.

Every public read starts from ``privacy.public_reports``: no page decides for itself what is
public."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import OperationalError, connections, transaction
from django.db.models import Count, F, Q, QuerySet, Value
from django.utils.timezone import make_aware
from psycopg.errors import QueryCanceled

from lapor.agencies.models import Agency
from lapor.reports.lifecycle import FINISHED, OPEN
from lapor.reports.models import Report, ReportEvent
from lapor.reports.privacy import public_reports
from lapor.reports.search import search_reports

LIST_RELATED = ("region", "region__parent", "agency", "unit", "category")


def national_totals() -> dict[str, int]:
    """Totals for the home page, in one query."""
    return Report.objects.aggregate(
        total=Count("pk"),
        completed=Count("pk", filter=Q(status__in=sorted(FINISHED))),
        in_process=Count("pk", filter=Q(status__in=sorted(OPEN))),
    )


def latest_public(limit: int = 5) -> list[Report]:
    """The newest public reports, in one query."""
    return list(public_reports().select_related(*LIST_RELATED).order_by("-submitted_at")[:limit])


@dataclass(frozen=True)
class PublicFilter:
    q: str = ""
    region: str = ""  # a region code: the region and everything below it
    agency: str = ""  # an agency code: reports it or one of its units handles
    category: str = ""  # a category code: the category and its sub-categories
    status: str = ""  # "open", "finished" or one status value
    since: date | None = None
    until: date | None = None


def public_list(f: PublicFilter) -> QuerySet[Report]:
    """Public reports matching ``f``, newest first, with what a list row shows."""
    qs = public_reports()
    if f.q.strip():
        qs = search_reports(qs, f.q)
    if f.region:
        qs = qs.filter(Q(region_id=f.region) | Q(region__code__startswith=f.region + "."))
    if f.agency:
        qs = qs.filter(
            Q(agency__code=f.agency) | Q(unit__code=f.agency) | Q(unit__parent__code=f.agency)
        )
    if f.category:
        qs = qs.filter(Q(category__code=f.category) | Q(category__parent__code=f.category))
    if f.status == "open":
        qs = qs.filter(status__in=sorted(OPEN))
    elif f.status == "finished":
        qs = qs.filter(status__in=sorted(FINISHED))
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.since:
        qs = qs.filter(submitted_at__gte=make_aware(datetime.combine(f.since, time.min)))
    if f.until:
        end = make_aware(datetime.combine(f.until + timedelta(days=1), time.min))
        qs = qs.filter(submitted_at__lt=end)
    return qs.select_related(*LIST_RELATED).order_by("-submitted_at", "-pk")


WALK_BUDGET_MS = 60


def public_page(qs: QuerySet[Report], start: int, size: int, *, searched: bool) -> list[Report]:
    """``qs[start:start + size]`` of a list newest first (``public_list``). A search on
    PostgreSQL first walks the reports newest first testing each against the text, as the
    planner chooses, within ``WALK_BUDGET_MS``: quick when the words are common. Words that few
    reports hold make that walk read most of the table (seconds at 1,000,000 reports), so past
    the budget the matches are read from the text's index and sorted instead (an order no index
    gives), whatever the planner's statistics say."""
    window = qs[start : start + size]
    db = window.db  # the replica's, when the router reads from one
    if not searched or connections[db].vendor != "postgresql":
        return list(window)
    try:
        # Rolled back at the end: the budget goes with it, whatever the setting was before.
        with transaction.atomic(using=db):
            with connections[db].cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true)", [str(WALK_BUDGET_MS)]
                )
            rows = list(window)
            transaction.set_rollback(True, using=db)
        return rows
    except OperationalError as exc:
        if not isinstance(exc.__cause__, QueryCanceled):
            raise
    sort_at = (F("submitted_at") + Value(timedelta(0))).desc()
    return list(qs.order_by(sort_at, "-pk")[start : start + size])


def public_report(tracking_id: str) -> Report | None:
    """A public report by tracking ID, or None (rahasia and merged reports are not public)."""
    return public_reports().select_related(*LIST_RELATED).filter(tracking_id=tracking_id).first()


def report_head(tracking_id: str) -> Report | None:
    """Only what says whether a report may be shown and which version it is at (its privacy,
    status, chain head and support count), by its unique index: what a cache of rendered
    answers needs before it knows whether to render."""
    return (
        Report.objects.only(
            "tracking_id", "is_confidential", "status", "last_event_hash", "support_count"
        )
        .filter(tracking_id=tracking_id)
        .first()
    )


def tracked_report(tracking_id: str) -> Report | None:
    """Any report by tracking ID, for the track page (which asks ``privacy`` what to show):
    the row by its unique index with the two agencies the page names. Nothing wider: planning a
    join of eight tables cost PostgreSQL more than running it (3 ms against 0.2 ms); the region
    (for the clock's zone before disposition) and the reporter load on use."""
    try:
        return Report.objects.select_related("agency", "unit").get(tracking_id=tracking_id)
    except Report.DoesNotExist:
        return None


def report_events(report: Report) -> list[ReportEvent]:
    """The report's history in order, with the agency of each step, in one query."""
    return list(report.events.select_related("agency").order_by("seq"))


def reports_of(user_id: int) -> list[Report]:
    """A reporter's own reports (all of them, rahasia too), newest first."""
    return list(
        Report.objects.filter(reporter_id=user_id)
        .select_related(*LIST_RELATED)
        .order_by("-submitted_at")[:200]
    )


@dataclass(frozen=True)
class AgencyStats:
    open: int
    finished: int
    answered: int
    answered_in_time: int
    median_first_answer: timedelta | None

    @property
    def share_in_time(self) -> int | None:
        """Percent of answered reports answered by the follow-up deadline."""
        if not self.answered:
            return None
        return round(100 * self.answered_in_time / self.answered)


def agency_stats(agency: Agency) -> AgencyStats:
    """Counts and answer times of the public reports an agency (or its units) handles; a unit
    counts the reports it was given (``Report.unit``), not all of its parent's."""
    if agency.kind == Agency.Kind.UNIT:
        qs = public_reports().filter(unit__path__startswith=agency.path)
    else:
        qs = public_reports().filter(agency__path__startswith=agency.path)
    totals = qs.aggregate(
        open=Count("pk", filter=Q(status__in=sorted(OPEN))),
        finished=Count("pk", filter=Q(status__in=sorted(FINISHED))),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        answered_in_time=Count(
            "pk",
            filter=Q(answered_at__isnull=False, followup_due_at__isnull=False)
            & Q(answered_at__lte=F("followup_due_at")),
        ),
    )
    median = None
    if totals["answered"]:
        row = (
            qs.filter(answered_at__isnull=False)
            .annotate(wait=F("answered_at") - F("submitted_at"))
            .order_by("wait")
            .values_list("wait", flat=True)[totals["answered"] // 2 : totals["answered"] // 2 + 1]
        )
        median = next(iter(row), None)
    return AgencyStats(median_first_answer=median, **totals)


def similar_open_reports(
    *, region_code: str, title: str, body: str = "", limit: int = 5
) -> list[Report]:
    """Open public reports that the text being typed repeats, for a citizen to "dukung" instead
    of filing the same problem again, over ``public_reports`` only (never a rahasia report),
    from the last 60 days. First duplicate detection (MinHash over title and body, see
    ``routing.duplicates``): the same kabupaten/kota first, then elsewhere in the province,
    most similar first; then, while fewer than ``limit``, reports of the same kabupaten/kota
    about the same kind of problem in the same named street or village, however worded
    (``routing.nearby.same_street``). Each report carries ``similarity`` (0-1),
    ``same_kabkota`` and ``same_street``."""
    from django.utils import timezone

    from lapor.routing.duplicates import WINDOW, lookup, matched_reports, report_text
    from lapor.routing.nearby import same_street

    if not region_code or not body.strip():
        return []
    public = public_reports()
    text = report_text(title, body)
    since = timezone.now() - WINDOW
    matches = lookup(text, region_code=region_code, within=public, since=since, limit=limit)
    if len(matches) < limit:
        matches += same_street(
            text,
            region_code=region_code,
            within=public,
            since=since,
            exclude={m.report_id for m in matches},
            limit=limit - len(matches),
        )
    return matched_reports(matches, public.select_related(*LIST_RELATED))
