from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "lapor.routing"
    verbose_name = _("Perutean laporan")
    default_auto_field = "django.db.models.BigAutoField"
