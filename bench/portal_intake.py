"""Intake through the portal's submit form over HTTP (issue 15), beside a trivial view of the
same server measured in the same round.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_bench \\
        .venv/bin/python bench/portal_intake.py [--rounds 3] [--seconds 10]

granian (2 workers x 2 threads, as ``hot_pages.py``), Redis as the shared cache, ``wrk`` on
loopback. Each request is a guest's whole POST of ``/lapor/`` (the form a browser sends after
its GET: CSRF cookie and field, the form's one-report token, type, title, text, kabupaten/kota,
the privacy choices, an e-mail address) and makes one report through ``report_submit`` (its two
events, its routing job, its notification); the answer is the redirect to the confirmation
page. Every request carries a token of its own, made here as the form page would make it
(``portal.tokens``: a nonce and its HMAC with the server's secret key and the browser's CSRF
secret), so no request is a resend. The per-IP submit limit (10 an hour) is raised for the
benchmark only (``bench/intake_settings.py``): every request comes from 127.0.0.1.

Printed per round: the trivial view (``/i18n/setlang/`` redirect), then the intake's requests
per second, p50/p99 and its share of the trivial view's rate; min/median/max over the rounds;
and the reports counted in the database before and after (each 302 must be one report).
Goal (issue 15): intake >= 5 % of the trivial view.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from portal_http import free_port, prepare_http, run_wrk, start_server, to_ms

SECRET_KEY = "bench-" + "x" * 40  # portal_http.start_server's
CSRF_SECRET = "b" * 32  # the browser's CSRF secret (its cookie)
TRIVIAL = "trivial view (/i18n/setlang/ redirect)"
GOAL = 5.0

LUA = """
local bodies = {%s}
local counter = 1
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
local i = 0
local n = 0
function init(args)
  n = %d
  i = id - 1
end
function request()
  local body = bodies[i %% #bodies + 1]
  i = i + n
  return wrk.format("POST", "/lapor/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=%s",
  }, body)
end
"""


def serve_intake_settings() -> None:
    """The servers started from now on read the benchmark's settings (``intake_settings``: the
    submit limit raised), the product's else."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "intake_settings"
    bench_dir = str(Path(__file__).resolve().parent)
    os.environ["PYTHONPATH"] = bench_dir + os.pathsep + os.environ.get("PYTHONPATH", "")


def token() -> str:
    """A form token as ``portal.tokens.issue`` makes it for the browser holding CSRF_SECRET."""
    nonce = secrets.token_hex(16)
    message = f"submit-form:{nonce}:{CSRF_SECRET}".encode()
    return nonce + hmac.new(SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


def bodies(count: int, region: str) -> list[str]:
    return [
        urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": CSRF_SECRET,
                "form_token": token(),
                "type": "pengaduan",
                "title": f"Jalan berlubang di depan pasar nomor {i}",
                "body": "Lubang besar di tengah jalan sudah dua minggu, banyak pengendara motor "
                "jatuh. Mohon segera diperbaiki sebelum musim hujan.",
                "region": region,
                "is_anonymous": "on",
                "is_confidential": "on",
                "contact_email": f"warga{i}@contoh.id",
            }
        )
        for i in range(count)
    ]


def run_posts(
    port: int, posts: list[str], threads: int, connections: int, seconds: int
) -> dict[str, float]:
    quoted = ",".join('"' + b.replace('"', '\\"') + '"' for b in posts)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(LUA % (quoted, threads, CSRF_SECRET))
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
    import re

    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    total = re.search(r"(\d+) requests in", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": to_ms(latency["50"]),
        "p99": to_ms(latency["99"]),
        "requests": float(total.group(1)) if total else 0.0,
        "errors": float(errors.group(1)) if errors else 0.0,
    }


def spread(values: list[float], fmt: str = ",.1f") -> str:
    return "/".join(format(v, fmt) for v in (min(values), statistics.median(values), max(values)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--server-threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    prepare_http(args.cache_url)
    from django_tasks_db.models import DBTaskResult

    from lapor.regions.models import Region
    from lapor.reports.models import Report

    region = Region.objects.filter(level=Region.Level.KABUPATEN_KOTA).order_by("code").first()
    assert region is not None
    serve_intake_settings()
    port = free_port()
    server = start_server("granian", port, args.workers, args.server_threads, args.cache_url)
    threads = 2
    print(
        f"granian {args.workers} workers x {args.server_threads} threads on 127.0.0.1:{port}; "
        f"wrk -t{threads} -c{args.connections} -d{args.seconds}s; {args.rounds} rounds; "
        f"guest reports to {region.name}"
    )
    runs: list[dict[str, float]] = []
    bases: list[dict[str, float]] = []
    before = Report.objects.count()
    posted_ok = 0.0
    try:
        run_posts(port, bodies(200, region.pk), threads, args.connections, 2)  # warm
        warm = Report.objects.count() - before
        for round_no in range(1, args.rounds + 1):
            load = Path("/proc/loadavg").read_text().split()[:3]
            base = run_wrk(port, ["/i18n/setlang/?next=/"], threads=2,
                           connections=32, seconds=args.seconds)  # fmt: skip
            bases.append(base)
            print(
                f"round {round_no} {TRIVIAL:38s} {base['rps']:8,.0f} req/s  p50 "
                f"{base['p50']:6.1f} ms  p99 {base['p99']:7.1f} ms  (load {' '.join(load)})"
            )
            # More bodies than the round can send: no token is ever sent twice.
            posts = bodies(int(base["rps"] * 0.15 * args.seconds) + 500, region.pk)
            r = run_posts(port, posts, threads, args.connections, args.seconds)
            r["ratio"] = 100 * r["rps"] / base["rps"]
            posted_ok += r["requests"] - r["errors"]
            runs.append(r)
            print(
                f"round {round_no} {'portal intake (POST /lapor/)':38s} {r['rps']:8,.0f} req/s  "
                f"p50 {r['p50']:6.1f} ms  p99 {r['p99']:7.1f} ms  {r['ratio']:6.2f} % of "
                f"trivial  ({r['errors']:.0f} non-2xx/3xx of {r['requests']:,.0f})"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    made = Report.objects.count() - before - warm
    DBTaskResult.objects.filter(status="READY").delete()  # the routing jobs: not measured here
    print("\nmin/median/max over the rounds:")
    print(f"  {TRIVIAL:38s} req/s {spread([b['rps'] for b in bases], ',.0f')}  p99 ms "
          f"{spread([b['p99'] for b in bases])}")  # fmt: skip
    ratios = [r["ratio"] for r in runs]
    met = statistics.median(ratios) >= GOAL
    print(
        f"  {'portal intake (POST /lapor/)':38s} req/s {spread([r['rps'] for r in runs], ',.0f')}"
        f"  % of trivial {spread(ratios, '.2f')}  p99 ms {spread([r['p99'] for r in runs])}  "
        f"goal >= {GOAL} %: {'met' if met else 'NOT met'} (median)"
    )
    print(
        f"reports made in the measured rounds: {made:,} for {posted_ok:,.0f} answers "
        f"302 (wrk counts requests still in flight at the end as not answered)"
    )


if __name__ == "__main__":
    main()
