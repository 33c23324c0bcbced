"""Vacuum and analyze settings for the job table's churn (docs/operations.md, "Vacuum and
analyze"). Every job row is inserted, updated twice (claimed, finished) and later deleted by the
prune: with PostgreSQL's defaults (20 % dead rows before a vacuum, 10 % changed rows before an
analyze) a large table goes a long time with bloated pages and stale statistics. PostgreSQL
only; elsewhere nothing to do."""

from django.db import migrations

TABLE = "django_tasks_database_dbtaskresult"
SETTINGS = (
    "autovacuum_vacuum_scale_factor = 0.02",
    "autovacuum_vacuum_threshold = 500",
    "autovacuum_analyze_scale_factor = 0.02",
    "autovacuum_analyze_threshold = 500",
    "autovacuum_vacuum_cost_delay = 1",
)


def tune(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} SET ({', '.join(SETTINGS)})")


def untune(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        names = ", ".join(s.split(" = ")[0] for s in SETTINGS)
        schema_editor.execute(f"ALTER TABLE {TABLE} RESET ({names})")


class Migration(migrations.Migration):
    dependencies = [
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        ("jobs", "0002_lock_deferral"),
    ]

    operations = [migrations.RunPython(tune, untune, elidable=False)]
