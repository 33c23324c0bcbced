"""An FTS5 index of title and body for full-text search on SQLite, the embedded default
(PostgreSQL has its GIN index from 0002; this migration does nothing there).

An external-content table: the text stays only in ``reports_report``; FTS5 keeps its inverted
index, filled from the existing rows once ("rebuild") and then kept in step by three triggers, so
every write (services, bulk inserts, imports, raw SQL) is indexed in the same transaction.
``lapor.reports.search`` queries it."""

from django.db import migrations

TABLE = "reports_report_fts"
SOURCE = "reports_report"

CREATE = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(
        title, body,
        content='{SOURCE}', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_ai AFTER INSERT ON {SOURCE} BEGIN
        INSERT INTO {TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_ad AFTER DELETE ON {SOURCE} BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_au AFTER UPDATE OF title, body ON {SOURCE} BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO {TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",
]
DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_au",
    f"DROP TRIGGER IF EXISTS {TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {TABLE}_ai",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_queue_indexes")]
    operations = [migrations.RunPython(create, drop)]
