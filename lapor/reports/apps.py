from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "lapor.reports"
    label = "reports"
    verbose_name = _("Laporan")

    def ready(self) -> None:
        from lapor.reports import metrics
        from lapor.reports.search import repair_sqlite_index

        metrics.register()

        # A migration that rebuilds reports_report on SQLite drops the full-text triggers.
        post_migrate.connect(repair_sqlite_index, sender=self, dispatch_uid="reports-fts5")
