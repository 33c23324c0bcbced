from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "lapor.jobs"
    label = "jobs"

    def ready(self) -> None:
        from lapor.jobs import metrics

        metrics.register()
