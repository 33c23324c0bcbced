from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "lapor.backoffice"
    label = "backoffice"
    verbose_name = _("Kantor petugas")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lapor.core.admin_labels import name_third_party

        name_third_party(
            "otp_totp",
            _("Perangkat TOTP"),
            {"totpdevice": (_("perangkat TOTP petugas"), _("perangkat TOTP petugas"))},
        )
