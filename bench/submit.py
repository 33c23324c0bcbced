"""Reports per second through ``report_submit``: one process, then two at once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_bench \\
        .venv/bin/python bench/submit.py [--reports 3000]

Each submit is the real one: validation, SLA policy, the row, its first hash-chained event
(day-chain head locked), the reporter's notification and the routing task enqueued on commit,
in its own transaction. Each process has its own database connection.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on_postgres, prepare


def _submit_many(count: int, seed: int) -> float:
    """Submit ``count`` guest reports; the seconds it took."""
    import random

    from django.db import connection

    from lapor.categories.models import Category
    from lapor.demo import places, texts
    from lapor.regions.models import Region
    from lapor.reports.services import report_submit

    connection.close()  # a fresh connection of this process's own
    rng = random.Random(seed)
    regions = list(Region.objects.filter(level=Region.Level.KABUPATEN_KOTA))
    categories = list(Category.objects.filter(parent__isnull=False))
    topics = texts.TOPICS
    started = time.perf_counter()
    for _ in range(count):
        topic = rng.choice(topics)
        region = rng.choice(regions)
        name = places.person(rng)
        report_submit(
            type="pengaduan",
            title=texts.fill(rng.choice(topic.titles), rng, wilayah=region.name),
            body=texts.fill(rng.choice(topic.bodies), rng, wilayah=region.name),
            region=region, channel="web", category=rng.choice(categories),
            contact_name=name, contact_email=places.email_for(name, rng),
        )  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=3000, help="submits per process")
    args = parser.parse_args()
    django_on_postgres()
    prepare()
    from django.db import connection

    seconds = _submit_many(args.reports, 1)
    print(f"1 process : {args.reports:,} submits in {seconds:.1f} s = "
          f"{args.reports / seconds:,.0f} reports/s")  # fmt: skip
    connection.close()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        started = time.perf_counter()
        each = pool.starmap(_submit_many, [(args.reports, 2), (args.reports, 3)])
        wall = time.perf_counter() - started
    total = 2 * args.reports
    print(
        f"2 processes: {total:,} submits in {wall:.1f} s = {total / wall:,.0f} reports/s "
        f"(per process {', '.join(f'{args.reports / s:,.0f}/s' for s in each)})"
    )


if __name__ == "__main__":
    main()
