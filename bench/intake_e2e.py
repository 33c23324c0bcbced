"""End to end: citizens' reports offered at a fixed rate through the web form, stored, then
routed by the job workers (issue 15: 50 reports/s sustained, routing lag p99 < 5 s).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_e2e \\
        .venv/bin/python bench/intake_e2e.py [--rate 50] [--seconds 60] [--rounds 3]

Set-up (once per database): the reference data, then the shared LaporGub! history imported and
a routing model trained with the project's own commands (``routing_import_history``,
``routing_train``), so every report meets the real router (the SVM, the rules, the duplicate
lookup), as in production.

Each round:

1. Calibration: the trivial view of the same server (``/i18n/setlang/`` redirect) with ``wrk``
   for 10 s, no job worker running.
2. ``--job-workers`` ``lapor worker`` processes start; an open-loop client offers ``--rate``
   guest submissions per second for ``--seconds`` (a request's send time is fixed in advance
   and never waits for an earlier answer, so a slow server cannot lower the offered rate).
   Each request is a browser's whole POST of ``/lapor/`` (CSRF cookie and field, its own
   one-report form token, a real complaint of the shared file with its kabupaten/kota).
3. After the last request, it waits until every report's routing job has finished.

Printed per round: the calibration; requests offered, sent on time, answered 302; the answers'
p50/p99; reports stored (each 302 must be exactly one report, none twice); routing lag = the
routing job's end minus the report's ``submitted_at``, p50/p95/p99/max; the routing rate while
reports arrived and the submit rate achieved. Then min/median/max over the rounds.

``--drain K,K,...`` (default ``1,2``) then measures the throughput per added job worker: with no
worker running, ``--backlog`` reports are submitted through the form; then K workers start and
the routing jobs they finish per second (from the first job's start to the last's end) are
timed, for each K in turn.

The per-IP submit limit is raised for the benchmark (``bench/intake_settings.py``): every
request comes from 127.0.0.1.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT
from portal_http import free_port, prepare_http, run_wrk, start_server, with_application_name
from portal_intake import CSRF_SECRET, serve_intake_settings, token

HISTORY = ROOT.parent / "shared" / "data" / "complaints_laporgub_jateng_2018-02_to_05.csv"
TRIVIAL = "trivial view (/i18n/setlang/ redirect)"
ROUTE_TASK = "lapor.reports.tasks.route_report"
WORKER_LOG = Path(tempfile.gettempdir()) / "lapor-intake-e2e-workers.log"


@dataclass
class Sent:
    due: float
    started: float = 0.0
    done: float = 0.0
    status: int = 0


@dataclass
class Offer:
    """An open-loop run: request i is due at start + i / rate, whatever came before."""

    port: int
    bodies: list[str]
    rate: float
    connections: int
    sent: list[Sent] = field(default_factory=list)

    def run(self) -> float:
        start = time.monotonic() + 0.5
        self.sent = [Sent(due=start + i / self.rate) for i in range(len(self.bodies))]
        work: queue.Queue[int | None] = queue.Queue()
        for i in range(len(self.bodies)):
            work.put(i)
        threads = [
            threading.Thread(target=self._client, args=(work,)) for _ in range(self.connections)
        ]
        for _ in threads:
            work.put(None)
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return start

    def _client(self, work: queue.Queue[int | None]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={CSRF_SECRET}",
            "Host": "127.0.0.1",
        }
        while (i := work.get()) is not None:
            s = self.sent[i]
            wait = s.due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            s.started = time.monotonic()
            try:
                conn.request("POST", "/lapor/", body=self.bodies[i], headers=headers)
                answer = conn.getresponse()
                answer.read()
                s.status = answer.status
            except (OSError, http.client.HTTPException):
                s.status = -1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            s.done = time.monotonic()
        conn.close()


def complaints() -> list[tuple[str, str]]:
    """Texts of the shared file with a kabupaten/kota for each: the file's own where it names
    one, else (reports the province handled) one of the file's kabupaten/kota in turn, since the
    form asks a citizen for their kabupaten/kota."""
    with HISTORY.open(newline="", encoding="utf-8") as f:
        rows = [(r["text"].strip(), r["region_code"]) for r in csv.DictReader(f)]
    rows = [(text, code) for text, code in rows if len(text) >= 30 and code]
    places = sorted({code for _, code in rows if "." in code})
    return [(t, c if "." in c else places[i % len(places)]) for i, (t, c) in enumerate(rows)]


def bodies(marker: str, count: int, texts: list[tuple[str, str]]) -> list[str]:
    out = []
    for i in range(count):
        text, region = texts[i % len(texts)]
        out.append(
            urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": CSRF_SECRET,
                    "form_token": token(),
                    "type": "pengaduan",
                    "title": f"[{marker}-{i}] {text[:60]}",
                    "body": text,
                    "region": region,
                    "is_anonymous": "on",
                    "contact_email": f"warga{i}@contoh.id",
                    # Texts about abuse of authority are offered the WBS first; these citizens
                    # chose to send an ordinary report (the offer's own button).
                    "wbs_declined": "1",
                }
            )
        )
    return out


def start_workers(count: int, cache_url: str) -> list[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lapor.settings",
        "LAPOR_ENV": "development",
        "DEBUG": "false",
        "CACHE_URL": cache_url,
        "DATABASE_URL": with_application_name(os.environ["DATABASE_URL"]),
    }
    log = WORKER_LOG.open("a")
    cmd = [str(ROOT / ".venv/bin/lapor"), "worker", "--no-schedule", "--no-startup-delay",
           "--interval", "0.1"]  # fmt: skip
    return [
        subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
        for _ in range(count)
    ]


def idle(timeout: float = 600) -> None:
    """Wait until no job is waiting or running (the workers have emptied the queue)."""
    from django.db.models.functions import Now
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + timeout
    busy = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"], run_after__lte=Now())
    while busy.exists():
        if time.monotonic() > deadline:
            sys.exit(f"the job queue did not empty in {timeout:.0f} s")
        time.sleep(0.5)
    time.sleep(1)


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()


def routed(marker: str, timeout: float) -> list[tuple[int, float, float, float]]:
    """(report id, submitted, job started, job finished) for every report of the run, once
    every one's routing job has finished (or ``timeout`` passed: unfinished ones are left out)."""
    from django.db import connection

    deadline = time.monotonic() + timeout
    while True:
        with connection.cursor() as cur:
            cur.execute(
                """
                SELECT r.id, extract(epoch FROM r.submitted_at),
                       extract(epoch FROM t.started_at), extract(epoch FROM t.finished_at)
                FROM reports_report r
                JOIN django_tasks_database_dbtaskresult t
                  ON t.task_path = %s AND (t.args_kwargs->'args'->>0)::bigint = r.id
                WHERE r.title LIKE %s
                """,
                [ROUTE_TASK, f"[{marker}-%"],
            )  # fmt: skip
            rows = cur.fetchall()
        if all(row[3] is not None for row in rows) or time.monotonic() > deadline:
            return [(int(a), float(b), float(c or 0), float(d)) for a, b, c, d in rows if d]
        time.sleep(0.5)


