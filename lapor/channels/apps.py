from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "lapor.channels"
    label = "channels"
    verbose_name = _("Kanal pengaduan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anymail.signals import inbound

        from lapor.channels.signals import on_inbound

        inbound.connect(on_inbound, dispatch_uid="lapor.channels.inbound_email")

        # Answers go back on the channel a report came in by: notifications asks these.
        from lapor.channels.email import reply_to_for
        from lapor.channels.routing import reply_channels
        from lapor.channels.whatsapp_api import WhatsAppSender
        from lapor.notifications.models import Notification
        from lapor.notifications.senders import register_reply_to, register_sender
        from lapor.notifications.services import register_reporter_addresses

        register_sender(Notification.Channel.WHATSAPP, WhatsAppSender)
        register_reply_to(reply_to_for)
        register_reporter_addresses(reply_channels)
