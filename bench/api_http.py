"""The JSON API over HTTP, each figure beside a trivial view measured in the same round.

Two granian workers (the production server) serve ``lapor.wsgi``; ``wrk`` loads them on loopback.
A round measures, one after the other for ``--seconds`` each: the trivial view (Django's
``/i18n/setlang/`` redirect: routing, middleware, no database), then each API scenario. The
machine is shared and noisy, so each scenario is reported as its requests per second *and* as a
ratio to the trivial view of the same round, with min / median / max over ``--rounds`` rounds.

Scenarios:
- ``public report``: ``GET /api/v1/reports/<id>/`` over 1,000 random public reports, repeated;
- ``tracking``: ``GET /api/v1/track/<id>/`` over 1,000 random reports of any kind, repeated;
- ``partner intake``: ``POST /api/v1/partner/reports`` with a new ``Idempotency-Key`` and
  ``external_id`` on every request (each creates a report, its events, its routing job), as a
  partner system with a bearer token would; skipped when the partner API is missing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_bench .venv/bin/python bench/api_http.py

A/B against other code (``--compare /tmp/wt-api``, a ``git worktree`` of the previous commit
with ``.venv`` linked): a second server of two workers runs that tree beside this one, and each
round measures both, one after the other (trivial view first on each), so both sides meet the
same moment of a shared machine; the ratio of each scenario to the other tree's is printed per
round and as min / median / max. The load average is printed with every round.

Goals (issue 10): public report and tracking GET >= 1,500 req/s with p99 < 100 ms; partner
intake >= 5 % of the trivial view's rate. Needs ``wrk`` and Redis (the shared cache).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, django_on_postgres, prepare
from portal_http import free_port, run_wrk, to_ms

SAMPLE = 1000
TRIVIAL = "trivial view (/i18n/setlang/ redirect)"

POST_LUA = """
local counter = 0
prefix = "p"  -- each thread's own, set by setup()
local body_template = %s
local token = %s
function setup(thread)
  thread:set("prefix", "bench" .. tostring(math.random(1, 1000000000)))
end
function request()
  counter = counter + 1
  local id = prefix .. "-" .. counter
  local body = string.gsub(body_template, "EXTERNAL_ID", id)
  return wrk.format("POST", "/api/v1/partner/reports", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = '"' .. id .. '"',
  }, body)
end
"""


def sample_paths() -> dict[str, list[str]]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT tracking_id FROM reports_report TABLESAMPLE SYSTEM (1) "
            "WHERE NOT is_confidential AND status <> 'merged' ORDER BY random() LIMIT %s",
            [SAMPLE],
        )
        public = [f"/api/v1/reports/{tid}/" for (tid,) in cur.fetchall()]
        cur.execute(
            "SELECT tracking_id FROM reports_report TABLESAMPLE SYSTEM (1) "
            "ORDER BY random() LIMIT %s",
            [SAMPLE],
        )
        track = [f"/api/v1/track/{tid}/" for (tid,) in cur.fetchall()]
    return {"public report": public, "tracking": track}


def partner_token() -> tuple[str, str] | None:
    """A bench partner speaking for one kabupaten, a bearer token for it, and a report body;
    None when this tree has no partner intake."""
    try:
        from lapor.api.partner import urls  # noqa: F401
    except ImportError:
        return None
    from lapor.accounts.models import User
    from lapor.agencies.models import Agency
    from lapor.api.models import Partner
    from lapor.api.partners import partner_create
    from lapor.api.tokens import token_issue
    from lapor.regions.models import Region

    admin = User.objects.filter(memberships__role="admin_nasional").first()
    if admin is None:
        sys.exit("no national admin in the bench database: run bench/generate.py first")
    region = Region.objects.filter(level=Region.Level.KABUPATEN_KOTA).order_by("code").first()
    agency = Agency.objects.filter(kind=Agency.Kind.REGENCY).order_by("pk").first()
    assert region is not None and agency is not None
    partner = Partner.objects.filter(code="bench-mitra").first()
    if partner is None:
        partner = partner_create(
            code="bench-mitra", name="Mitra uji", agencies=[agency], actor=admin
        )
    access, _refresh = token_issue(user=partner.user, audience="partner", partner=partner)
    body = {
        "external_id": "EXTERNAL_ID",
        "type": "pengaduan",
        "title": "Lampu jalan padam di depan sekolah",
        "body": "Sudah seminggu lampu jalan di depan sekolah dasar padam dan jalan gelap.",
        "region": region.code,
    }
    return str(access), json.dumps(body)


def run_post(port: int, token: str, body: str, *, seconds: int, connections: int) -> dict:
    script_text = POST_LUA % (json.dumps(body), json.dumps(token))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script_text)
        script = f.name
    try:
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout=10s", "--latency",
             "-s", script, f"http://127.0.0.1:{port}"],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script)
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": to_ms(latency["50"]),
        "p99": to_ms(latency["99"]),
        "errors": float(errors.group(1)) if errors else 0.0,
    }


def start_tree(root: Path, port: int, cache_url: str) -> subprocess.Popen[bytes]:
    """Two granian workers serving the tree at ``root`` (its own code on ``PYTHONPATH``)."""
    env = {
        **os.environ,
        "LAPOR_ENV": "development",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": "bench-" + "x" * 40,
        "CACHE_URL": cache_url,
        "PYTHONPATH": str(root),
    }
    cmd = [str(root / ".venv/bin/granian"), "--interface=wsgi", "--workers=2",
           "--blocking-threads=2", "--host=127.0.0.1", f"--port={port}", "--no-ws",
           "--log-level=warning", "lapor.wsgi:application"]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=root, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/i18n/setlang/?next=/", timeout=5)
            return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    sys.exit(f"the server of {root} did not answer within 60 s")


def warm(port: int, urls: list[str]) -> None:
    """Ask for every address once, so the rounds measure answers already rendered (kept in
    the shared cache a while; each worker's memory fills from it on its first hit)."""
    from concurrent.futures import ThreadPoolExecutor

    started = time.perf_counter()

    def get(url: str) -> int:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=60) as answer:
            return int(answer.status)

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(get, urls))
    print(
        f"warmed {len(urls):,} addresses on :{port} in {time.perf_counter() - started:.1f} s "
        f"({sum(s == 200 for s in statuses):,} answered 200)"
    )


