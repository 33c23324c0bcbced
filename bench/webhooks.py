"""Webhook delivery lag: events at a steady rate, two real workers, a local receiver.

A partner speaking for one agency has an endpoint on a receiver of this script's own
(``http.server`` on 127.0.0.1, which checks every signature with ``standardwebhooks``). Reports
made beforehand (not rahasia) each get two events by the real services, from ``--generators``
processes at ``--rate`` events per second in all for ``--seconds``: ``report_dispose`` to that
agency (``report.disposed``), then ``report_set_privacy`` making it rahasia
(``report.privacy_changed``), each writing its delivery row in its transaction. A generator
may commit ``--batch`` events per transaction (each still one service call, with its own event,
chain link, notification and delivery row; the batch's deliveries become visible together at
its commit); measured side by side, batches of 10 made no more events a second than 1 (32.5
against 32.1/s) and only added lag, so the default is 1: the generators are bound by the
services' CPU (about 11-14 ms an event), not by commits. Two ``lapor worker`` processes deliver.

For each message the lag is the time from its event to its arrival at the receiver. Printed:
events made and the rate reached, messages received (each ``webhook-id`` once; repeats counted
apart), messages out of order for their report (a ``seq`` not above the last one received),
lag p50 / p99 / max, and, as the calibration taken in the same run, the time of a fixed
pure-Python loop before and after the load (the machine is shared: a slow phase shows there
first) and the load average.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_bench .venv/bin/python bench/webhooks.py

Goal (issue 10): 100 events/s for 60 s, lag p99 < 5 s, nothing lost.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, django_on_postgres, prepare

ARRIVALS: dict[str, float] = {}
LAGS: list[float] = []
LAST_SEQ: dict[str, int] = {}  # tracking id → the last seq received
OUT_OF_ORDER = [0]
REPEATS = [0]
BAD_SIGNATURES = [0]
LOCK = threading.Lock()
VERIFIER: list[object] = []  # the endpoint's standardwebhooks.Webhook, once its secret is made


def receiver() -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            now = time.time()
            try:
                VERIFIER[0].verify(body, {k.lower(): v for k, v in self.headers.items()})
            except Exception:
                with LOCK:
                    BAD_SIGNATURES[0] += 1
                self.send_response(400)
                self.end_headers()
                return
            webhook_id = self.headers["webhook-id"]
            message = json.loads(body)
            at = datetime.fromisoformat(message["timestamp"].replace("Z", "+00:00"))
            tid, seq = message["data"]["tracking_id"], message["data"]["seq"]
            with LOCK:
                if webhook_id in ARRIVALS:
                    REPEATS[0] += 1
                else:
                    ARRIVALS[webhook_id] = now
                    LAGS.append(now - at.timestamp())
                    if seq <= LAST_SEQ.get(tid, -1):
                        OUT_OF_ORDER[0] += 1
                    LAST_SEQ[tid] = max(seq, LAST_SEQ.get(tid, -1))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def submit(numbers: list[int], region_id: str) -> list[int]:
    """Reports ``numbers`` through the real ``report_submit``, not rahasia; their ids."""
    from django.db import connection

    from lapor.regions.models import Region
    from lapor.reports.models import Report
    from lapor.reports.services import report_submit

    connection.close()
    region = Region.objects.get(pk=region_id)
    return [
        report_submit(
            type=Report.Type.PENGADUAN,
            title=f"Uji webhook {i}",
            body="Laporan uji untuk mengukur keterlambatan pengiriman webhook ke mitra.",
            region=region,
            channel=Report.Channel.WEB,
            contact_email=f"uji{i}@contoh.id",
            is_confidential=False,
        ).report.pk
        for i in numbers
    ]


def setup(count: int, port: int, processes: int) -> tuple[list[int], object, object, str]:
    """``count`` submitted reports, not rahasia (their routing jobs dropped), the national
    admin, the agency and the endpoint's secret."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from lapor.accounts.models import User
    from lapor.agencies.models import Agency
    from lapor.api.models import Partner
    from lapor.api.partners import partner_create
    from lapor.api.webhooks.delivery import park
    from lapor.api.webhooks.models import WebhookEndpoint
    from lapor.api.webhooks.services import endpoint_create
    from lapor.regions.models import Region

    admin = User.objects.filter(memberships__role="admin_nasional").first()
    agency = Agency.objects.filter(kind=Agency.Kind.REGENCY).order_by("pk").first()
    region = Region.objects.filter(level=Region.Level.KABUPATEN_KOTA).order_by("code").first()
    assert admin is not None and agency is not None and region is not None
    partner = Partner.objects.filter(code="bench-webhook").first()
    if partner is None:
        partner = partner_create(
            code="bench-webhook", name="Mitra uji webhook", agencies=[agency], actor=admin
        )
    old = WebhookEndpoint.objects.filter(partner=partner, is_active=True)
    parked = list(old.values_list("pk", flat=True))
    old.update(is_active=False)
    park(parked)  # as the product parks a disabled endpoint's waiting deliveries
    _endpoint, secret = endpoint_create(
        partner=partner, url=f"http://127.0.0.1:{port}/hook", actor=admin
    )
    started = time.perf_counter()
    connection.close()  # each submitting process opens its own
    parts = [list(range(g, count, processes)) for g in range(processes)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        ids = sorted(
            pk for part in pool.starmap(submit, [(p, region.pk) for p in parts]) for pk in part
        )
    DBTaskResult.objects.filter(status="READY").delete()  # the routing jobs: not measured here
    print(f"setup: {count:,} reports submitted in {time.perf_counter() - started:.1f} s")
    return ids, admin, agency, secret


def start_workers(n: int) -> list[subprocess.Popen[bytes]]:
    env = {**os.environ, "DEBUG": "false"}
    cmd = [str(ROOT / ".venv/bin/lapor"), "worker", "--interval", "0.2", "--no-schedule",
           "--no-startup-delay"]  # fmt: skip
    return [subprocess.Popen(cmd, cwd=ROOT, env=env) for _ in range(n)]


def plan(ids: list[int], batch: int) -> list[list[tuple[str, int]]]:
    """The batches of one generator: ``batch`` reports disposed, then the same made rahasia,
    then the next ``batch`` reports; so both events of a report come from one process, in
    order, in two transactions."""
    out: list[list[tuple[str, int]]] = []
    for i in range(0, len(ids), batch):
        part = ids[i : i + batch]
        out += [[("dispose", pk) for pk in part], [("privacy", pk) for pk in part]]
    return out


def generate(
    ids: list[int], rate: float, start: float, agency_id: int, admin_id: int, batch: int
) -> tuple[int, float, float]:
    """Make two events for each of ``ids`` at ``rate`` per second from ``start``, ``batch`` a
    transaction; (how many, most seconds behind the schedule, when the last one committed)."""
    from django.db import connection, transaction

    from lapor.accounts.models import User
    from lapor.agencies.models import Agency
    from lapor.reports.models import Report
    from lapor.reports.services import report_dispose, report_set_privacy

    connection.close()  # a connection of this process's own
    agency, admin = Agency.objects.get(pk=agency_id), User.objects.get(pk=admin_id)
    behind, made = 0.0, 0
    for items in plan(ids, batch):
        wait = start + made / rate - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        else:
            behind = max(behind, -wait)
        reports = Report.objects.in_bulk([pk for _, pk in items])
        with transaction.atomic():
            for action, pk in items:
                report = reports[pk]
                if action == "dispose":
                    report_dispose(report=report, to_agency=agency, actor=admin)
                else:
                    report_set_privacy(
                        report=report, actor=admin, is_anonymous=True, is_confidential=True
                    )
        made += len(items)
    return made, behind, time.perf_counter()


def calibration() -> float:
    """Milliseconds of a fixed pure-Python loop, best of five."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        sum(i * i for i in range(1_000_000))
        best = min(best, time.perf_counter() - started)
    return best * 1000


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=100, help="events per second")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--generators", type=int, default=4, help="processes making events")
    parser.add_argument("--batch", type=int, default=1, help="events per transaction")
    parser.add_argument("--drain", type=int, default=60, help="seconds to wait for stragglers")
    args = parser.parse_args()
    # As served in production: with the development default ``DEBUG=true`` Django also
    # records every query the generators make (the workers get the same setting below).
    os.environ.setdefault("DEBUG", "false")
    django_on_postgres()
    prepare()
    from django.db import connection
    from standardwebhooks import Webhook

    count = args.rate * args.seconds // 2  # two events a report
    server = receiver()
    ids, admin, agency, secret = setup(count, server.server_address[1], args.generators)
    VERIFIER.append(Webhook(secret))
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    before = calibration()
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    workers = start_workers(args.workers)
    time.sleep(2)
    start = time.perf_counter()
    try:
        # Several generator processes (each its own connection), each committing a few events
        # a transaction: one Python process alone cannot make 100 events a second here.
        connection.close()
        share = [ids[g :: args.generators] for g in range(args.generators)]
        rate = args.rate / args.generators
        with multiprocessing.get_context("fork").Pool(args.generators) as pool:
            results = pool.starmap(
                generate,
                [(part, rate, start, agency.pk, admin.pk, args.batch) for part in share],
            )
        made = sum(n for n, _, _ in results)
        behind = max(b for _, b, _ in results)
        elapsed = max(end for _, _, end in results) - start
        deadline = time.monotonic() + args.drain
        while len(ARRIVALS) < made and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(timeout=30)
        server.shutdown()
    load_after = Path("/proc/loadavg").read_text().split()[:3]
    print(
        f"calibration loop: {before:.1f} ms before the load, {calibration():.1f} ms after; "
        f"load average {' '.join(load_before)} before, {' '.join(load_after)} after"
    )
    print(
        f"{args.generators} generators, {args.batch} events a transaction: {made:,} events in "
        f"{elapsed:.1f} s ({made / elapsed:.1f}/s, generators at most {behind:.2f} s behind "
        f"their schedule); {len(ARRIVALS):,} messages received, {made - len(ARRIVALS):,} "
        f"missing, {REPEATS[0]} repeats, {OUT_OF_ORDER[0]} out of order for their report, "
        f"{BAD_SIGNATURES[0]} bad signatures"
    )
    if LAGS:
        print(
            f"lag: p50 {quantile(LAGS, 0.5):.2f} s  p99 {quantile(LAGS, 0.99):.2f} s  "
            f"max {max(LAGS):.2f} s  mean {statistics.fmean(LAGS):.2f} s"
        )
        met = len(ARRIVALS) == made and quantile(LAGS, 0.99) < 5 and not OUT_OF_ORDER[0]
        print(f"goal (lag p99 < 5 s, nothing lost, in order): {'met' if met else 'NOT met'}")
        reached = made / elapsed >= args.rate * 0.99
        print(f"rate {args.rate}/s for {args.seconds} s: {'reached' if reached else 'NOT reached'}")


if __name__ == "__main__":
    main()
