from django.db import migrations, models


class Migration(migrations.Migration):
    """The public map's box query (``lapor/portal/map.py``, ADR 0021)."""

    dependencies = [("reports", "0014_requested_agency")]

    operations: list[migrations.operations.base.Operation] = [
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                condition=models.Q(("is_confidential", False), ("latitude__isnull", False)),
                fields=["latitude", "longitude"],
                name="report_public_point",
            ),
        ),
    ]
