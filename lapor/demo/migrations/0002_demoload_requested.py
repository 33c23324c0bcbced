from django.db import migrations, models
from django.db.models import F


def existing_loads_are_whole(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("demo", "DemoLoad").objects.update(requested=F("reports"))


class Migration(migrations.Migration):
    dependencies = [
        ("demo", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="demoload",
            name="requested",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(existing_loads_are_whole, migrations.RunPython.noop),
    ]