def stored(marker: str) -> tuple[int, int]:
    """(reports with the run's marker, distinct request numbers among them)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*), count(DISTINCT split_part(title, ']', 1)) FROM reports_report "
            "WHERE title LIKE %s",
            [f"[{marker}-%"],
        )
        count, distinct = cur.fetchone()  # type: ignore[misc]
    return int(count), int(distinct)


def q(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def spread(values: list[float], fmt: str = ",.1f") -> str:
    return "/".join(format(v, fmt) for v in (min(values), statistics.median(values), max(values)))


def one_round(
    args: argparse.Namespace, port: int, texts: list[tuple[str, str]], n: int
) -> dict[str, float]:
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    base = run_wrk(port, ["/i18n/setlang/?next=/"], threads=2, connections=32, seconds=10)
    print(f"round {n} {TRIVIAL} {base['rps']:,.0f} req/s p99 {base['p99']:.1f} ms (load {load})")
    marker = "e2e" + uuid.uuid4().hex[:8]
    offer = Offer(port, bodies(marker, int(args.rate * args.seconds), texts), args.rate,
                  args.connections)  # fmt: skip
    workers = start_workers(args.job_workers, args.cache_url)
    idle()  # the workers have started and nothing of an earlier phase is left in the queue
    try:
        wall0 = time.time()
        start = offer.run()
        last_answer = max(s.done for s in offer.sent) - start
        rows = routed(marker, timeout=300)
        idle()  # the notifications too: the next phase starts on an empty queue
    finally:
        stop(workers)
    sent = offer.sent
    ok = [s for s in sent if s.status == 302]
    late = [s.started - s.due for s in sent]
    answer_ms = [1000 * (s.done - s.started) for s in ok]
    count, distinct = stored(marker)
    others = dict(Counter(s.status for s in sent if s.status != 302))
    lags = [finished - submitted for _, submitted, _, finished in rows]
    window_end = wall0 + 0.5 + args.seconds
    routed_in_window = sum(1 for *_, finished in rows if finished <= window_end)
    r = {
        "offered": len(sent),
        "ok": len(ok),
        "stored": count,
        "distinct": distinct,
        "routed": len(rows),
        "submit_rate": len(ok) / last_answer,
        "route_rate": routed_in_window / args.seconds,
        "answer_p50": q(answer_ms, 0.5),
        "answer_p99": q(answer_ms, 0.99),
        "late_p99": 1000 * q(late, 0.99),
        "lag_p50": q(lags, 0.5),
        "lag_p95": q(lags, 0.95),
        "lag_p99": q(lags, 0.99),
        "lag_max": max(lags),
        "trivial": base["rps"],
    }
    print(
        f"round {n} offered {r['offered']:,.0f} at {args.rate:g}/s for {args.seconds} s "
        f"(sent late p99 {r['late_p99']:.0f} ms): {r['ok']:,.0f} answered 302, "
        f"{len(sent) - len(ok)} other {others}; answer p50 {r['answer_p50']:.0f} ms p99 "
        f"{r['answer_p99']:.0f} ms; stored {count:,} reports ({distinct:,} distinct requests)"
    )
    print(
        f"round {n} routing by {args.job_workers} workers: {r['routed']:,.0f} routed; "
        f"{r['route_rate']:.1f}/s while reports arrived (submits {r['submit_rate']:.1f}/s); "
        f"lag p50 {r['lag_p50']:.2f} s p95 {r['lag_p95']:.2f} s p99 {r['lag_p99']:.2f} s "
        f"max {r['lag_max']:.2f} s"
    )
    return r


def drain(args: argparse.Namespace, port: int, texts: list[tuple[str, str]], k: int) -> float:
    marker = "drain" + uuid.uuid4().hex[:8]
    Offer(port, bodies(marker, args.backlog, texts), 200.0, args.connections).run()
    workers = start_workers(k, args.cache_url)
    try:
        rows = routed(marker, timeout=600)
        idle()
    finally:
        stop(workers)
    first = min(started for _, _, started, _ in rows)
    last = max(finished for *_, finished in rows)
    rate = len(rows) / (last - first)
    print(f"drain: {len(rows):,} routing jobs by {k} worker(s) in {last - first:.1f} s = "
          f"{rate:.1f} jobs/s")  # fmt: skip
    return rate


def setup_routing() -> None:
    """The shared history imported and a model trained, once per database."""
    from django.core.management import call_command

    from lapor.routing.models import TrainingExample

    if not TrainingExample.objects.exists():
        call_command("routing_import_history", str(HISTORY), verbosity=0)
        call_command("routing_train", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="app-server workers")
    parser.add_argument("--server-threads", type=int, default=2)
    parser.add_argument("--job-workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=128, help="client threads")
    parser.add_argument("--drain", default="1,2", help="job workers to time on a backlog")
    parser.add_argument("--backlog", type=int, default=1500)
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args()
    prepare_http(args.cache_url)
    setup_routing()
    texts = complaints()
    serve_intake_settings()
    port = free_port()
    server = start_server("granian", port, args.workers, args.server_threads, args.cache_url)
    print(
        f"granian {args.workers} workers x {args.server_threads} threads; "
        f"{args.job_workers} job workers; {args.rate:g} reports/s for {args.seconds} s; "
        f"{args.rounds} rounds; {len(texts):,} real complaints in turn"
    )
    runs = []
    rates: dict[int, float] = {}
    try:
        Offer(port, bodies("warm" + uuid.uuid4().hex[:8], 100, texts), 50.0, 8).run()
        for n in range(1, args.rounds + 1):
            runs.append(one_round(args, port, texts, n))
        for k in (int(x) for x in args.drain.split(",") if x):
            rates[k] = drain(args, port, texts, k)
    finally:
        server.terminate()
        server.wait(timeout=30)
    if runs:
        summary(args, runs)
    if len(rates) > 1:
        one = rates[min(rates)]
        print("throughput per job worker: " + ", ".join(
            f"{k}: {v:.1f} jobs/s ({v / one:.2f}x)" for k, v in sorted(rates.items())))  # fmt: skip


def summary(args: argparse.Namespace, runs: list[dict[str, float]]) -> None:
    print("\nmin/median/max over the rounds:")
    print(f"  {TRIVIAL}: {spread([r['trivial'] for r in runs], ',.0f')} req/s")
    for key, label in (
        ("submit_rate", "submits answered per second"),
        ("route_rate", "routed per second while reports arrived"),
        ("answer_p99", "answer p99 (ms)"),
        ("lag_p50", "routing lag p50 (s)"),
        ("lag_p99", "routing lag p99 (s)"),
        ("lag_max", "routing lag max (s)"),
    ):
        print(f"  {label}: {spread([r[key] for r in runs], ',.2f')}")
    lost = sum(r["ok"] - r["distinct"] for r in runs)
    twice = sum(r["stored"] - r["distinct"] for r in runs)
    unrouted = sum(r["stored"] - r["routed"] for r in runs)
    print(f"  answered 302 but not stored: {lost:.0f}; stored twice: {twice:.0f}; "
          f"stored but not routed: {unrouted:.0f}")  # fmt: skip
    met = all(r["lag_p99"] < 5 for r in runs) and all(r["ok"] == r["offered"] for r in runs)
    print(f"goal: {args.rate:g}/s sustained, routing lag p99 < 5 s: {'met' if met else 'NOT met'} "
          "in every round")  # fmt: skip


if __name__ == "__main__":
    main()
