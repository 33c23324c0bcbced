"""Queries that must walk an index whatever PostgreSQL's planner statistics say.

With statistics out of date (a burst of rows since the last ``ANALYZE``, and autovacuum may be
off or behind), the planner may think a queue table small and read or sort every waiting row
to find the first one, or probe a join by scanning a whole index. A queue's claim must not
depend on that: inside the claim's transaction, ``plan_index_only`` forbids the plans that
read every row (``SET LOCAL enable_seqscan, enable_bitmapscan, enable_sort = off``), so the
only plans left walk an index in the query's order. ``SET LOCAL`` ends with the transaction;
nothing else the connection runs is affected. SQLite has no planner statistics to go stale."""

from __future__ import annotations

from django.db import connections

INDEX_ONLY = (
    "SET LOCAL enable_seqscan = off",
    "SET LOCAL enable_bitmapscan = off",
    "SET LOCAL enable_sort = off",
)


def plan_index_only(using: str) -> None:
    """Inside the caller's transaction: plans that read every row are off until it ends."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for statement in INDEX_ONLY:
            cursor.execute(statement)
