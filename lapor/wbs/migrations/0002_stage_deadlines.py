"""The default time limits of the WBS stages (working days); operators change the rows."""

from django.db import migrations

DEFAULTS = {"diterima": 3, "verifikasi": 14, "investigasi": 60}


def add(apps, schema_editor):  # type: ignore[no-untyped-def]
    StageDeadline = apps.get_model("wbs", "StageDeadline")
    for stage, days in DEFAULTS.items():
        StageDeadline.objects.get_or_create(stage=stage, defaults={"working_days": days})


class Migration(migrations.Migration):
    dependencies = [("wbs", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
