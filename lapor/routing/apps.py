from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "lapor.routing"
    verbose_name = _("Perutean laporan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A threshold or agency precision that is not a share stops the start-up, naming the
        # setting (docs/routing.md).
        from lapor.routing.calibration import check_settings

        check_settings()
