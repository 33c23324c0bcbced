"""The version of a report that a cached public answer needs, read in one fixed SQL statement.

``reports.selectors.report_head`` answers the same through the ORM; on the public cached path
(``caching.rendered``: the answer itself comes from memory) building that query cost more CPU
than everything else of the request together (a profile in ``bench/README.md``, api_http.py),
so these views read the same five columns by the same unique index with a statement made once.
It reads from the database the router picks for a ``Report`` read, so the replica rules
(``core.dbrouter``, read-your-writes) hold as for any ORM read; the row becomes a ``Report``
with only those fields loaded (another field would load on use, as with ``only()``)."""

from __future__ import annotations

from django.db import connections, router

from lapor.reports.models import Report

WANTED = {"id", "tracking_id", "is_confidential", "status", "last_event_hash", "support_count"}
# In the model's own order: ``Model.from_db`` maps a partial row onto the fields in that order.
FIELDS = tuple(f.attname for f in Report._meta.concrete_fields if f.attname in WANTED)
# Identifiers from the model, the value a parameter: nothing of the request is formatted in.
COLUMNS = {f.attname: str(f.column) for f in Report._meta.concrete_fields}
SQL = "SELECT {columns} FROM {table} WHERE {key} = %s LIMIT 1".format(  # noqa: S608
    columns=", ".join(COLUMNS[f] for f in FIELDS),
    table=Report._meta.db_table,
    key=COLUMNS["tracking_id"],
)


def report_head(tracking_id: str) -> Report | None:
    """The report's privacy, status, chain head and support count by tracking ID, or None."""
    db = router.db_for_read(Report)
    with connections[db].cursor() as cursor:
        cursor.execute(SQL, [tracking_id])
        row = cursor.fetchone()
    if row is None:
        return None
    return Report.from_db(db, list(FIELDS), row)
