"""Background jobs of the report flow, and the safety net that re-enqueues lost routing."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lapor.core.errors import Conflict
from lapor.reports.lifecycle import Status
from lapor.reports.models import Report

logger = logging.getLogger("lapor.reports")
ROUTE_STALE_AFTER = timedelta(minutes=10)
MAX_ROUTE_FAILURES = 3
WAITING = [TaskResultStatus.READY, TaskResultStatus.RUNNING]
ROUTE_TRIES = 3  # a routing that meets an officer's concurrent change starts again this often


@task()
def route_report(report_id: int) -> str:
    """Route a newly submitted report: dispose it when the router is confident, otherwise
    send it to the national triage queue with the ranked suggestions and their reasons.
    Idempotent: a report that has already moved on is left alone.

    An officer may act on the report while it is being routed (a national admin disposing it
    from the triage queue): the routing's service call then meets ``Conflict`` (the report
    changed since it was read). The routing starts again from a fresh read, which leaves a
    report that moved on alone, instead of failing the job (found by the fault run,
    bench/cluster)."""
    from lapor.routing.gazetteer import one_gazetteer

    for attempt in range(1, ROUTE_TRIES + 1):
        try:
            with one_gazetteer():  # checked once, not by each of the index, lookup and router
                return _route(report_id)
        except Conflict:
            if attempt == ROUTE_TRIES:
                raise
            logger.info("Report %s changed while it was routed; routing it again", report_id)
    raise AssertionError("unreachable")


def _route(report_id: int) -> str:
    from lapor.agencies.models import Agency
    from lapor.reports.services import report_dispose, report_send_to_triage
    from lapor.routing.router import route

    report = Report.objects.select_related("region", "category", "requested_agency").get(
        pk=report_id
    )
    if report.status != Status.SUBMITTED:
        return report.status
    from lapor.routing.duplicates import find_duplicates, index_report

    # Indexed before the lookup (which leaves the report itself out): of two repeats routed at
    # the same time by two workers, the one that looks up last always finds the other.
    index_report(report)
    duplicates = find_duplicates(report)
    routing = route(
        title=report.title,
        body=report.body,
        region_code=report.region_id,
        latitude=report.latitude,
        longitude=report.longitude,
    )
    data: dict = {"routing": routing.as_data()}
    if duplicates:
        # Officers see the open reports this one repeats, to merge (report_merge).
        data["duplicates"] = [
            {"report": d.report_id, "tracking_id": d.tracking_id, "similarity": d.similarity}
            for d in duplicates
        ]
    requested = report.requested_agency
    if requested is not None and requested.is_active and requested.accepts_reports:
        # The citizen named an agency: followed unless routing is sure it is not theirs.
        from lapor.reports.services import report_dispose_requested
        from lapor.routing.requested import decide

        decision = decide(routing, requested)
        report_dispose_requested(
            report=report,
            to_agency=decision.to,
            decision=decision.as_data(),
            note=decision.note(),
            data=data,
        )
        return report.status
    best = routing.best
    if best is not None and routing.confident:
        agency = Agency.objects.get(code=best.agency)
        report_dispose(
            report=report,
            to_agency=agency,
            actor=None,
            note="Didisposisikan otomatis: " + "; ".join(best.reasons),
            data=data,
        )
        return report.status
    reason = "Menunggu verifikasi admin nasional."
    if best is not None:
        reason += f" Saran perutean: {best.name} (keyakinan {best.confidence:.0%})."
    report_send_to_triage(report=report, reason=reason, data=data)
    return report.status


def requeue_unrouted(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Enqueue ``route_report`` again for reports still SUBMITTED ``ROUTE_STALE_AFTER`` after
    submission that have no routing job waiting or running: theirs failed (a lost database
    connection, a worker killed three times: ``jobs.recovery``) or its row was pruned. The submit
    enqueues in its own transaction, so a job is never simply missing. A report whose routing
    failed ``MAX_ROUTE_FAILURES`` times is left to the national admins, in whose triage queue
    SUBMITTED reports are. Run by the SLA sweep; the number enqueued."""
    now = now or timezone.now()
    ids = list(
        Report.objects.filter(status=Status.SUBMITTED, submitted_at__lt=now - ROUTE_STALE_AFTER)
        .order_by("submitted_at")  # index report_status_sub
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return 0
    jobs = DBTaskResult.objects.filter(
        task_path=route_report.module_path, args_kwargs__args__0__in=ids
    ).values_list("args_kwargs", "status")
    waiting: set[int] = set()
    failures: Counter[int] = Counter()
    for args_kwargs, status in jobs:
        report_id = args_kwargs["args"][0]
        if status in WAITING:
            waiting.add(report_id)
        elif status == TaskResultStatus.FAILED:
            failures[report_id] += 1
    lost = [pk for pk in ids if pk not in waiting and failures[pk] < MAX_ROUTE_FAILURES]
    # A report routed since it was read gets a second job, which finds it routed: harmless.
    with transaction.atomic():
        for pk in lost:
            route_report.enqueue(pk)
    if lost:
        logger.warning("Re-enqueued the routing of %s reports still submitted", len(lost))
    return len(lost)
