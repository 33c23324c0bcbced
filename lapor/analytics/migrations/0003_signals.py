from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("analytics", "0002_policy_reports")]

    operations: list[migrations.operations.base.Operation] = [
        migrations.CreateModel(
            name="TermCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("kabkota", models.CharField(max_length=5)),
                ("term", models.CharField(max_length=61)),
                ("value", models.PositiveIntegerField()),
            ],
            options={
                "verbose_name": "hitungan istilah",
                "verbose_name_plural": "hitungan istilah",
            },
        ),
        migrations.CreateModel(
            name="TermDay",
            fields=[
                ("day", models.DateField(primary_key=True, serialize=False)),
                ("counted_at", models.DateTimeField()),
            ],
            options={"verbose_name": "hari istilah", "verbose_name_plural": "hari istilah"},
        ),
        migrations.RemoveConstraint(model_name="alert", name="analytics_alert_episode"),
        migrations.AddField(
            model_name="alert", name="agency", field=models.BigIntegerField(default=0)
        ),
        migrations.AddField(
            model_name="alert",
            name="kind",
            field=models.CharField(
                choices=[
                    ("wilayah", "Wilayah dan kategori"),
                    ("instansi", "Instansi"),
                    ("topik", "Topik baru"),
                ],
                default="wilayah",
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="alert",
            name="samples",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="alert", name="terms", field=models.CharField(blank=True, max_length=300)
        ),
        migrations.AlterField(
            model_name="alert", name="kabkota", field=models.CharField(blank=True, max_length=5)
        ),
        migrations.AddConstraint(
            model_name="alert",
            constraint=models.UniqueConstraint(
                fields=("kind", "kabkota", "category", "agency", "started_on"),
                name="analytics_alert_episode_kind",
            ),
        ),
        migrations.AddConstraint(
            model_name="termcount",
            constraint=models.UniqueConstraint(
                fields=("day", "kabkota", "term"), name="analytics_term_key"
            ),
        ),
    ]
