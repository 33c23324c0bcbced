from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "lapor.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from lapor.api.webhooks import metrics
        from lapor.api.webhooks.services import deliveries_for_events
        from lapor.reports.hooks import on_events

        metrics.register()
        on_events(deliveries_for_events)  # webhook rows in the same transaction as each event
