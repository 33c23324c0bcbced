"""Reports filed by WhatsApp, at the walk-in desk or by the call centre before ``Report.channel``
knew these channels were stored as ``social`` and ``web``; their ``ChannelReport`` row holds the
exact channel, which is copied to the report so statistics by channel count them right."""

from django.db import migrations

EXACT = ("whatsapp", "loket", "telepon")
BEFORE = {"whatsapp": "social", "loket": "web", "telepon": "web"}


def forwards(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    ChannelReport = apps.get_model("channels", "ChannelReport")
    for channel in EXACT:
        linked = ChannelReport.objects.filter(channel=channel).values("report_id")
        Report.objects.filter(pk__in=linked, channel=BEFORE[channel]).update(channel=channel)


def backwards(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    ChannelReport = apps.get_model("channels", "ChannelReport")
    for channel in EXACT:
        linked = ChannelReport.objects.filter(channel=channel).values("report_id")
        Report.objects.filter(pk__in=linked, channel=channel).update(channel=BEFORE[channel])


class Migration(migrations.Migration):
    dependencies = [
        ("channels", "0001_initial"),
        ("reports", "0011_report_channel_whatsapp_loket_telepon"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=True)]
