from typing import Any

from django.db import migrations, models


def fill_scopes(apps: Any, schema_editor: Any) -> None:
    """Sum the counts already filled into the new per-scope rows (a fresh database has none)."""
    from collections import Counter

    from lapor.analytics.facts import scope_keys

    daily = apps.get_model("analytics", "DailyCount")
    current = apps.get_model("analytics", "CurrentCount")
    scoped = apps.get_model("analytics", "ScopeCount")
    dims = ("province", "kabkota", "agency", "category", "type", "channel", "metric", "bucket")
    out: Counter[Any] = Counter()
    for row in daily.objects.values_list("day", *dims, "value").iterator(chunk_size=10_000):
        for key in scope_keys(row[:-1]):
            out[key] += row[-1]
    for row in current.objects.values_list(*dims, "value").iterator(chunk_size=10_000):
        for key in scope_keys((None, *row[:-1])):
            out[key] += row[-1]
    names = ("scope", "grain", "day", "dim", "key", "metric", "bucket")
    scoped.objects.bulk_create(
        [scoped(**dict(zip(names, k, strict=True)), value=v) for k, v in out.items() if v],
        batch_size=5_000,
    )


class Migration(migrations.Migration):
    dependencies = [("analytics", "0003_signals")]

    operations = [
        migrations.CreateModel(
            name="ScopeCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("scope", models.CharField(max_length=24)),
                ("grain", models.CharField(max_length=1)),
                ("day", models.DateField()),
                ("dim", models.CharField(blank=True, default="", max_length=10)),
                ("key", models.CharField(blank=True, default="", max_length=20)),
                ("metric", models.CharField(max_length=16)),
                ("bucket", models.SmallIntegerField(default=0)),
                ("value", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "rekap per cakupan",
                "verbose_name_plural": "rekap per cakupan",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("scope", "grain", "day", "dim", "key", "metric", "bucket"),
                        name="analytics_scope_key",
                    )
                ],
            },
        ),
        migrations.RunPython(fill_scopes, migrations.RunPython.noop),
    ]
