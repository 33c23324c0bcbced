"""Public portal over HTTP: gunicorn with two worker processes, loaded by ``wrk`` on loopback.

Three pages, each with URLs sampled from the database: the track page (``/lacak/<id>/``), a
public report page (``/laporan/<id>/``, never rahasia) and the public list filtered by a
province and "dalam proses". Prints requests per second and p50/p99 latency of each; the goal
is the track page at 1,500 req/s or more with p99 under 100 ms.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_bench \
        .venv/bin/python bench/portal_http.py

Needs ``wrk`` on the PATH (Debian: ``apt-get install -y wrk``). ``--profile`` also profiles one
track request in-process (cProfile through Django's test client).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, django_on_postgres, prepare

SAMPLE = 1000
LUA = """
local urls = {%s}
local i = 0
function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  i = math.random(#urls)
end
function request()
  i = i %% #urls + 1
  return wrk.format("GET", urls[i])
end
"""


def sample_urls() -> dict[str, list[str]]:
    """Real URLs: random tracking IDs, random public reports, the list per province."""
    from django.db import connection

    from lapor.regions.models import Region

    with connection.cursor() as cur:
        cur.execute(
            "SELECT tracking_id FROM reports_report TABLESAMPLE SYSTEM (1) "
            "ORDER BY random() LIMIT %s",
            [SAMPLE],
        )
        track = [f"/lacak/{tid}/" for (tid,) in cur.fetchall()]
        cur.execute(
            "SELECT tracking_id FROM reports_report TABLESAMPLE SYSTEM (1) "
            "WHERE NOT is_confidential AND status <> 'merged' ORDER BY random() LIMIT %s",
            [SAMPLE],
        )
        public = [f"/laporan/{tid}/" for (tid,) in cur.fetchall()]
    provinces = Region.objects.filter(level=Region.Level.PROVINSI).values_list("code", flat=True)
    listing = [f"/laporan/?region={code}&status=open" for code in provinces]
    return {
        "track page": track,
        "public report page": public,
        "public list (province, open)": listing,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gunicorn(port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "LAPOR_ENV": "development",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": "bench-" + "x" * 40,
    }
    cmd = [
        str(ROOT / ".venv/bin/gunicorn"),
        "lapor.wsgi",
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/laporan/?status=open", timeout=5)
            return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    sys.exit("gunicorn did not answer within 30 s")


def to_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(
    port: int, urls: list[str], *, threads: int, connections: int, seconds: int
) -> dict[str, float]:
    quoted = ",".join('"' + u.replace('"', '\\"') + '"' for u in urls)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(LUA % quoted)
        script = f.name
    try:
        out = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout=10s",
                "--latency",
                "-s",
                script,
                f"http://127.0.0.1:{port}",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(script)
    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)$", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    total = re.search(r"(\d+) requests in", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": to_ms(latency["50"]),
        "p99": to_ms(latency["99"]),
        "requests": float(total.group(1)) if total else 0.0,
        "errors": float(errors.group(1)) if errors else 0.0,
    }


def profile_track(urls: list[str]) -> None:
    """Server time of the track page in-process (no HTTP, no queueing) and where it goes."""
    import cProfile
    import pstats
    import statistics

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(urls[0])  # connect and warm up first
    times = []
    for url in urls[1:301]:
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    with CaptureQueriesContext(connection) as queries:
        client.get(urls[1])
    db_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    print(
        f"\ntrack page in-process over {len(times)} IDs: p50 {times[len(times) // 2]:.1f} ms, "
        f"p95 {times[int(len(times) * 0.95)]:.1f} ms, mean {statistics.mean(times):.1f} ms; "
        f"{len(queries.captured_queries)} queries taking {db_ms:.1f} ms of one request"
    )
    profiler = cProfile.Profile()
    profiler.enable()
    for url in urls[1:101]:
        client.get(url)
    profiler.disable()
    print("cProfile of 100 track GETs, cumulative, the project's and Django's main steps:")
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(
        r"lapor/|shortcuts.py.*render|backends/utils.py.*execute$|base.py.*render", 25
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install -y wrk)")
    os.environ.setdefault("DEBUG", "false")  # as served: no query log in the profile
    django_on_postgres()
    prepare()
    pages = sample_urls()
    port = free_port()
    server = start_gunicorn(port, args.workers)
    print(
        f"gunicorn {args.workers} workers on 127.0.0.1:{port}; wrk -t{args.threads} "
        f"-c{args.connections} -d{args.seconds}s; "
        + ", ".join(f"{len(v)} {k} URLs" for k, v in pages.items())
    )
    results = {}
    try:
        for name, urls in pages.items():
            run_wrk(port, urls, threads=args.threads, connections=args.connections, seconds=3)
            r = run_wrk(
                port,
                urls,
                threads=args.threads,
                connections=args.connections,
                seconds=args.seconds,
            )
            results[name] = r
            print(
                f"{name:30s} {r['rps']:8,.0f} req/s   p50 {r['p50']:7.1f} ms   "
                f"p99 {r['p99']:7.1f} ms   ({r['requests']:,.0f} requests, "
                f"{r['errors']:,.0f} non-2xx/3xx)"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    track = results["track page"]
    met = track["rps"] >= 1500 and track["p99"] < 100
    print(
        f"goal (track page >= 1,500 req/s, p99 < 100 ms): {'met' if met else 'NOT met'} "
        f"({track['rps']:,.0f} req/s, p99 {track['p99']:.1f} ms)"
    )
    if args.profile or not met:
        profile_track(pages["track page"])


if __name__ == "__main__":
    main()
