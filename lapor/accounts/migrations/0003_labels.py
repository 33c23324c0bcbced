from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_sms_reset")]

    operations: list[migrations.operations.base.Operation] = []
