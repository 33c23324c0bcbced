"""Indexes for the back-office queues' other sorts and filters (PostgreSQL only, like 0002).

- ``sort=-due`` orders by ``due_at DESC NULLS LAST, id DESC``: the ascending queue indexes read
  backwards give ``NULLS FIRST``, so the planner sorted the whole queue (~110 ms for the
  national triage of the million-report benchmark). These two match the order exactly.
- ``privacy`` filters on ``is_confidential``: without a status index holding it, the planner
  ANDed the queue with the public-list index of ~600,000 rows to count a page (~70-110 ms).

SQLite takes no ``NULLS LAST`` in an index; its queues are small."""

from django.db import migrations

INDEXES = {
    "report_triage_due_desc": (
        "(due_at DESC NULLS LAST, id DESC) WHERE status IN ('submitted', 'triage')"
    ),
    "report_status_due_desc": "(status, due_at DESC NULLS LAST, id DESC)",
    "report_status_private": "(status, is_confidential)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, columns in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON reports_report {columns}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_sqlite_fts5")]
    operations = [migrations.RunPython(create, drop)]
