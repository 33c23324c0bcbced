"""The retention purge's index: finished reports still holding their reporter's name or contact
details (``Report.Meta``, ``reports.services.personal_data``)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_privacy_rights"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                condition=models.Q(
                    ("status__in", ("completed", "closed", "archived", "merged")),
                    models.Q(
                        models.Q(("contact_name", ""), _negated=True),
                        models.Q(("contact_email", ""), _negated=True),
                        models.Q(("contact_phone", ""), _negated=True),
                        _connector="OR",
                    ),
                ),
                fields=["closed_at"],
                name="report_contact_kept",
            ),
        ),
    ]
