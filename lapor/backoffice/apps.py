from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "lapor.backoffice"
    label = "backoffice"
    verbose_name = "Kantor petugas"
    default_auto_field = "django.db.models.BigAutoField"
