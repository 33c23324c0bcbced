"""Webhook delivery lag: events at a steady rate, two real workers, a local receiver.

A partner speaking for one agency has an endpoint on a receiver of this script's own
(``http.server`` on 127.0.0.1, which checks every signature with ``standardwebhooks``). Reports
made beforehand are disposed to that agency at ``--rate`` per second for ``--seconds`` by the
real service (``report_dispose``, from ``--generators`` processes), each writing a
``report.disposed`` delivery in its transaction; two ``lapor worker`` processes deliver them.
For each message the lag is the time from its event to its arrival at the receiver. Printed:
events made, messages received (each ``webhook-id`` once; repeats counted apart), lag p50 / p99
/ max, and, as the calibration taken in the same run, the time of a fixed pure-Python loop
before and after the load (the machine is shared: a slow phase shows there first).

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
            at = datetime.fromisoformat(json.loads(body)["timestamp"].replace("Z", "+00:00"))
            with LOCK:
                if webhook_id in ARRIVALS:
                    REPEATS[0] += 1
                else:
                    ARRIVALS[webhook_id] = now
                    LAGS.append(now - at.timestamp())
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def setup(count: int, port: int) -> tuple[list[int], object, object, str]:
    """``count`` submitted reports (their routing jobs dropped), the national admin, the agency
    and the endpoint's secret."""
    from django_tasks_db.models import DBTaskResult

    from lapor.accounts.models import User
    from lapor.agencies.models import Agency
    from lapor.api.models import Partner
    from lapor.api.partners import partner_create
    from lapor.api.webhooks.models import WebhookEndpoint
    from lapor.api.webhooks.services import endpoint_create
    from lapor.regions.models import Region
    from lapor.reports.models import Report
    from lapor.reports.services import report_submit

    admin = User.objects.filter(memberships__role="admin_nasional").first()
    agency = Agency.objects.filter(kind=Agency.Kind.REGENCY).order_by("pk").first()
    region = Region.objects.filter(level=Region.Level.KABUPATEN_KOTA).order_by("code").first()
    assert admin is not None and agency is not None and region is not None
    partner = Partner.objects.filter(code="bench-webhook").first()
    if partner is None:
        partner = partner_create(
            code="bench-webhook", name="Mitra uji webhook", agencies=[agency], actor=admin
        )
    WebhookEndpoint.objects.filter(partner=partner).update(is_active=False)
    _endpoint, secret = endpoint_create(
        partner=partner, url=f"http://127.0.0.1:{port}/hook", actor=admin
    )
    started = time.perf_counter()
    ids = []
    for i in range(count):
        submitted = report_submit(
            type=Report.Type.PENGADUAN,
            title=f"Uji webhook {i}",
            body="Laporan uji untuk mengukur keterlambatan pengiriman webhook ke mitra.",
            region=region,
            channel=Report.Channel.WEB,
            contact_email=f"uji{i}@contoh.id",
        )
        ids.append(submitted.report.pk)
    DBTaskResult.objects.filter(status="READY").delete()  # the routing jobs: not measured here
    print(f"setup: {count:,} reports submitted in {time.perf_counter() - started:.1f} s")
    return ids, admin, agency, secret


def start_workers(n: int) -> list[subprocess.Popen[bytes]]:
    env = {**os.environ, "DEBUG": "false"}
    cmd = [str(ROOT / ".venv/bin/lapor"), "worker", "--interval", "0.2", "--no-schedule",
           "--no-startup-delay"]  # fmt: skip
    return [subprocess.Popen(cmd, cwd=ROOT, env=env) for _ in range(n)]


def generate(
    ids: list[int], rate: float, start: float, agency_id: int, admin_id: int
) -> tuple[int, float]:
    """Dispose ``ids`` at ``rate`` per second from ``start``; (how many, most seconds behind)."""
    from django.db import connection

    from lapor.accounts.models import User
    from lapor.agencies.models import Agency
    from lapor.reports.models import Report
    from lapor.reports.services import report_dispose

    connection.close()  # a connection of this process's own
    agency, admin = Agency.objects.get(pk=agency_id), User.objects.get(pk=admin_id)
    behind = 0.0
    for i, pk in enumerate(ids):
        wait = start + i / rate - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        else:
            behind = max(behind, -wait)
        report_dispose(report=Report.objects.get(pk=pk), to_agency=agency, actor=admin)
    return len(ids), behind


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
    parser.add_argument("--generators", type=int, default=2, help="processes making events")
    parser.add_argument("--drain", type=int, default=60, help="seconds to wait for stragglers")
    args = parser.parse_args()
    django_on_postgres()
    prepare()
    from django.db import connection
    from standardwebhooks import Webhook

    count = args.rate * args.seconds
    server = receiver()
    ids, admin, agency, secret = setup(count, server.server_address[1])
    VERIFIER.append(Webhook(secret))
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    before = calibration()
    workers = start_workers(args.workers)
    time.sleep(2)
    start = time.perf_counter()
    try:
        # Several generator processes (each its own connection): one Python process alone
        # cannot make 100 dispositions a second on this machine.
        connection.close()
        share = [ids[g :: args.generators] for g in range(args.generators)]
        with multiprocessing.get_context("fork").Pool(args.generators) as pool:
            results = pool.starmap(
                generate,
                [(part, args.rate / args.generators, start, agency.pk, admin.pk) for part in share],
            )
        made = sum(n for n, _ in results)
        behind = max(b for _, b in results)
        elapsed = time.perf_counter() - start
        deadline = time.monotonic() + args.drain
        while len(ARRIVALS) < made and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(timeout=30)
        server.shutdown()
    print(f"calibration loop: {before:.1f} ms before the load, {calibration():.1f} ms after")
    print(
        f"{made:,} events in {elapsed:.1f} s ({made / elapsed:.1f}/s, generator at most "
        f"{behind:.2f} s behind its schedule); {len(ARRIVALS):,} messages received, "
        f"{made - len(ARRIVALS):,} missing, {REPEATS[0]} repeats, "
        f"{BAD_SIGNATURES[0]} bad signatures"
    )
    if LAGS:
        print(
            f"lag: p50 {quantile(LAGS, 0.5):.2f} s  p99 {quantile(LAGS, 0.99):.2f} s  "
            f"max {max(LAGS):.2f} s  mean {statistics.fmean(LAGS):.2f} s"
        )
        met = len(ARRIVALS) == made and quantile(LAGS, 0.99) < 5
        print(f"goal (lag p99 < 5 s, nothing lost): {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
