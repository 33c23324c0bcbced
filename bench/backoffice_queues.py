"""Back-office queues on the million-report data set: the agency inbox of an agency holding
10,000 reports and the national triage queue, filtered and sorted by due date.

Server time of whole requests (middleware, session, the officer check, queries, template)
through Django's test client in-process, with officers signed in as the back-office tests do
(a TOTP device and a verified session). Prints p50/p95 of each queue; the goal is p95 under
150 ms. When missed, prints EXPLAIN ANALYZE of the slowest query of one request.

Runs with ``DEBUG=false``, as production serves (set here, whatever the environment says):
with the development default ``DEBUG=true`` Django also records every query, which the
server would not do.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_bench \
        .venv/bin/python bench/backoffice_queues.py

The generated data spreads reports over ~550 agencies (at most ~1,900 each). When no agency
holds 10,000, this script gives the busiest regency/city government disposed reports of other
agencies until it does (a plain UPDATE of ``agency_id``, no events: benchmark data only, the
reports' histories still name their original agency).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on_postgres, officers, prepare

AGENCY_REPORTS = 10_000
GOAL_MS = 150.0


def big_agency() -> int:
    """The id of an agency holding at least 10,000 reports, made so if none does."""
    from django.db import connection, transaction

    with connection.cursor() as cur:
        cur.execute(
            "SELECT r.agency_id, count(*) FROM reports_report r "
            "JOIN agencies_agency a ON a.id = r.agency_id "
            "WHERE a.kind IN ('pemkab', 'pemkot') GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
        )
        agency_id, count = cur.fetchone()
        if count >= AGENCY_REPORTS:
            return int(agency_id)
        need = AGENCY_REPORTS - count
        with transaction.atomic():
            cur.execute(
                "UPDATE reports_report SET agency_id = %s WHERE id IN ("
                " SELECT id FROM reports_report WHERE status = 'disposed' AND unit_id IS NULL"
                " AND agency_id <> %s ORDER BY random() LIMIT %s)",
                [agency_id, agency_id, need],
            )
            print(f"reassigned {cur.rowcount:,} disposed reports to agency {agency_id}")
        cur.execute("ANALYZE reports_report")
    return int(agency_id)


def grow_triage(wanted: int, keep_agency: int) -> None:
    """At least ``wanted`` reports waiting in the national triage queue: other open reports
    (disposed to an agency other than ``keep_agency``, no unit) put back into ``triage`` by a
    plain UPDATE when fewer
    wait (benchmark data only, as ``big_agency``; their histories are not rewritten)."""
    from django.db import connection, transaction

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM reports_report WHERE status IN ('submitted', 'triage')")
        need = wanted - cur.fetchone()[0]
        if need <= 0:
            return
        with transaction.atomic():
            cur.execute(
                "UPDATE reports_report SET status = 'triage', agency_id = NULL WHERE id IN ("
                " SELECT id FROM reports_report WHERE status = 'disposed' AND unit_id IS NULL"
                " AND agency_id <> %s ORDER BY id DESC LIMIT %s)",
                [keep_agency, need],
            )
            print(f"put {cur.rowcount:,} disposed reports back into triage")
        cur.execute("ANALYZE reports_report")


def signed_in(user_id: int) -> Any:
    """A test client with the officer signed in with password and TOTP a moment ago."""
    from django.test import Client

    from lapor.accounts.models import User
    from lapor.backoffice.access import SEEN_KEY, enrol_totp

    user = User.objects.get(pk=user_id)
    device = enrol_totp(user)
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session[SEEN_KEY] = time.time()
    session.save()
    return client


def variants(region: str) -> list[str]:
    """Filter combinations an officer uses, each sorted by due date, first pages."""
    from django.utils import timezone

    soon = (timezone.localdate() + timedelta(days=3)).isoformat()
    return [
        "?sort=due",
        "?sort=due&page=2",
        "?sort=due&channel=web",
        "?sort=due&privacy=publik",
        f"?sort=due&due_by={soon}",
        f"?sort=due&region={region}",
        "?sort=-due",
        "?sort=due&q=jalan",
    ]


TRIVIAL = "/i18n/setlang/?next=/"


def measure(client: Any, path: str, queries: list[str], n: int) -> list[float]:
    client.get(path + queries[0])  # warm up
    times = []
    for i in range(n):
        url = path + queries[i % len(queries)]
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
    return sorted(times)


def calibrate(client: Any, n: int) -> list[float]:
    """The same client's requests to the trivial view (``/i18n/setlang/`` redirect: routing,
    middleware and session, no queue), as the calibration measured in the same run."""
    client.get(TRIVIAL)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(TRIVIAL)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code >= 400:
            sys.exit(f"{TRIVIAL} answered {response.status_code}")
    return sorted(times)


def explain_slowest(client: Any, url: str, top: int = 3) -> None:
    """EXPLAIN ANALYZE of the ``top`` slowest queries of one request of ``url``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    ranked = sorted(captured.captured_queries, key=lambda q: float(q["time"]), reverse=True)
    spent = sum(float(q["time"]) for q in ranked) * 1000
    print(f"  {url}: {len(ranked)} queries, {spent:.0f} ms in the database")
    with connection.cursor() as cur:
        for query in ranked[:top]:
            print(f"  -- {float(query['time']) * 1000:.0f} ms: {query['sql'][:300]}")
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            for (line,) in cur.fetchall():
                print("    " + line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--explain", action="store_true", help="explain even when the goal is met")
    parser.add_argument(
        "--triage", type=int, default=0, help="grow the national triage queue to this many"
    )
    args = parser.parse_args()
    os.environ["DEBUG"] = "false"  # as served in production
    django_on_postgres()
    from django.conf import settings

    assert not settings.DEBUG
    prepare()
    from lapor.agencies.models import Agency
    from lapor.reports.models import Report

    national, admins = officers()
    agency_id = big_agency()
    grow_triage(args.triage, agency_id)
    agency = Agency.objects.select_related("region").get(pk=agency_id)
    inbox = Report.objects.filter(agency_id=agency_id, status="disposed").count()
    total = Report.objects.filter(agency_id=agency_id).count()
    triage = Report.objects.filter(status__in=["submitted", "triage"]).count()
    print(
        f"{Report.objects.count():,} reports; {agency.name}: {total:,} reports, {inbox:,} in "
        f"its inbox; national triage queue {triage:,}"
    )
    region = agency.region_id
    runs = [
        ("agency inbox (admin instansi)", admins[agency_id], "/kantor/antrean/masuk/"),
        ("national triage (admin nasional)", national, "/kantor/antrean/triase/"),
    ]
    missed = False
    for name, user_id, path in runs:
        client = signed_in(user_id)
        queries = variants(region if "masuk" in path else region.split(".")[0])
        base = calibrate(client, args.requests)
        base_p95 = base[int(len(base) * 0.95) - 1]
        times = measure(client, path, queries, args.requests)
        p50 = statistics.median(times)
        p95 = times[int(len(times) * 0.95) - 1]
        met = p95 < GOAL_MS
        missed = missed or not met
        print(
            f"{name:34s} {len(times)} requests over {len(queries)} filter sets: "
            f"p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  max {times[-1]:6.1f} ms  "
            f"(goal p95 < {GOAL_MS:.0f} ms: {'met' if met else 'NOT met'}); trivial view "
            f"p50 {statistics.median(base):.1f} ms  p95 {base_p95:.1f} ms  "
            f"(p95 {p95 / base_p95:.1f}x the trivial view's)"
        )
        if args.explain or not met:
            explain_slowest(client, path + queries[0])


if __name__ == "__main__":
    main()
