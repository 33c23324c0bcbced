"""Park the waiting deliveries of endpoints disabled before parking existed (``delivery.park``):
left due, every claim walked past them."""

from datetime import UTC, datetime

from django.db import migrations

PARKED = datetime(9999, 1, 1, tzinfo=UTC)  # delivery.PARKED when this was written


def park(apps, schema_editor):  # type: ignore[no-untyped-def]
    delivery = apps.get_model("api", "WebhookDelivery")
    delivery.objects.filter(
        endpoint__is_active=False, status__in=["pending", "failed"]
    ).update(next_attempt_at=PARKED)


class Migration(migrations.Migration):
    dependencies = [("api", "0005_webhook_claim_plan")]

    operations = [migrations.RunPython(park, migrations.RunPython.noop)]
