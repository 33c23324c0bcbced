import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("analytics", "0001_initial")]

    operations: list[migrations.operations.base.Operation] = [
        migrations.CreateModel(
            name="AutomationMonth",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField()),
                ("province", models.CharField(blank=True, default="", max_length=2)),
                ("reports", models.PositiveIntegerField(default=0)),
                ("auto_routed", models.PositiveIntegerField(default=0)),
                ("corrected", models.PositiveIntegerField(default=0)),
                ("corrected_not_authority", models.PositiveIntegerField(default=0)),
                ("corrected_forwarded", models.PositiveIntegerField(default=0)),
                ("corrected_redisposed", models.PositiveIntegerField(default=0)),
                ("triaged", models.PositiveIntegerField(default=0)),
                ("triage_left", models.PositiveIntegerField(default=0)),
                ("triage_wait_h", models.FloatField(null=True)),
                ("merged", models.PositiveIntegerField(default=0)),
                ("flagged", models.PositiveIntegerField(default=0)),
                ("flagged_merged", models.PositiveIntegerField(default=0)),
                ("supports", models.PositiveIntegerField(default=0)),
                ("computed_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "verbose_name": "akuntabilitas otomasi",
                "verbose_name_plural": "akuntabilitas otomasi",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("month", "province"), name="analytics_auto_month"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="PolicyReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField()),
                ("region", models.CharField(blank=True, default="", max_length=2)),
                ("region_name", models.CharField(blank=True, default="", max_length=100)),
                ("html", models.FileField(max_length=200, upload_to="")),
                ("pdf", models.FileField(max_length=200, upload_to="")),
                ("html_en", models.FileField(blank=True, max_length=200, upload_to="")),
                ("pdf_en", models.FileField(blank=True, max_length=200, upload_to="")),
                ("pdf_pages", models.PositiveSmallIntegerField(default=0)),
                ("examples", models.JSONField(blank=True, default=list)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "verbose_name": "laporan kebijakan",
                "verbose_name_plural": "laporan kebijakan",
                "indexes": [
                    models.Index(fields=["-month", "region"], name="analytics_policy_recent")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("month", "region"), name="analytics_policy_month"
                    )
                ],
            },
        ),
    ]
