"""Inbound SMS over HTTP: the gateway webhook beside a trivial view, and a burst with resends.

Two granian workers serve ``lapor.wsgi`` with the SMS channel on. A round measures, one after
the other for ``--seconds`` each: the trivial view (Django's ``/i18n/setlang/`` redirect), then
``POST /kanal/sms/generic/`` with a new message ID and sender on every request (each stores the
raw message, files a report through ``report_submit`` with its event, routing job and receipt
SMS row, in one transaction), reported as messages/s and p99 *and* as a ratio to the trivial
view of the same round, min / median / max over ``--rounds``.

Then the burst: ``--burst`` distinct messages, ``--resend-share`` of them delivered a second
time (shuffled in, often at the same moment, as a gateway retrying after a timeout does), sent
by ``--clients`` concurrent HTTP clients; afterwards the database must hold exactly one stored
message and one report per distinct message.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_channels \
        .venv/bin/python bench/channels_sms.py

Needs ``wrk`` and Redis (the shared cache; ``--cache-url``, db 11 by default).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on_postgres, prepare
from api_http import spread
from portal_http import free_port, run_wrk, start_server, to_ms

SECRET = "bench-sms-gateway-secret-0123456789"  # noqa: S105 - the bench server's own
TRIVIAL = "trivial view (/i18n/setlang/ redirect)"
SCENARIO = "inbound SMS webhook"
STORY = (
    "Lampu jalan di depan pasar Kabupaten Demak padam sejak dua minggu, jalan gelap dan rawan "
    "kecelakaan pada malam hari."
)

POST_LUA = """
local counter = 0
prefix = "p"
local story = %s
local token = %s
function setup(thread)
  thread:set("prefix", "w" .. tostring(math.random(1, 1000000000)))
end
function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end
function request()
  counter = counter + 1
  local id = prefix .. "-" .. counter
  local number = "0812" .. string.format("%%08d", math.random(0, 99999999))
  local body = '{"id": "' .. id .. '", "from": "' .. number .. '", "text": "' .. story .. '"}'
  return wrk.format("POST", "/kanal/sms/generic/", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, body)
end
"""


def run_post(port: int, *, seconds: int, connections: int) -> dict[str, float]:
    import re

    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(POST_LUA % (json.dumps(STORY), json.dumps(SECRET)))
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


def burst(port: int, *, count: int, resend_share: float, clients: int) -> None:
    from lapor.channels.models import ChannelReport, InboundMessage

    run = f"burst-{int(time.time())}"
    messages = [
        json.dumps(
            {"id": f"{run}-{i}", "from": f"0813{i:08d}", "text": f"{STORY} Nomor {i}."}
        ).encode()
        for i in range(count)
    ]
    resent = random.sample(range(count), int(count * resend_share))
    # Each resend lands close to its first delivery: often both are in flight together.
    order = list(range(count))
    for i in resent:
        order.insert(min(len(order), order.index(i) + random.randint(0, clients)), i)
    url = f"http://127.0.0.1:{port}/kanal/sms/generic/"

    def send(i: int) -> tuple[int, bool]:
        request = urllib.request.Request(
            url,
            data=messages[i],
            method="POST",
            headers={"Authorization": f"Bearer {SECRET}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
            body = json.loads(answer.read())
            return answer.status, body["duplicates"] == 1

    started = time.monotonic()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(send, order))
    took = time.monotonic() - started
    statuses = {s for s, _ in results}
    duplicates = sum(d for _, d in results)
    stored = InboundMessage.objects.filter(provider_message_id__startswith=f"{run}-").count()
    reports = ChannelReport.objects.filter(
        inbound__provider_message_id__startswith=f"{run}-"
    ).count()
    ok = stored == count and reports == count and statuses == {200}
    print(
        f"\nburst: {count:,} distinct messages + {len(resent):,} resends = {len(order):,} "
        f"deliveries by {clients} clients in {took:.1f} s ({len(order) / took:,.0f}/s); "
        f"HTTP statuses {sorted(statuses)}; answered as duplicates {duplicates:,}; "
        f"stored messages {stored:,}; reports {reports:,} -> "
        + ("exactly one report per message" if ok else "MISMATCH")
    )
    if not ok:
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--post-connections", type=int, default=8)
    parser.add_argument("--burst", type=int, default=10_000)
    parser.add_argument("--resend-share", type=float, default=0.1)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/11")
    args = parser.parse_args()
    os.environ.setdefault("DEBUG", "false")
    os.environ["CACHE_URL"] = args.cache_url
    os.environ["CHANNEL_SMS"] = "true"
    os.environ["CHANNEL_SMS_SECRET"] = SECRET
    os.environ["CHANNEL_RATE_PER_HOUR"] = "1000000"
    os.environ["SMS_BACKEND"] = "console"
    import redis

    redis.Redis.from_url(args.cache_url).flushdb()
    django_on_postgres()
    prepare()
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    port = free_port()
    server = start_server("granian", port, 2, 2, args.cache_url)
    print(
        f"granian 2 workers x 2 threads on 127.0.0.1:{port}; wrk -t2 -c{args.connections} "
        f"(POST: -c{args.post_connections}) -d{args.seconds}s; {args.rounds} rounds"
    )
    results: dict[str, list[dict[str, float]]] = {}
    try:
        run_wrk(port, ["/i18n/setlang/?next=/"], threads=2, connections=args.connections, seconds=2)
        run_post(port, seconds=2, connections=args.post_connections)  # warm
        for round_no in range(1, args.rounds + 1):
            row = {
                TRIVIAL: run_wrk(
                    port,
                    ["/i18n/setlang/?next=/"],
                    threads=2,
                    connections=args.connections,
                    seconds=args.seconds,
                ),
                SCENARIO: run_post(port, seconds=args.seconds, connections=args.post_connections),
            }
            base = row[TRIVIAL]["rps"]
            for name, r in row.items():
                r["ratio"] = r["rps"] / base
                r["p99_ratio"] = r["p99"] / row[TRIVIAL]["p99"]
                results.setdefault(name, []).append(r)
                print(
                    f"round {round_no} {name:40s} {r['rps']:8,.0f} req/s  p50 {r['p50']:6.1f} ms"
                    f"  p99 {r['p99']:6.1f} ms  {r['ratio'] * 100:6.1f} % of trivial"
                    f"  ({r['errors']:,.0f} non-2xx/3xx)"
                )
            time.sleep(1)
        print("\nmin/median/max over the rounds:")
        for name, runs in results.items():
            print(
                f"  {name:40s} req/s {spread([r['rps'] for r in runs], ',.0f')}"
                f"  p99 ms {spread([r['p99'] for r in runs], '.1f')}"
                f"  % of trivial {spread([r['ratio'] * 100 for r in runs], '.1f')}"
                f"  p99 x trivial {spread([r['p99_ratio'] for r in runs], '.1f')}"
            )
        burst(port, count=args.burst, resend_share=args.resend_share, clients=args.clients)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
