"""Reads of the officers' queues, scoped to each officer's agency subtree.

``officer_reports`` is the one place that decides which reports an officer may see at all; it
mirrors ``permissions.roles_over`` (national admins see everything; agency admins and
inspectors their agency and its units; unit officers the reports forwarded to their unit).
Queue pages are written against a fixed number of queries, whatever the page size."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapor.agencies.models import Agency, Membership
from lapor.reports.lifecycle import OPEN, Status
from lapor.reports.models import Report
from lapor.reports.search import search_reports

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

Role = Membership.Role
QUEUE_RELATED = ("region", "agency", "unit", "category")


def scope_q(memberships: Iterable[Membership]) -> Q | None:
    """The filter of the reports ``memberships`` reach; ``None`` means every report."""
    q = Q(pk__in=[])
    for m in memberships:
        if not m.is_active:
            continue
        if m.role == Role.NATIONAL_ADMIN:
            return None
        subtree = Agency.objects.filter(path__startswith=m.agency.path).values("pk")
        if m.role == Role.UNIT_OFFICER:
            q |= Q(unit_id__in=subtree)
        else:
            q |= Q(agency_id__in=subtree) | Q(unit_id__in=subtree)
    return q


def officer_reports(memberships: Iterable[Membership]) -> QuerySet[Report]:
    scope = scope_q(memberships)
    qs = Report.objects.all()
    return qs if scope is None else qs.filter(scope)


@dataclass(frozen=True)
class Queue:
    slug: str
    label: _StrPromise | str
    condition: Q


QUEUES: list[Queue] = [
    Queue("triase", _("Triase nasional"), Q(status__in=[Status.SUBMITTED, Status.TRIAGE])),
    Queue("masuk", _("Kotak masuk instansi"), Q(status=Status.DISPOSED)),
    Queue("tugas", _("Tugas unit"), Q(status=Status.IN_PROGRESS)),
    Queue("terlambat", _("Terlambat"), Q(overdue_since__isnull=False, status__in=sorted(OPEN))),
    Queue("klarifikasi", _("Menunggu pelapor"), Q(status=Status.AWAITING_REPORTER)),
    Queue("ditunda", _("Ditunda"), Q(status=Status.ON_HOLD)),
]
log = logging.getLogger(__name__)
QUEUE_BY_SLUG = {q.slug: q for q in QUEUES}


def queue_counts(memberships: Iterable[Membership]) -> dict[str, int]:
    """How many reports wait in each queue the officer reaches, in one query, kept for
    ``LAPOR_QUEUE_COUNT_SECONDS`` per scope: the navigation is shown on every page, and a count
    a few seconds old is fine there (the queue pages themselves are always current)."""
    memberships = list(memberships)
    key = "queue-counts:" + ",".join(
        sorted(f"{m.role}:{m.agency_id}" for m in memberships if m.is_active)
    )
    try:
        counts: dict[str, int] | None = cache.get(key)
    except Exception:  # the cache only saves work: count without it
        log.warning("queue counts not cached: the cache is unreachable", exc_info=True)
        counts, key = None, ""
    if counts is None:
        aggregates = {q.slug: Count("pk", filter=q.condition) for q in QUEUES}
        # Every queue holds open reports only: saying so lets the planner skip the finished
        # majority of the table instead of counting over all of it.
        counts = (
            officer_reports(memberships).filter(status__in=sorted(OPEN)).aggregate(**aggregates)
        )
        if key:
            try:
                cache.set(key, counts, settings.LAPOR_QUEUE_COUNT_SECONDS)
            except Exception:
                log.warning("queue counts not cached: the cache is unreachable", exc_info=True)
    return counts


@dataclass(frozen=True)
class QueueFilter:
    q: str = ""
    status: str = ""
    category: str = ""  # a category code: it and its sub-categories
    region: str = ""  # a region code: it and everything below
    channel: str = ""
    due_by: date | None = None  # due on or before this day
    privacy: str = ""  # "anonim", "rahasia" or "publik"
    sort: str = "due"  # "due", "-due", "new", "old"


SORTS = {
    "due": (F("due_at").asc(nulls_last=True), "pk"),
    "-due": (F("due_at").desc(nulls_last=True), "-pk"),
    "new": (F("submitted_at").desc(), "-pk"),
    "old": (F("submitted_at").asc(), "pk"),
}


def queue_reports(
    memberships: Iterable[Membership], queue: Queue, f: QueueFilter
) -> QuerySet[Report]:
    """The reports of ``queue`` the officer reaches, filtered and sorted, ready for a list."""
    qs = officer_reports(memberships).filter(queue.condition)
    qs = search_reports(qs, f.q)  # the same search as the public list
    if f.status:
        qs = qs.filter(status=f.status)
    if f.category:
        qs = qs.filter(Q(category__code=f.category) | Q(category__parent__code=f.category))
    if f.region:
        qs = qs.filter(Q(region_id=f.region) | Q(region__code__startswith=f.region + "."))
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.due_by:
        end = timezone.make_aware(datetime.combine(f.due_by + timedelta(days=1), time.min))
        qs = qs.filter(due_at__lt=end)
    if f.privacy == "anonim":
        qs = qs.filter(is_anonymous=True)
    elif f.privacy == "rahasia":
        qs = qs.filter(is_confidential=True)
    elif f.privacy == "publik":
        qs = qs.filter(is_confidential=False)
    return qs.select_related(*QUEUE_RELATED).order_by(*SORTS.get(f.sort, SORTS["due"]))


def officer_report(memberships: Iterable[Membership], tracking_id: str) -> Report | None:
    """One report by tracking ID if the officer reaches it, with what the detail page shows."""
    return (
        officer_reports(memberships)
        .select_related(*QUEUE_RELATED, "reporter", "sla_policy", "merged_into")
        .filter(tracking_id=tracking_id)
        .first()
    )


def similar_reports(
    memberships: Iterable[Membership], report: Report, limit: int = 5
) -> list[Report]:
    """Open reports in the officer's reach that repeat this one (or that it repeats):
    candidates to merge as duplicates. Duplicate detection (MinHash over title and body, see
    ``routing.duplicates``) in the report's province, from 60 days before it on, the same
    kabupaten/kota first, most similar first; then, while fewer than ``limit``, reports of the
    same kabupaten/kota about the same kind of problem in the same named street or village,
    however worded (``routing.nearby.same_street``). Each carries ``similarity`` (0-1),
    ``same_kabkota`` and ``same_street``."""
    from lapor.routing.duplicates import WINDOW, lookup, matched_reports, report_text
    from lapor.routing.nearby import same_street

    reach = officer_reports(memberships)
    text = report_text(report.title, report.body)
    since = report.submitted_at - WINDOW
    matches = lookup(
        text,
        region_code=report.region_id,
        within=reach,
        since=since,
        exclude=[report.pk],
        limit=limit,
    )
    if len(matches) < limit:
        matches += same_street(
            text,
            region_code=report.region_id,
            within=reach,
            since=since,
            exclude={report.pk, *(m.report_id for m in matches)},
            limit=limit - len(matches),
        )
    return matched_reports(matches, reach.select_related("agency", "region"))
