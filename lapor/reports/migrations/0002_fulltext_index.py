"""A GIN index for the public and back-office full-text search (PostgreSQL only; SQLite
searches by word match). Its expression is exactly what ``SearchVector("title", "body",
config="simple")`` compiles to, so the planner uses it."""

from django.db import migrations

INDEX = "report_fulltext_simple"
CREATE = f"""
CREATE INDEX IF NOT EXISTS {INDEX} ON reports_report USING gin (
    to_tsvector('simple'::regconfig, COALESCE(title, '') || ' ' || COALESCE(body, ''))
)
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
