"""What the request ID and the Prometheus histogram cost a request (ADR 0027).

Calls the WSGI application in-process (no HTTP, no queueing: the middleware's own cost is all
that differs) for ``/healthz``, the cheapest view, with the full middleware stack, and again
with the stack minus ``MetricsMiddleware`` and ``RequestIdMiddleware``; the two alternate
within each round so the machine's noise falls on both. Prints microseconds per request of
each, min/median/max over the rounds, and the ratio. SQLite, no data needed:

    .venv/bin/python bench/observability.py --rounds 7 --requests 3000
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
os.environ.pop("DATABASE_URL", None)
os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

OURS = ("lapor.core.metrics.MetricsMiddleware", "lapor.core.request_id.RequestIdMiddleware")


def environ() -> dict[str, object]:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/healthz",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
    }


def per_request_us(app: WSGIHandler, requests: int) -> float:
    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        assert status.startswith("200"), status

    started = time.perf_counter()
    for _ in range(requests):
        body = app(environ(), start_response)
        b"".join(body)
        body.close()  # type: ignore[attr-defined]
    return (time.perf_counter() - started) / requests * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    full = list(settings.MIDDLEWARE)
    assert all(name in full for name in OURS), "the middleware under test is not installed"
    without = [name for name in full if name not in OURS]
    with_app = WSGIHandler()
    with override_settings(MIDDLEWARE=without):
        without_app = WSGIHandler()
    per_request_us(with_app, 200)  # warm both
    with override_settings(MIDDLEWARE=without):
        per_request_us(without_app, 200)
    timings: dict[str, list[float]] = {"with": [], "without": []}
    for _ in range(args.rounds):
        timings["with"].append(per_request_us(with_app, args.requests))
        with override_settings(MIDDLEWARE=without):
            timings["without"].append(per_request_us(without_app, args.requests))
    ratios = [a / b for a, b in zip(timings["with"], timings["without"], strict=True)]
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    print(f"/healthz in-process, {args.rounds} rounds x {args.requests} requests, load {load}")
    for name, values in (*timings.items(), ("ratio", ratios)):
        unit = "" if name == "ratio" else " us/request"
        print(
            f"  {name:8} min {min(values):7.2f}  median {statistics.median(values):7.2f}"
            f"  max {max(values):7.2f}{unit}"
        )
    extra = [a - b for a, b in zip(timings["with"], timings["without"], strict=True)]
    print(f"  added    median {statistics.median(extra):.2f} us/request")


if __name__ == "__main__":
    main()
