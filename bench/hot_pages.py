"""The portal's hot pages over HTTP at scale (issue 15), each beside a trivial view of the same
server measured in the same round.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_bench \\
        .venv/bin/python bench/hot_pages.py [--rounds 3] [--seconds 10] [--only list]

granian (the production server) with ``--workers`` workers, the shared cache on Redis
(``--cache-url``, its database emptied first), ``wrk`` on loopback. A round measures, one after
the other: the trivial view (``/i18n/setlang/`` redirect: routing and middleware, no database),
then each page; each page's figure is its requests per second as a share of the trivial view's
in the same round, with its p50/p99 latency; min / median / max over the rounds at the end.

Pages (URLs sampled from the database; a warm-up pass first, and two seconds of the same
requests right before each measured run, as a live site is warm):
- public list, one province: ``/laporan/?region=<province>&status=open``, the 38 provinces;
- public list, a search term: ``/laporan/?q=<term>``, 20 common terms;
- public list, a new search each time: two-word searches, each request's address made unique
  (``&n=…``, ``portal_http.LUA_UNIQUE``) so no kept page answers it: every request reads the
  database (what the kept pages save, measured without them). Before 2026-12-07 20:30 UTC the
  300 addresses of a round were asked in turn for the whole round, so after its first 300
  requests the kept pages answered and this figure flattered the uncached search;
- submit form GET: ``/lapor/`` (a guest's empty form);
- public report page: 1,000 random public reports.
Goals (issue 15): the list with a filter >= 5 % of the trivial view with p99 < 300 ms, with a
search term >= 2 % with p99 < 500 ms; the submit form GET >= 15 %; the report page >= 15 % with
p99 < 100 ms.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from portal_http import free_port, prepare_http, run_wrk, start_server

TRIVIAL = "trivial view (/i18n/setlang/ redirect)"
TERMS = [
    "jalan",
    "rusak",
    "sampah",
    "ktp",
    "listrik",
    "air",
    "banjir",
    "sekolah",
    "puskesmas",
    "bpjs",
    "lampu",
    "parkir",
    "pungli",
    "bansos",
    "drainase",
    "jembatan",
    "pdam",
    "sinyal",
    "macet",
    "izin",
]
WORDS = [
    "jalan",
    "rusak",
    "sampah",
    "ktp",
    "listrik",
    "air",
    "banjir",
    "sekolah",
    "puskesmas",
    "bpjs",
    "lampu",
    "parkir",
    "pungli",
    "bansos",
    "drainase",
    "jembatan",
    "pdam",
    "macet",
    "izin",
    "pasar",
    "desa",
    "kota",
    "kabupaten",
    "warga",
    "lubang",
    "mati",
    "padam",
    "bau",
    "limbah",
    "guru",
    "dokter",
    "obat",
    "antre",
    "pelayanan",
    "petugas",
    "kantor",
    "online",
    "aplikasi",
    "bayar",
    "biaya",
    "tarif",
    "pajak",
    "tanah",
    "sertifikat",
    "polisi",
    "tilang",
    "angkot",
    "bus",
    "kereta",
    "terminal",
]
GOALS = {
    "public list, one province (open)": (5.0, 300.0),
    "public list, a search term": (2.0, 500.0),
    "public list, a new search each time": (2.0, 500.0),
    "submit form GET": (15.0, None),
    "public report page": (15.0, 100.0),
}


def sample(reports: int) -> dict[str, list[str]]:
    from django.db import connection

    from lapor.regions.models import Region

    with connection.cursor() as cur:
        cur.execute(
            "SELECT tracking_id FROM reports_report TABLESAMPLE SYSTEM (1) "
            "WHERE NOT is_confidential AND status <> 'merged' ORDER BY random() LIMIT %s",
            [reports],
        )
        public = [f"/laporan/{tid}/" for (tid,) in cur.fetchall()]
    provinces = Region.objects.filter(level=Region.Level.PROVINSI).values_list("code", flat=True)
    pairs = [f"{a}+{b}" for a, b in itertools.permutations(WORDS, 2)]
    random.Random(1).shuffle(pairs)
    return {
        "public list, one province (open)": [
            f"/laporan/?region={code}&status=open" for code in provinces
        ],
        "public list, a search term": [f"/laporan/?q={t}" for t in TERMS],
        "public list, a new search each time": [f"/laporan/?q={p}" for p in pairs],
        "submit form GET": ["/lapor/"],
        "public report page": public,
    }


def spread(values: list[float], fmt: str = ",.1f") -> str:
    return "/".join(format(v, fmt) for v in (min(values), statistics.median(values), max(values)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--server-threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--only", help="measure only pages whose name contains this")
    args = parser.parse_args()
    prepare_http(args.cache_url)
    pages = {k: v for k, v in sample(args.reports).items() if not args.only or args.only in k}
    port = free_port()
    server = start_server("granian", port, args.workers, args.server_threads, args.cache_url)
    print(
        f"granian {args.workers} workers x {args.server_threads} threads on 127.0.0.1:{port}; "
        f"wrk -t2 -c{args.connections} -d{args.seconds}s; {args.rounds} rounds; "
        + ", ".join(f"{len(v):,} {k} URLs" for k, v in pages.items())
    )
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in pages}
    fresh = iter(pages.get("public list, a new search each time", []))
    try:
        for name, urls in pages.items():  # warm: every kept page made once, as on a live site
            if "new search" not in name:
                for url in urls:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=60).read()
        for round_no in range(1, args.rounds + 1):
            load = Path("/proc/loadavg").read_text().split()[:3]
            base = run_wrk(
                port,
                ["/i18n/setlang/?next=/"],
                threads=2,
                connections=args.connections,
                seconds=args.seconds,
            )
            print(
                f"round {round_no} {TRIVIAL:38s} {base['rps']:8,.0f} req/s  p50 "
                f"{base['p50']:6.1f} ms  p99 {base['p99']:7.1f} ms  (load {' '.join(load)})"
            )
            for name, urls in pages.items():
                if "new search" in name:  # never asked before in this run
                    urls = list(itertools.islice(fresh, 300))
                else:  # a live site asks for these all the time: their kept pages are warm
                    run_wrk(port, urls, threads=2, connections=args.connections, seconds=2)
                r = run_wrk(
                    port,
                    urls,
                    threads=2,
                    connections=args.connections,
                    seconds=args.seconds,
                    unique="new search" in name,
                )
                r["ratio"] = 100 * r["rps"] / base["rps"]
                runs[name].append(r)
                print(
                    f"round {round_no} {name:38s} {r['rps']:8,.0f} req/s  p50 {r['p50']:6.1f} ms"
                    f"  p99 {r['p99']:7.1f} ms  {r['ratio']:6.2f} % of trivial  "
                    f"({r['errors']:,.0f} non-2xx/3xx)"
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("\nmin/median/max over the rounds:")
    for name, rows in runs.items():
        if not rows:
            continue
        ratio, p99 = [r["ratio"] for r in rows], [r["p99"] for r in rows]
        share, limit = GOALS.get(name, (None, None))
        met = (share is None or statistics.median(ratio) >= share) and (
            limit is None or statistics.median(p99) < limit
        )
        goal = f">= {share} %" + (f", p99 < {limit:.0f} ms" if limit else "")
        print(
            f"  {name:38s} req/s {spread([r['rps'] for r in rows], ',.0f')}  "
            f"% of trivial {spread(ratio, '.2f')}  p99 ms {spread(p99)}  "
            f"goal {goal}: {'met' if met else 'NOT met'} (median)"
        )


if __name__ == "__main__":
    main()
