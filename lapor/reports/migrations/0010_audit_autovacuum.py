"""Vacuum and analyze settings for the event trail (docs/operations.md, "Vacuum and analyze").
PostgreSQL only; elsewhere nothing to do.

* ``reports_reportevent`` is append-only and grows to 100 M rows: its statistics are refreshed
  after 1 % new rows instead of 10 %, and inserts alone trigger a vacuum (the visibility map
  that index-only scans and the verifier's ordered reads rely on) after 5 %.
* ``reports_auditstripehead`` has a few rows per day, each updated by every event written: pages
  kept half empty so each update stays on its page (a HOT update, no index entry), and vacuumed
  after a fixed number of dead rows rather than a share of a tiny table."""

from django.db import migrations

SETTINGS = {
    "reports_reportevent": (
        "autovacuum_analyze_scale_factor = 0.01",
        "autovacuum_vacuum_scale_factor = 0.05",
        "autovacuum_vacuum_insert_scale_factor = 0.05",
    ),
    "reports_auditstripehead": (
        "fillfactor = 50",
        "autovacuum_vacuum_scale_factor = 0",
        "autovacuum_vacuum_threshold = 1000",
    ),
}


def tune(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table, settings in SETTINGS.items():
            schema_editor.execute(f"ALTER TABLE {table} SET ({', '.join(settings)})")


def untune(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table, settings in SETTINGS.items():
            names = ", ".join(s.split(" = ")[0] for s in settings)
            schema_editor.execute(f"ALTER TABLE {table} RESET ({names})")


class Migration(migrations.Migration):
    dependencies = [("reports", "0009_striped_day_chains")]

    operations = [migrations.RunPython(tune, untune, elidable=False)]
