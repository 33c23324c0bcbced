from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("routing", "0006_labelalias")]

    operations = [
        migrations.AddField(
            model_name="duplicatesignature",
            name="shingles",
            field=models.PositiveIntegerField(db_default=0, default=0),
        ),
        migrations.AddIndex(
            model_name="duplicatesignature",
            index=models.Index(
                fields=["region_code", "submitted_at"], name="routing_dupsig_region_time"
            ),
        ),
    ]
