from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "lapor.jobs"
    label = "jobs"
    verbose_name = _("Pekerjaan latar belakang")

    def ready(self) -> None:
        from lapor.jobs import metrics

        metrics.register()
        from lapor.core.admin_labels import name_third_party

        name_third_party(
            "django_tasks_database",
            _("Antrean tugas latar belakang"),
            {"dbtaskresult": (_("tugas latar belakang"), _("tugas latar belakang"))},
        )
