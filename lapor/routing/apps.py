from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "lapor.routing"
    verbose_name = "Perutean laporan"
    default_auto_field = "django.db.models.BigAutoField"
