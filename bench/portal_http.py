"""Public portal over HTTP: two server processes, loaded by ``wrk`` on loopback.

The server is gunicorn (gthread) or, with ``--server granian``, granian's WSGI interface, the
production server (docs/adr/0007-granian-app-server.md); both run ``lapor.wsgi``.

Pages, each with URLs sampled from the database: the track page (``/lacak/<id>/``) in two
mixes, a public report page (``/laporan/<id>/``, never rahasia) and the public list filtered by
a province and "dalam proses". Prints requests per second and p50/p99 latency of each; the goal
is the track page at 1,500 req/s or more with p99 under 100 ms.

Track mixes: "repeat" rotates over ``--track-ids`` (1,000) random reports, so each is asked
for many times (most requests find the rendered page in the cache); "cold" asks for a different
report on every request (50,000 sampled), so nearly every request renders. The servers share
the Redis at ``--cache-url`` (its database is emptied first), as production does.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_bench \
        .venv/bin/python bench/portal_http.py

Needs ``wrk`` on the PATH (Debian: ``apt-get install -y wrk``) and Redis. ``--profile`` also
measures server time per request in-process (the WSGI application called directly: no HTTP,
no queueing) and profiles the track page.
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
COLD = 50_000
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

# The same, each request's address made unique (``&n=<thread>-<count>``), so no kept page of
# any cache can answer it: every request is one the server was never asked before.
LUA_UNIQUE = """
local urls = {%s}
local i = 0
local n = 0
local tag = ""
function init(args)
  local seed = tonumber(tostring({}):sub(8), 16)
  math.randomseed(os.time() + seed)
  i = math.random(#urls)
  tag = string.format("%%x", seed)
end
function request()
  i = i %% #urls + 1
  n = n + 1
  return wrk.format("GET", urls[i] .. "&n=" .. tag .. "-" .. n)
end
"""


def sample_urls(track_ids: int) -> dict[str, list[str]]:
    """Real URLs: random tracking IDs, random public reports, the list per province."""
    from django.db import connection

    from lapor.regions.models import Region

    with connection.cursor() as cur:
        cur.execute(
            "SELECT tracking_id FROM reports_report TABLESAMPLE SYSTEM (1) "
            "ORDER BY random() LIMIT %s",
            [track_ids],
        )
        track = [f"/lacak/{tid}/" for (tid,) in cur.fetchall()]
        cur.execute(
            "SELECT tracking_id FROM reports_report TABLESAMPLE SYSTEM (6) "
            "ORDER BY random() LIMIT %s",
            [COLD],
        )
        cold = [f"/lacak/{tid}/" for (tid,) in cur.fetchall()]
        cur.execute(
            "SELECT tracking_id FROM reports_report TABLESAMPLE SYSTEM (1) "
            "WHERE NOT is_confidential AND status <> 'merged' ORDER BY random() LIMIT %s",
            [SAMPLE],
        )
        public = [f"/laporan/{tid}/" for (tid,) in cur.fetchall()]
    provinces = Region.objects.filter(level=Region.Level.PROVINSI).values_list("code", flat=True)
    listing = [f"/laporan/?region={code}&status=open" for code in provinces]
    return {
        f"track page, {len(track):,} IDs repeated": track,
        "track page, a new ID each time": cold,
        "public report page": public,
        "public list (province, open)": listing,
    }


def prepare_http(cache_url: str) -> None:
    """What every benchmark over HTTP needs first: ``wrk``, the server's settings as served
    (``DEBUG`` off: no query log), its own Redis database emptied, Django on the benchmark's
    PostgreSQL database, migrated, with the reference data."""
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install -y wrk)")
    os.environ.setdefault("DEBUG", "false")
    os.environ["CACHE_URL"] = cache_url
    import redis

    redis.Redis.from_url(cache_url).flushdb()  # the benchmark's own database number
    django_on_postgres()
    prepare()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    server: str, port: int, workers: int, threads: int, cache_url: str
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "LAPOR_ENV": "development",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": "bench-" + "x" * 40,
        "CACHE_URL": cache_url,
        # Names the workers' PostgreSQL sessions, so their CPU can be counted.
        "DATABASE_URL": with_application_name(os.environ["DATABASE_URL"]),
    }
    if server == "granian":
        cmd = [
            str(ROOT / ".venv/bin/granian"),
            "--interface=wsgi",
            f"--workers={workers}",
            f"--blocking-threads={threads}",
            "--host=127.0.0.1",
            f"--port={port}",
            "--no-ws",
            "--log-level=warning",
            "lapor.wsgi:application",
        ]
    else:
        cmd = [
            str(ROOT / ".venv/bin/gunicorn"),
            "lapor.wsgi",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ]
        if threads > 1:
            cmd.append(f"--threads={threads}")  # gthread: keeps connections alive
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/lacak/", timeout=5)
            return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    sys.exit(f"{server} did not answer within 30 s")


APP_NAME = "bench-portal-http"


def with_application_name(url: str) -> str:
    return url + ("&" if "?" in url else "?") + f"application_name={APP_NAME}"


TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def cpu_ms(pid: int) -> float | None:
    """User + system CPU used so far by a process (None once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return None
    return (int(fields[11]) + int(fields[12])) * TICK_MS  # utime, stime


class CpuMeter:
    """CPU that one run costs, per part: the gunicorn workers, their PostgreSQL sessions, wrk
    (a child of this process) and Redis. On a shared machine req/s swings with the load of
    others; the CPU per request much less, and 2 cores / that CPU bounds the req/s two idle
    cores could give (an upper bound: it leaves out the kernel's work outside these processes).
    A worker thread reconnects to PostgreSQL after ``CONN_MAX_AGE``: a session that ends during
    the run is left out, one that starts is counted whole."""

    def __init__(self, server: subprocess.Popen[bytes], cache_url: str) -> None:
        import redis

        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text()
        self.workers = [int(pid) for pid in children.split()]
        info = redis.Redis.from_url(cache_url).info("server")
        self.redis = int(info["process_id"])
        self.start = self.read()

    @staticmethod
    def backends() -> list[int]:
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s", [APP_NAME])
            return [pid for (pid,) in cur.fetchall()]

    def read(self) -> dict[str, dict[int, float]]:
        import resource

        wrk = resource.getrusage(resource.RUSAGE_CHILDREN)
        groups = {"workers": self.workers, "PostgreSQL": self.backends(), "Redis": [self.redis]}
        found = {
            name: {pid: ms for pid in pids if (ms := cpu_ms(pid)) is not None}
            for name, pids in groups.items()
        }
        found["wrk"] = {0: (wrk.ru_utime + wrk.ru_stime) * 1000}
        return found

    def per_request(self, requests: float) -> str:
        end = self.read()
        parts = {
            name: sum(ms - self.start[name].get(pid, 0.0) for pid, ms in now.items())
            / max(requests, 1)
            for name, now in end.items()
        }
        total = sum(parts.values())
        text = ", ".join(f"{k} {v:.2f}" for k, v in parts.items())
        return (
            f"    CPU per request: {text}; total {total:.2f} ms -> two idle cores: "
            f"at most {2000 / total:,.0f} req/s"
        )


def rendered_pages(cache_url: str) -> int:
    """Track pages in the shared cache: each was rendered once (a miss)."""
    import redis

    client = redis.Redis.from_url(cache_url)
    return sum(1 for _ in client.scan_iter("*:track:*", count=1000))


def to_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(
    port: int,
    urls: list[str],
    *,
    threads: int,
    connections: int,
    seconds: int,
    unique: bool = False,
) -> dict[str, float]:
    """``urls`` in turn from ``connections`` connections for ``seconds``; with ``unique``
    every request's address is one never asked before (see ``LUA_UNIQUE``)."""
    quoted = ",".join('"' + u.replace('"', '\\"') + '"' for u in urls)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write((LUA_UNIQUE if unique else LUA) % quoted)
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
    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", out, re.M))
    if "99" not in latency:
        sys.exit(f"wrk printed no latency distribution:\n{out}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    total = re.search(r"(\d+) requests in", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": to_ms(latency["50"]),
        "p99": to_ms(latency["99"]),
        "requests": float(total.group(1)) if total else 0.0,
        "errors": float(errors.group(1)) if errors else 0.0,
    }


def wsgi_get(path: str) -> tuple[str, int]:
    """One GET through the WSGI application, in this process: server time only."""
    import io

    from lapor.wsgi import application

    route, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": route,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }
    status: list[str] = []
    body = application(environ, lambda s, h, e=None: status.append(s))  # type: ignore[arg-type]
    size = sum(len(chunk) for chunk in body)
    return status[0], size


def server_time(label: str, urls: list[str]) -> None:
    wall, cpu = [], []
    for url in urls:
        w, c = time.perf_counter(), time.process_time()
        status, _ = wsgi_get(url)
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
        assert status[:3] in ("200", "302"), (url, status)
    wall.sort()
    n = len(wall)
    print(
        f"  {label:44s} wall p50 {wall[n // 2]:6.2f} ms  mean {sum(wall) / n:6.2f} ms; "
        f"CPU of this process mean {sum(cpu) / n:6.2f} ms  ({n} requests)"
    )


def profile(pages: dict[str, list[str]]) -> None:
    """Server time per request without HTTP or queueing, and where the track page's goes."""
    import cProfile
    import pstats
    from unittest import mock

    track = next(iter(pages.values()))[:300]
    cold = pages["track page, a new ID each time"][-300:]
    print("\nserver time per request, in-process (WSGI called directly; wall includes the DB):")
    wsgi_get(track[0])
    server_time("trivial view (/i18n/setlang/ redirect)", ["/i18n/setlang/?next=/"] * 300)
    for url in track:  # fill the cache
        wsgi_get(url)
    server_time("track page from the cache", track)
    server_time("track page rendered (a new ID each time)", cold)
    try:
        from lapor.portal import track_cache
    except ImportError:  # a release before the track page cache
        pass
    else:
        with mock.patch.object(track_cache, "get", return_value=None):
            server_time("track page rendered (cache bypassed)", track)
    server_time("public report page", pages["public report page"][:200])
    server_time("public list (province, open)", pages["public list (province, open)"] * 2)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for url in track:
        wsgi_get(url)
    profiler.disable()
    print("cProfile (CPU time) of 300 track GETs from the cache, by own time:")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", choices=("gunicorn", "granian"), default="gunicorn")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--server-threads", type=int, default=2, help="1: sync workers")
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--track-ids", type=int, default=SAMPLE)
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--only", help="measure only pages whose name contains this")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    prepare_http(args.cache_url)
    pages = sample_urls(args.track_ids)
    port = free_port()
    server = start_server(args.server, port, args.workers, args.server_threads, args.cache_url)
    if args.server == "granian":
        kind = f"{args.server_threads} blocking threads"
    else:
        kind = f"gthread, {args.server_threads} threads" if args.server_threads > 1 else "sync"
    print(
        f"{args.server} {args.workers} workers ({kind}) on 127.0.0.1:{port}, "
        f"cache {args.cache_url}; "
        f"wrk -t{args.threads} -c{args.connections} -d{args.seconds}s; "
        + ", ".join(f"{len(v):,} {k} URLs" for k, v in pages.items())
    )
    results = {}
    try:
        for name, urls in pages.items():
            if args.only and args.only not in name:
                continue
            if "repeated" in name:  # steady state: every page rendered once before
                for url in urls:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=30).read()
            warm = urls
            if "new ID" in name:  # warm up on IDs the run never asks for (nor the profile)
                warm, urls = urls[:5000], urls[5000:-300]
            run_wrk(port, warm, threads=args.threads, connections=args.connections, seconds=3)
            before = rendered_pages(args.cache_url)
            meter = CpuMeter(server, args.cache_url)
            r = run_wrk(
                port,
                urls,
                threads=args.threads,
                connections=args.connections,
                seconds=args.seconds,
            )
            results[name] = r
            rendered = ""
            if name.startswith("track"):
                rendered = f", {rendered_pages(args.cache_url) - before:,} pages rendered"
            print(
                f"{name:34s} {r['rps']:8,.0f} req/s   p50 {r['p50']:7.1f} ms   "
                f"p99 {r['p99']:7.1f} ms   ({r['requests']:,.0f} requests, "
                f"{r['errors']:,.0f} non-2xx/3xx{rendered})"
            )
            print(meter.per_request(r["requests"]))
    finally:
        server.terminate()
        server.wait(timeout=30)
    track = next((r for n, r in results.items() if "repeated" in n), None)
    if track is not None:
        met = track["rps"] >= 1500 and track["p99"] < 100
        print(
            f"goal (track page >= 1,500 req/s, p99 < 100 ms): {'met' if met else 'NOT met'} "
            f"({track['rps']:,.0f} req/s, p99 {track['p99']:.1f} ms)"
        )
    if args.profile:
        profile(pages)


if __name__ == "__main__":
    main()