def wanted(name: str, only: str | None) -> bool:
    return not only or any(part.strip() in name for part in only.split(","))


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def spread(values: list[float], fmt: str) -> str:
    return "/".join(format(v, fmt) for v in (min(values), statistics.median(values), max(values)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--post-connections", type=int, default=8)
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument(
        "--only", help="measure only scenarios whose name contains one of these (comma-separated)"
    )
    parser.add_argument("--compare", type=Path, help="another tree to measure beside this one")
    args = parser.parse_args()
    os.environ.setdefault("DEBUG", "false")
    os.environ["CACHE_URL"] = args.cache_url
    # wrk is one client on one address: lift the API's limits, which would answer 429.
    os.environ["API_RATE_CLIENT"] = os.environ["API_RATE_IP"] = "100000000/min"
    import redis

    redis.Redis.from_url(args.cache_url).flushdb()
    django_on_postgres()
    prepare()
    paths = sample_paths()
    intake = partner_token() if wanted("partner intake", args.only) else None
    trees = {"this": ROOT} | ({"other": args.compare.resolve()} if args.compare else {})
    servers = {}
    for name, root in trees.items():
        port = free_port()
        servers[name] = (port, start_tree(root, port, args.cache_url))
    print(
        "granian 2 workers x 2 threads per tree ("
        + ", ".join(f"{n}: {r}" for n, r in trees.items())
        + f"); "
        f"wrk -t2 -c{args.connections} (POST: -c{args.post_connections}) -d{args.seconds}s; "
        f"{args.rounds} rounds; " + ("partner intake included" if intake else "no partner API")
    )
    results: dict[tuple[str, str], list[dict]] = {}
    try:
        for port, _proc in servers.values():
            warm(port, [u for urls in paths.values() for u in urls])
            for urls in [["/i18n/setlang/?next=/"], *paths.values()]:
                run_wrk(port, urls, threads=2, connections=args.connections, seconds=2)  # warm
        for round_no in range(1, args.rounds + 1):
            for tree, (port, _proc) in servers.items():
                row = {}
                for name, urls in [(TRIVIAL, ["/i18n/setlang/?next=/"]), *paths.items()]:
                    if name != TRIVIAL and not wanted(name, args.only):
                        continue
                    row[name] = run_wrk(
                        port, urls, threads=2, connections=args.connections, seconds=args.seconds
                    )
                if intake and wanted("partner intake", args.only):
                    row["partner intake"] = run_post(
                        port, intake[0], intake[1], seconds=args.seconds,
                        connections=args.post_connections,
                    )  # fmt: skip
                base = row[TRIVIAL]["rps"]
                for name, r in row.items():
                    r["ratio"] = r["rps"] / base
                    results.setdefault((tree, name), []).append(r)
                    print(
                        f"round {round_no} {tree:5s} {name:40s} {r['rps']:8,.0f} req/s"
                        f"  p50 {r['p50']:6.1f} ms  p99 {r['p99']:6.1f} ms"
                        f"  {r['ratio'] * 100:6.1f} % of trivial"
                        f"  ({r['errors']:,.0f} non-2xx/3xx)  load {load()}"
                    )
                time.sleep(1)
    finally:
        for _port, proc in servers.values():
            proc.terminate()
        for _port, proc in servers.values():
            proc.wait(timeout=30)
    print("\nmin/median/max over the rounds:")
    for (tree, name), runs in results.items():
        print(
            f"  {tree:5s} {name:40s} req/s {spread([r['rps'] for r in runs], ',.0f')}"
            f"  p99 ms {spread([r['p99'] for r in runs], '.1f')}"
            f"  % of trivial {spread([r['ratio'] * 100 for r in runs], '.1f')}"
        )
    if args.compare:
        print("\nthis tree / other tree, per round (min/median/max):")
        names = {name for tree, name in results if tree == "this"}
        for name in sorted(names):
            this, other = results[("this", name)], results.get(("other", name))
            if not other:
                continue
            rps = [a["rps"] / b["rps"] for a, b in zip(this, other, strict=True)]
            p99 = [a["p99"] / b["p99"] for a, b in zip(this, other, strict=True)]
            print(f"  {name:40s} req/s x{spread(rps, '.2f')}  p99 x{spread(p99, '.2f')}")


if __name__ == "__main__":
    main()
