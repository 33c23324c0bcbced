"""Asking PostgreSQL's real planner how a claim query runs under ``core.plans.plan_index_only``,
on statistics the test controls."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import QuerySet

from lapor.core.plans import plan_index_only


def pinned_plan(query: QuerySet) -> str:
    """``EXPLAIN`` of ``query`` inside a transaction pinned as the claims pin theirs."""
    with transaction.atomic(), connection.cursor() as cursor:
        sql, params = query.query.sql_with_params()
        plan_index_only(connection.alias)
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@contextmanager
def autovacuum_off(table: str) -> Iterator[None]:
    """Statistics of ``table`` change only when the test says so."""
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table} RESET (autovacuum_enabled)")
