"""Band keys now hash the province with the band, and the table's primary key is its lookup
index. Old keys mean nothing under the new scheme: the band table is made again and the stored
signatures are dropped, so ``lapor duplicates index`` indexes every report afresh."""

import django.db.models.deletion
from django.db import migrations, models


def forget_signatures(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("routing", "DuplicateSignature").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_fulltext_index"),
        ("routing", "0002_duplicatesignature_duplicateband"),
    ]

    operations = [
        migrations.DeleteModel(name="DuplicateBand"),
        migrations.RunPython(forget_signatures, migrations.RunPython.noop),
        migrations.CreateModel(
            name="DuplicateBand",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "key",
                        "submitted_at",
                        "report",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("key", models.BigIntegerField()),
                ("submitted_at", models.DateTimeField()),
                (
                    "report",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="reports.report",
                    ),
                ),
            ],
        ),
    ]
